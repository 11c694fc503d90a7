using System.Diagnostics;
using System.Text;

namespace Kosmos.TestSupport;

/// <summary>
/// Runs the real kubectl of this machine image against one server, with a discovery cache of its own.
/// Finds kubectl through KOSMOS_KUBECTL or PATH (test.sh installs it when missing).
/// </summary>
/// <param name="server">The API server.</param>
/// <param name="globalArgs">Flags for every call, e.g. <c>--token T --certificate-authority ca.crt</c> for an https simulator that checks tokens.</param>
public sealed class Kubectl(Uri server, IReadOnlyList<string>? globalArgs = null) : IDisposable
{
    private readonly string _cacheDir = Directory.CreateTempSubdirectory("kosmos-kubectl-cache-").FullName;

    public static string Executable =>
        Environment.GetEnvironmentVariable("KOSMOS_KUBECTL") is { Length: > 0 } configured ? configured : "kubectl";

    public Task<KubectlResult> RunAsync(params string[] args) => RunAsync(args, stdin: null, TimeSpan.FromSeconds(60));

    public async Task<KubectlResult> RunAsync(IReadOnlyList<string> args, string? stdin, TimeSpan timeout, CancellationToken ct = default)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--server", server.ToString().TrimEnd('/'), "--cache-dir", _cacheDir, "--request-timeout", "30s" }.Concat(globalArgs ?? []).Concat(args))
        {
            start.ArgumentList.Add(a);
        }

        // A kubeconfig of the developer's must not leak in.
        start.Environment["KUBECONFIG"] = Path.Combine(_cacheDir, "no-kubeconfig");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start kubectl");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish within {timeout}; stderr so far: {await Partial(stderr)}");
        }

        return new KubectlResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts a long-running kubectl (e.g. <c>get -w</c>, <c>logs -f</c>) whose output is read while it runs.</summary>
    public Process Start(params string[] args)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var a in new[] { "--server", server.ToString().TrimEnd('/'), "--cache-dir", _cacheDir }.Concat(globalArgs ?? []).Concat(args))
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["KUBECONFIG"] = Path.Combine(_cacheDir, "no-kubeconfig");
        return Process.Start(start) ?? throw new InvalidOperationException("could not start kubectl");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_cacheDir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder.
        }
    }

    private static async Task<string> Partial(Task<string> output) =>
        output.IsCompletedSuccessfully ? await output : "(still being read)";
}

public sealed record KubectlResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Throws with kubectl's own words when it failed, so a failing test says why.</summary>
    public KubectlResult EnsureSuccess()
    {
        if (ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl exited {ExitCode}: {Stderr}{Stdout}");
        }

        return this;
    }
}

using System.Diagnostics;
using System.Text.RegularExpressions;
using Kosmos.TestSupport;

namespace Kosmos.Dashboard.Tests.Hosting;

/// <summary>
/// The built dashboard as a separate process (<c>dotnet Kosmos.Dashboard.dll</c>) on its embedded simulated cluster, so a
/// test can kill it (SIGKILL) or stop it (SIGTERM) as an operator's machine would, and start it again on the same audit
/// database. Ready once <c>/readyz</c> answers 200. Dispose kills it if it still runs.
/// </summary>
public sealed partial class DashboardProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    private DashboardProcess(Process process) => _process = process;

    public Uri BaseAddress { get; private set; } = null!;

    public int Id => _process.Id;

    /// <summary>The process's console output so far, for failure messages.</summary>
    public string Output => string.Join('\n', _output);

    public static async Task<DashboardProcess> StartAsync(string auditDatabase, params string[] settings)
    {
        var dll = Path.Combine(RepositoryRoot(), "src", "Kosmos.Dashboard", "bin", Configuration, "net10.0", "Kosmos.Dashboard.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.Combine(RepositoryRoot(), "src", "Kosmos.Dashboard"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            dll, "--urls", "http://127.0.0.1:0", "--Kosmos:Cluster:Mode=Simulated", "--Kosmos:Simulator:TimeScale=30",
            $"--Kosmos:Audit:ConnectionString=Data Source={auditDatabase}", "--Serilog:MinimumLevel:Default=Information",
        }.Concat(settings))
        {
            start.ArgumentList.Add(argument);
        }

        var dashboard = new DashboardProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"));
        dashboard._process.OutputDataReceived += (_, e) => dashboard.OnLine(e.Data);
        dashboard._process.ErrorDataReceived += (_, e) => dashboard.OnLine(e.Data);
        dashboard._process.BeginOutputReadLine();
        dashboard._process.BeginErrorReadLine();
        try
        {
            dashboard.BaseAddress = await dashboard._listening.Task.WaitAsync(DashboardHostFixture.Timeout);
            using var http = new HttpClient { BaseAddress = dashboard.BaseAddress };
            await Eventually.Until(async () =>
            {
                using var response = await http.GetAsync("/readyz");
                return (int)response.StatusCode;
            }, code => code == 200, DashboardHostFixture.Timeout, "/readyz of the dashboard process");
        }
        catch (Exception ex)
        {
            await dashboard.DisposeAsync();
            throw new InvalidOperationException($"the dashboard process did not become ready: {ex.Message}\n{dashboard.Output}", ex);
        }

        return dashboard;
    }

    /// <summary>SIGKILL: no shutdown code runs, as when the machine or the OOM killer takes the process.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Sends SIGTERM (what Kubernetes and systemd send to stop a process).</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>The exit code, or null if it did not exit within <paramref name="timeout"/>.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        if (Listening().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value.TrimEnd('/') + "/"));
        }
    }

    // The test assembly's own build configuration (bin/Release/... or bin/Debug/...), so the dashboard built with it runs.
    private static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KosmosDashboard.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("KosmosDashboard.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex Listening();
}

using System.Collections.Concurrent;
using System.Threading.Channels;
using Kosmos.KubeSim.Exec;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kosmos.KubeSim.Tests.Exec;

/// <summary>
/// A minimal API server on a real loopback socket: just enough for kubectl and the .NET client to exec into pods whose
/// containers are <see cref="ExecContext"/>s (version, discovery stubs, GET pod, and the exec endpoint calling the handler).
/// </summary>
internal sealed class ExecTestHost : IAsyncDisposable
{
    public const string Namespace = "kosmos";
    public const string Container = "agent";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ExecContext> _pods = new();
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _podLifetimes = new();

    private ExecTestHost(WebApplication app) => _app = app;

    public string Url { get; private set; } = string.Empty;

    /// <summary>Every request as "METHOD path?query", in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>One item per exec whose handler returned.</summary>
    public Channel<IReadOnlyList<string>> CompletedExecs { get; } = Channel.CreateUnbounded<IReadOnlyList<string>>();

    public static async Task<ExecTestHost> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var host = new ExecTestHost(app);
        app.UseWebSockets();
        app.Use(async (http, next) =>
        {
            host.Requests.Enqueue($"{http.Request.Method} {http.Request.Path}{http.Request.QueryString}");
            await next(http);
        });
        app.MapGet("/version", () => Results.Json(new { major = "1", minor = "32", gitVersion = "v1.32.0", platform = "linux/amd64" }));
        app.MapGet("/api", () => Results.Json(new { kind = "APIVersions", versions = new[] { "v1" }, serverAddressByClientCIDRs = new[] { new { clientCIDR = "0.0.0.0/0", serverAddress = "127.0.0.1" } } }));
        app.MapGet("/api/v1", () => Results.Json(new
        {
            kind = "APIResourceList",
            groupVersion = "v1",
            resources = new object[]
            {
                new { name = "pods", singularName = "pod", namespaced = true, kind = "Pod", verbs = new[] { "get", "list" }, shortNames = new[] { "po" }, categories = new[] { "all" } },
                new { name = "pods/exec", singularName = string.Empty, namespaced = true, kind = "PodExecOptions", verbs = new[] { "create", "get" } },
            },
        }));
        app.MapGet("/apis", () => Results.Json(new { kind = "APIGroupList", apiVersion = "v1", groups = Array.Empty<object>() }));
        app.MapGet("/api/v1/namespaces/{ns}/pods/{pod}", (string ns, string pod) => host.PodJson(ns, pod));
        app.Map("/api/v1/namespaces/{ns}/pods/{pod}/exec", (Delegate)host.ExecAsync);
        await app.StartAsync();
        host.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return host;
    }

    public void AddPod(ExecContext context)
    {
        _pods[context.PodName] = context;
        _podLifetimes[context.PodName] = new CancellationTokenSource();
    }

    /// <summary>What the kubelet does to running execs when their pod goes away.</summary>
    public Task StopExecsAsync(string pod) => _podLifetimes[pod].CancelAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static IResult NotFound(string pod) => Results.Json(
        new { kind = "Status", apiVersion = "v1", metadata = new { }, status = "Failure", message = $"pods \"{pod}\" not found", reason = "NotFound", details = new { name = pod, kind = "pods" }, code = 404 },
        statusCode: 404);

    private IResult PodJson(string ns, string pod)
    {
        if (ns != Namespace || !_pods.ContainsKey(pod))
        {
            return NotFound(pod);
        }

        return Results.Json(new
        {
            kind = "Pod",
            apiVersion = "v1",
            metadata = new { name = pod, @namespace = ns, uid = "8d7a9c1e-0000-4000-8000-" + pod.Length.ToString("D12", System.Globalization.CultureInfo.InvariantCulture), resourceVersion = "1" },
            spec = new { containers = new[] { new { name = Container, image = "kosmos/agent:1.0" } } },
            status = new { phase = "Running" },
        });
    }

    private async Task ExecAsync(HttpContext http, string ns, string pod)
    {
        var command = ExecStreams.CommandFromQuery(http.Request.Query);
        try
        {
            if (ns != Namespace || !_pods.TryGetValue(pod, out var context))
            {
                await NotFound(pod).ExecuteAsync(http);
                return;
            }

            var stopping = http.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, _podLifetimes[pod].Token, stopping);
            await ExecWebSocketHandler.HandleAsync(http, context, command, ExecStreams.FromQuery(http.Request.Query), lifetime.Token);
        }
        finally
        {
            CompletedExecs.Writer.TryWrite(command);
        }
    }
}

/// <summary>Runs the machine's kubectl against a test host, isolated from any kubeconfig, with a fresh cache dir.</summary>
internal sealed class Kubectl : IDisposable
{
    private readonly string _server;
    private readonly string _home = Directory.CreateTempSubdirectory("kosmos-kubectl-").FullName;

    public Kubectl(string server) => _server = server;

    public string WorkDirectory => _home;

    public static string Executable => Environment.GetEnvironmentVariable("KOSMOS_KUBECTL") is { Length: > 0 } path ? path : "kubectl";

    public Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string? stdin, params string[] args) =>
        RunProcessAsync(Executable, KubectlArguments(args), stdin, closeStdinFirst: true);

    /// <summary>
    /// Runs kubectl on a pseudo terminal (util-linux <c>script</c>), so <c>-it</c> really asks for a tty and kubectl
    /// puts the terminal in raw mode; <paramref name="keystrokes"/> are typed into it. Stdin stays open until kubectl exits.
    /// </summary>
    public Task<(int ExitCode, string Stdout, string Stderr)> RunInTerminalAsync(string keystrokes, params string[] args)
    {
        var command = string.Join(' ', KubectlArguments(args).Prepend(Executable).Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        return RunProcessAsync("script", ["-qec", command, "/dev/null"], keystrokes, closeStdinFirst: false);
    }

    private IEnumerable<string> KubectlArguments(string[] args) =>
        new[] { "--server", _server, "--insecure-skip-tls-verify", "--cache-dir", Path.Combine(_home, "cache"), "--request-timeout", "30s" }.Concat(args);

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunProcessAsync(string executable, IEnumerable<string> args, string? stdin, bool closeStdinFirst)
    {
        var start = new System.Diagnostics.ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _home,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["KUBECONFIG"] = Path.Combine(_home, "no-kubeconfig");
        start.Environment["HOME"] = _home;
        using var process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        await process.StandardInput.FlushAsync();
        if (closeStdinFirst)
        {
            process.StandardInput.Close();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{executable} {string.Join(' ', args)} did not finish in 60 s; stdout: {await stdout}; stderr: {await stderr}");
        }

        if (!closeStdinFirst)
        {
            process.StandardInput.Close();
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_home, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

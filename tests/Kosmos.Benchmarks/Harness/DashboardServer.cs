using System.Net;
using System.Text.Json;
using Kosmos.Cluster.Connection;
using Kosmos.KubeSim;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kosmos.Benchmarks.Harness;

/// <summary>
/// The real dashboard (Program) on a loopback Kestrel socket, reading a simulator that is already running and seeded, over
/// HTTP through KubernetesClient as in production. Like the hosting tests' fixture, it starts Program in Kubeconfig mode
/// against the simulator's URL and then registers what Simulated mode registers, because Simulated mode would start a
/// simulator of its own (with the demo fleet and its controllers) instead of measuring the seeded one.
/// </summary>
public sealed class DashboardServer : WebApplicationFactory<Program>
{
    private readonly KubeSimulator _simulator;
    private readonly DirectoryInfo _configDir = Directory.CreateTempSubdirectory("kosmos-bench-");

    public DashboardServer(KubeSimulator simulator)
    {
        _simulator = simulator;
        UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
    }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Starts the host (its hosted services start the watch cache and the board) and returns without waiting for sync.</summary>
    public void Start()
    {
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel reported no bound address");
        BaseAddress = new Uri(address.TrimEnd('/') + "/");
    }

    /// <summary>Waits until <c>/readyz</c> answers 200: every watch cache has listed once.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        await Kosmos.TestSupport.Eventually.Until(async () =>
        {
            ct.ThrowIfCancellationRequested();
            using var response = await http.GetAsync(new Uri("readyz", UriKind.Relative), ct);
            return (int)response.StatusCode;
        }, code => code == 200, timeout, "/readyz to answer 200");
    }

    public HubConnection NewHubConnection() => new HubConnectionBuilder().WithUrl(new Uri(BaseAddress, "hubs/agents")).Build();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _configDir.Delete(recursive: true);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // The factory finds the app's content root through MvcTestingAppManifest.json in the current directory, which is
        // the output folder under a test runner but not for a program started from the repository: read it from ours.
        builder.UseContentRoot(ContentRoot());
        var kubeconfig = Path.Combine(_configDir.FullName, "kubeconfig");
        File.WriteAllText(kubeconfig, Kubeconfig(_simulator.Url));
        builder.UseSetting("Kosmos:Cluster:Mode", "Kubeconfig");
        builder.UseSetting("Kosmos:Cluster:KubeconfigPath", kubeconfig);
        builder.UseSetting("Kosmos:Auth:Mode", "Demo");
        builder.UseSetting("Kosmos:Auth:AllowDemoOnRealCluster", "true");

        // This run's audit only: the default lives in the source tree's App_Data.
        builder.UseSetting("Kosmos:Audit:ConnectionString", $"Data Source={Path.Combine(_configDir.FullName, "audit.db")}");

        // A request log line per hub message or page would cost more than what is measured.
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        builder.ConfigureServices(services =>
        {
            services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(3));
            var connection = ClusterConnection.ForSimulator(_simulator.Url);
            services.AddSingleton(_simulator);
            services.AddSingleton(connection);
            services.AddSingleton(connection.Identity);
        });
    }

    private static string ContentRoot()
    {
        var manifest = Path.Combine(AppContext.BaseDirectory, "MvcTestingAppManifest.json");
        var roots = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(manifest)) ?? [];
        var name = typeof(Program).Assembly.FullName!;
        return roots.TryGetValue(name, out var root) ? root : throw new InvalidOperationException($"{manifest} has no content root for {name}");
    }

    private static string Kubeconfig(Uri server) => $$"""
        {"apiVersion": "v1", "kind": "Config",
         "clusters": [{"name": "bench", "cluster": {"server": "{{server.ToString().TrimEnd('/')}}"} }],
         "users": [{"name": "bench", "user": {"token": "unchecked"} }],
         "contexts": [{"name": "bench", "context": {"cluster": "bench", "user": "bench"} }],
         "current-context": "bench"}
        """;
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Kosmos.Cluster.Connection;
using Kosmos.KubeSim;
using Kosmos.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kosmos.Dashboard.Tests.Hosting;

/// <summary>
/// The whole dashboard (the real <c>Program</c>) on a real loopback Kestrel socket, talking over HTTP through KubernetesClient
/// to a simulated cluster (the demo fleet at 30× time), exactly as it would to a real one. Started once per test collection
/// (<see cref="DashboardHostCollection"/>) and ready when <c>/readyz</c> answers 200, i.e. every watch cache has synced.
/// Tests share one simulated cluster: a test that changes it puts it back, and waits for outcomes rather than assuming a start state.
/// Subclass and override <see cref="ConfigureSettings"/> or <see cref="ConfigureSimulator"/> for another set-up (then define a collection of your own).
/// All members are safe to use from several threads once <see cref="InitializeAsync"/> has completed.
/// </summary>
/// <remarks>
/// Program's Simulated mode starts the embedded simulator, and with it the simulator's own web host, before it builds the
/// dashboard's; WebApplicationFactory takes the first host built on the entry point's flow for the app's, so it would host the
/// simulator's front instead (and the real dashboard would run unobserved on a port of its own). Until that is changed, the
/// fixture starts the simulator itself, lets Program start in Kubeconfig mode against it, and registers exactly what Simulated
/// mode registers (<see cref="ClusterConnection.ForSimulator"/>, its identity, the <see cref="KubeSimulator"/> singleton).
/// </remarks>
public class DashboardHostFixture : IAsyncLifetime
{
    /// <summary>A generous deadline for anything that crosses the dashboard, the simulator and the network, so tests hold up on a busy machine.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private DashboardFactory? _factory;
    private KubeSimulator? _simulator;
    private DirectoryInfo? _kubeconfigDir;

    /// <summary>The dashboard's own address, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The dashboard's service provider (the singletons the app uses: <c>IAgentBoard</c>, <c>IClusterCache</c>, ...).</summary>
    public IServiceProvider Services => Factory.Services;

    /// <summary>The simulated cluster the dashboard uses (its <see cref="KubeSimulator.Store"/>, <see cref="KubeSimulator.Stats"/>, <see cref="KubeSimulator.Url"/>); also a singleton in <see cref="Services"/>.</summary>
    public KubeSimulator Simulator
    {
        get => _simulator ?? throw new InvalidOperationException("the simulator has not started");
        private set => _simulator = value;
    }

    public Uri SimulatorUrl => Simulator.Url;

    /// <summary>The real kubectl against the simulator.</summary>
    public Kubectl Kubectl { get; private set; } = null!;

    /// <summary>Plain HTTP to the dashboard over its socket (no cookies are kept between tests: it has no cookie container).</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>HTTP to the simulator, for its <c>/sim/</c> controls.</summary>
    public HttpClient Sim { get; private set; } = null!;

    private DashboardFactory Factory => _factory ?? throw new InvalidOperationException("the dashboard has not started");

    /// <summary>A new, not yet started connection to <c>/hubs/agents</c>. The caller starts and disposes it.</summary>
    public HubConnection NewHubConnection(Action<IHubConnectionBuilder>? configure = null)
    {
        var builder = new HubConnectionBuilder().WithUrl(new Uri(BaseAddress, "/hubs/agents"));
        configure?.Invoke(builder);
        return builder.Build();
    }

    /// <summary>The simulator's request counters (<c>/sim/stats</c>).</summary>
    public async Task<SimStats> GetSimStatsAsync(CancellationToken ct = default)
    {
        var json = await Sim.GetFromJsonAsync<JsonObject>("/sim/stats", ct) ?? throw new InvalidOperationException("/sim/stats answered null");
        return SimStats.From(json);
    }

    public async Task ResetSimStatsAsync(CancellationToken ct = default)
    {
        using var response = await Sim.PostAsync("/sim/stats/reset", content: null, ct);
        response.EnsureSuccessStatusCode();
    }

    public virtual async Task InitializeAsync()
    {
        var simulatorOptions = new SimulatorOptions { TimeScale = 30 };
        ConfigureSimulator(simulatorOptions);

        // Started here rather than by Program (see the class remarks): Program builds the simulator's own web host while it
        // starts, and WebApplicationFactory takes the first host built on the entry point's flow for the app's.
        Simulator = await KubeSimulator.StartAsync(simulatorOptions);
        _kubeconfigDir = Directory.CreateTempSubdirectory("kosmos-dashboard-host-");
        var kubeconfig = Path.Combine(_kubeconfigDir.FullName, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, Kubeconfig(SimulatorUrl));

        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Kosmos:Cluster:Mode"] = "Kubeconfig",
            ["Kosmos:Cluster:KubeconfigPath"] = kubeconfig,
            ["Kosmos:Auth:Mode"] = "Demo",

            // Only for Program's start-up guard, which sees the kubeconfig connection; the services get the simulated one below.
            ["Kosmos:Auth:AllowDemoOnRealCluster"] = "true",

            // The terminal is on by default only on the embedded simulator; this host reaches its simulator by kubeconfig.
            ["Kosmos:Terminal:Enabled"] = "true",

            // The audit of this run only: a file in the fixture's temp folder, not under the source tree's content root.
            ["Kosmos:Audit:ConnectionString"] = $"Data Source={Path.Combine(_kubeconfigDir.FullName, "audit.db")}",

            // Request logs of a hundred viewers would only slow a loaded machine down.
            ["Serilog:MinimumLevel:Default"] = "Warning",
        };
        ConfigureSettings(settings);

        _factory = new DashboardFactory(settings, Simulator);

        // On the plain factory (not one from WithWebHostBuilder, which ignores the port): a real socket on a free loopback port.
        _factory.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();

        var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel reported no bound address");
        BaseAddress = new Uri(address.TrimEnd('/') + "/");
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Sim = new HttpClient { BaseAddress = SimulatorUrl, Timeout = TimeSpan.FromSeconds(30) };
        Kubectl = new Kubectl(SimulatorUrl);

        await Eventually.Until(async () =>
        {
            using var response = await Http.GetAsync("/readyz");
            return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
        }, answer => answer.StartsWith("200 ", StringComparison.Ordinal), Timeout, "/readyz to answer 200 (every watch cache synced)");
    }

    public virtual async Task DisposeAsync()
    {
        Http?.Dispose();
        Sim?.Dispose();
        Kubectl?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _kubeconfigDir?.Delete(recursive: true);
    }

    /// <summary>Configuration the dashboard starts with (keys as in appsettings, e.g. <c>Kosmos:Simulator:TimeScale</c>). Override to change or add.</summary>
    protected virtual void ConfigureSettings(IDictionary<string, string?> settings)
    {
    }

    /// <summary>The simulated cluster (default: the demo fleet, 30 simulated seconds per real second). Override to change.</summary>
    protected virtual void ConfigureSimulator(SimulatorOptions options)
    {
    }

    private static string Kubeconfig(Uri server) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: simulated
          cluster:
            server: {server.ToString().TrimEnd('/')}
        users:
        - name: anonymous
          user:
            token: not-checked-by-the-simulator
        contexts:
        - name: simulated
          context:
            cluster: simulated
            user: anonymous
        current-context: simulated
        """;

    private sealed class DashboardFactory(IReadOnlyDictionary<string, string?> settings, KubeSimulator simulator) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // Host settings reach Program's configuration before it reads Kosmos:* (app configuration callbacks would come too late).
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            // Open hub streams and watches must not hold the test run's shutdown for the default 30 s.
            builder.ConfigureServices(services =>
            {
                services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(3));

                // What Simulated mode registers (these run after Program's registrations, so they win).
                var connection = ClusterConnection.ForSimulator(simulator.Url);
                services.AddSingleton(simulator);
                services.AddSingleton(connection);
                services.AddSingleton(connection.Identity);
            });
        }
    }
}

/// <summary>The tests that share one running dashboard.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardHostCollection : ICollectionFixture<DashboardHostFixture>
{
    public const string Name = "Dashboard host";
}

/// <summary>What <c>/sim/stats</c> says: requests per <c>resource:verb</c> since the last reset, and the API watches open now.</summary>
public sealed record SimStats(IReadOnlyDictionary<string, long> ByResourceVerb, int OpenWatches)
{
    public long Count(string resource, string verb) => ByResourceVerb.GetValueOrDefault($"{resource}:{verb}");

    /// <summary>Every non-zero counter whose verb is one of <paramref name="verbs"/>.</summary>
    public IReadOnlyDictionary<string, long> WithVerbs(params string[] verbs) => ByResourceVerb
        .Where(p => p.Value > 0 && verbs.Contains(p.Key[(p.Key.LastIndexOf(':') + 1)..], StringComparer.Ordinal))
        .ToDictionary(p => p.Key, p => p.Value);

    public override string ToString() =>
        $"openWatches={OpenWatches} " + string.Join(", ", ByResourceVerb.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    public static SimStats From(JsonObject json)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        if (json["byResourceVerb"] is JsonObject byResourceVerb)
        {
            foreach (var (key, value) in byResourceVerb)
            {
                counts[key] = value?.GetValue<long>() ?? 0;
            }
        }

        return new SimStats(counts, json["openWatches"]?.GetValue<int>() ?? throw new InvalidOperationException("/sim/stats has no openWatches"));
    }
}

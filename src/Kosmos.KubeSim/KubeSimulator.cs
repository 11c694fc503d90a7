using System.Net;
using Kosmos.KubeSim.Api;
using Kosmos.KubeSim.Auth;
using Kosmos.KubeSim.Auth.Rbac;
using Kosmos.KubeSim.Control;
using Kosmos.KubeSim.Runtime;
using Kosmos.KubeSim.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kosmos.KubeSim;

/// <summary>
/// A running simulated cluster: the object store, the kubelet and controllers, and an HTTP front speaking the
/// Kubernetes API on a loopback socket. The front can be restarted (fault injection) while state and controllers live on.
/// Start with <see cref="StartAsync"/>, stop with <see cref="DisposeAsync"/>.
/// </summary>
public sealed class KubeSimulator : IAsyncDisposable
{
    private readonly SimulatorOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _controllerTasks = [];
    private readonly SemaphoreSlim _frontGate = new(1, 1);
    private WebApplication? _front;

    private KubeSimulator(SimulatorOptions options, ILoggerFactory loggers)
    {
        _options = options;
        _loggers = loggers;
        Time = new ScaledTimeProvider(options.TimeProvider, options.TimeScale);
        Store = new ObjectStore(Time);
        WatchOptions = new WatchOptions { BookmarkInterval = options.BookmarkInterval };
        Certificate = options.Tls ? SelfSignedCertificate.Create(options.Host) : null;
        Access = new ApiAccess(options.Authorization, new TokenAuthenticator(options.Tokens.ToDictionary()), new RbacAuthorizer(Store), Authorizations, Stats);
    }

    public ObjectStore Store { get; }

    /// <summary>
    /// The cluster's clock: <see cref="SimulatorOptions.TimeProvider"/> scaled by the time scale (<c>/sim/time-scale</c>).
    /// The kubelet and controllers run on it; the API front's own timers (watch bookmarks) and exec's <c>sleep</c> run on the unscaled clock.
    /// </summary>
    public ScaledTimeProvider Time { get; }

    public SimulatorStats Stats { get; } = new();

    public FaultInjector Faults { get; } = new();

    /// <summary>Every authorisation decision on the API (with <see cref="AuthorizationMode.Rbac"/>), also at <c>GET /sim/authorizations</c>.</summary>
    public AuthorizationLog Authorizations { get; } = new();

    /// <summary>The serving certificate in PEM when <see cref="SimulatorOptions.Tls"/> is on (the CA a client trusts), else null.</summary>
    public string? CertificatePem => Certificate?.Pem;

    private SelfSignedCertificate? Certificate { get; }

    /// <summary>Authentication and authorisation in front of the API.</summary>
    public ApiAccess Access { get; }

    public WatchOptions WatchOptions { get; }

    /// <summary>The simulated kubelet (logs, exec), when controllers run.</summary>
    public IPodRuntime? Runtime { get; private set; }

    /// <summary>Base URL of the API, e.g. http://127.0.0.1:41234.</summary>
    public Uri Url { get; private set; } = new("http://127.0.0.1");

    internal IReadOnlyList<ISimController> Controllers { get; private set; } = [];

    public static async Task<KubeSimulator> StartAsync(SimulatorOptions? options = null, ILoggerFactory? loggers = null, CancellationToken ct = default)
    {
        var simulator = new KubeSimulator(options ?? new SimulatorOptions(), loggers ?? NullLoggerFactory.Instance);
        await simulator.StartCoreAsync(ct);
        return simulator;
    }

    /// <summary>Fault injection: stops the HTTP front (every connection and watch is cut), forgets watch history, starts again on the same port.</summary>
    public async Task RestartApiAsync(CancellationToken ct = default)
    {
        await _frontGate.WaitAsync(ct);
        try
        {
            // Watches first: open streams would otherwise hold the front's shutdown for its whole timeout.
            Store.DropApiWatches();
            Store.ExpireHistory();
            if (_front is not null)
            {
                await _front.StopAsync(ct);
                await _front.DisposeAsync();
            }
            _front = await StartFrontAsync(Url.Port, ct);
        }
        finally
        {
            _frontGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_front is not null)
        {
            await _front.StopAsync();
            await _front.DisposeAsync();
        }

        try
        {
            await Task.WhenAll(_controllerTasks);
        }
        catch (OperationCanceledException)
        {
            // Controllers end by cancellation.
        }

        _stopping.Dispose();
        _frontGate.Dispose();
        Certificate?.Dispose();
    }

    private async Task StartCoreAsync(CancellationToken ct)
    {
        Store.Create(ResourceKinds.Namespaces, new() { ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "default" } });
        Store.Create(ResourceKinds.Namespaces, new() { ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "kube-system" } });
        BootstrapPolicy.Seed(Store);
        if (_options.RunControllers)
        {
            var (runtime, controllers) = SimulatorComposition.CreateControllers(this, _options, _loggers);
            Runtime = runtime;
            Controllers = controllers;
            foreach (var controller in controllers)
            {
                _controllerTasks.Add(Task.Run(() => controller.RunAsync(_stopping.Token), CancellationToken.None));
            }
        }

        if (_options.SeedDemoFleet)
        {
            SimulatorComposition.SeedDemoFleet(this, _options, _loggers);
        }

        _front = await StartFrontAsync(_options.Port, ct);
        var address = _front.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Url = new Uri(address);
    }

    private async Task<WebApplication> StartFrontAsync(int port, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(_loggers);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));

        // The front must never take over the process's Ctrl+C / SIGTERM handling: its owner (the dashboard, a test, the standalone host) decides when it stops.
        builder.Services.AddSingleton<IHostLifetime, PassiveLifetime>();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Parse(_options.Host), port, listen =>
        {
            if (Certificate is not null)
            {
                listen.UseHttps(Certificate.Certificate);
            }
        }));
        builder.Services.AddSingleton(this);
        builder.Services.AddSingleton(Store);
        builder.Services.AddSingleton(Stats);
        builder.Services.AddSingleton(Faults);
        builder.Services.AddSingleton(Access);
        builder.Services.AddSingleton(WatchOptions);
        builder.Services.AddSingleton(Time.Inner);
        builder.Services.AddSingleton(sp => new ResourceHandler(Store, Stats, Time.Inner, Runtime, WatchOptions));
        builder.Services.AddSingleton<ApiRouter>();
        var app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
        app.MapSimControls();
        var router = app.Services.GetRequiredService<ApiRouter>();
        // Everything that is not a /sim/ control is the Kubernetes API (a catch-all route ranks below the literal /sim routes).
        app.Map("/{**path}", router.HandleAsync);
        await app.StartAsync(ct);
        return app;
    }
}

internal sealed class PassiveLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>A loop inside the simulator (kubelet, deployment controller, ...). Runs until cancelled.</summary>
internal interface ISimController
{
    Task RunAsync(CancellationToken ct);
}

using k8s;
using Kosmos.KubeSim;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Kosmos.TestSupport;

/// <summary>
/// One simulated cluster on a loopback socket, shared by a test collection. Tests reach it only over HTTP:
/// through KubernetesClient (<see cref="Client"/>), real kubectl (<see cref="Kubectl"/>) or the /sim/ controls (<see cref="Sim"/>).
/// Override <see cref="Configure"/> for a different fleet or time scale.
/// </summary>
public class SimulatorFixture : IAsyncLifetime
{
    private KubeSimulator? _simulator;

    public KubeSimulator Simulator => _simulator ?? throw new InvalidOperationException("the simulator has not started");

    public Uri Url => Simulator.Url;

    public IKubernetes Client { get; private set; } = null!;

    /// <summary>
    /// The simulator's clock when <see cref="Configure"/> gave it one (<see cref="UseFakeClock"/>): tests advance it
    /// (<see cref="SimulatedTime"/>) instead of waiting for the cluster's deadlines in real time. Null on the real clock.
    /// </summary>
    public FakeTimeProvider? Clock { get; private set; }

    public HttpClient Sim { get; private set; } = null!;

    public Kubectl Kubectl { get; private set; } = null!;

    /// <summary>A Kubernetes client of its own, e.g. for a cache under test that should not share connections.</summary>
    public IKubernetes NewClient() => new Kubernetes(new KubernetesClientConfiguration { Host = Url.ToString().TrimEnd('/') });

    public async Task InitializeAsync()
    {
        var options = new SimulatorOptions();
        Configure(options);
        _simulator = await KubeSimulator.StartAsync(options);
        Client = NewClient();
        Sim = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(30) };
        Kubectl = new Kubectl(Url);
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        Sim?.Dispose();
        Kubectl?.Dispose();
        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }
    }

    /// <summary>Runs the simulator on a fake clock at scale 1: nothing in the cluster waits unless the test advances <see cref="Clock"/>.</summary>
    protected void UseFakeClock(SimulatorOptions options)
    {
        Clock = SimulatedTime.StartingNow();
        options.TimeProvider = Clock;
        options.TimeScale = 1;
    }

    /// <summary>Defaults: the demo fleet, controllers running, time 60× faster so back-offs take seconds.</summary>
    protected virtual void Configure(SimulatorOptions options)
    {
        options.TimeScale = 60;
        options.BookmarkInterval = TimeSpan.FromSeconds(1);
    }
}

/// <summary>A simulator with no fleet and no controllers: only the API machinery.</summary>
public sealed class EmptySimulatorFixture : SimulatorFixture
{
    protected override void Configure(SimulatorOptions options)
    {
        base.Configure(options);
        options.SeedDemoFleet = false;
        options.RunControllers = false;
    }
}

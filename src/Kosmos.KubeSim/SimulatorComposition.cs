using Kosmos.KubeSim.Controllers;
using Kosmos.KubeSim.Fleet;
using Kosmos.KubeSim.Runtime;
using Kosmos.KubeSim.Volumes;
using Microsoft.Extensions.Logging;

namespace Kosmos.KubeSim;

/// <summary>Wires the simulated kubelet, exec, volume data and controllers, and seeds the demo fleet.</summary>
internal static class SimulatorComposition
{
    public static (IPodRuntime? Runtime, IReadOnlyList<ISimController> Controllers) CreateControllers(
        KubeSimulator simulator, SimulatorOptions options, ILoggerFactory loggers)
    {
        var kubelet = new Kubelet(simulator.Store, simulator.Time, options.DemoBehaviours ? DemoBehaviours.Create() : new AgentBehaviours(), loggers.CreateLogger<Kubelet>());
        var volumes = new VolumeDataRegistry(simulator.Time);
        // Exec's sleep and file times run on the unscaled clock, as a shell in a real container would.
        var runtime = new ExecRuntime(kubelet, volumes, simulator.Time.Inner);
        return (runtime, [kubelet, .. ControllerManager.Create(simulator.Store, simulator.Time, loggers, volumes)]);
    }

    public static void SeedDemoFleet(KubeSimulator simulator, SimulatorOptions options, ILoggerFactory loggers) =>
        new FleetSeeder(simulator.Store, simulator.Time, loggers.CreateLogger<FleetSeeder>())
        {
            PastImageTags = options.DemoBehaviours ? DemoBehaviours.PastImageTags : null,
        }.SeedDemo(options.ManifestsDirectory);
}

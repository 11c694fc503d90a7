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
        var kubelet = new Kubelet(simulator.Store, simulator.Clock, options.DemoBehaviours ? DemoBehaviours.Create() : new AgentBehaviours(), loggers.CreateLogger<Kubelet>());
        var volumes = new VolumeDataRegistry(simulator.Clock.Time);
        var runtime = new ExecRuntime(kubelet, volumes, simulator.Clock.Time);
        return (runtime, [kubelet, .. ControllerManager.Create(simulator.Store, simulator.Clock, loggers, volumes)]);
    }

    public static void SeedDemoFleet(KubeSimulator simulator, SimulatorOptions options, ILoggerFactory loggers) =>
        new FleetSeeder(simulator.Store, simulator.Clock.Time, loggers.CreateLogger<FleetSeeder>()).SeedDemo(options.ManifestsDirectory);
}

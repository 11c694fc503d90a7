using Kosmos.KubeSim.Controllers;
using Kosmos.KubeSim.Runtime;
using Microsoft.Extensions.Logging;

namespace Kosmos.KubeSim;

/// <summary>Wires the simulated kubelet and controllers, and seeds the demo fleet.</summary>
internal static class SimulatorComposition
{
    public static (IPodRuntime? Runtime, IReadOnlyList<ISimController> Controllers) CreateControllers(
        KubeSimulator simulator, SimulatorOptions options, ILoggerFactory loggers) =>
        (null, [.. ControllerManager.Create(simulator.Store, simulator.Clock, loggers)]);

    public static void SeedDemoFleet(KubeSimulator simulator, SimulatorOptions options, ILoggerFactory loggers)
    {
    }
}

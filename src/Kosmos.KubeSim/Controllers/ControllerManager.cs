using Kosmos.KubeSim.Store;
using Microsoft.Extensions.Logging;

namespace Kosmos.KubeSim.Controllers;

/// <summary>The simulator's kube-controller-manager (plus provisioner and snapshot controller): every controller loop, ready to run.</summary>
internal static class ControllerManager
{
    /// <summary>How often (simulated) every object is looked at again, in case a change slipped past the watches.</summary>
    public static readonly TimeSpan ResyncPeriod = TimeSpan.FromMinutes(10);

    public static IReadOnlyList<ISimController> Create(ObjectStore store, SimClock clock, ILoggerFactory loggers, IVolumeDataStore? volumeData = null) =>
    [
        new DeploymentController(store, clock, loggers, ResyncPeriod),
        new ReplicaSetController(store, clock, loggers, ResyncPeriod),
        new GarbageCollector(store, clock, loggers, ResyncPeriod),
        new VolumeController(store, clock, loggers, ResyncPeriod, volumeData),
        new ClaimProtectionController(store, clock, loggers, ResyncPeriod),
    ];
}

using Kosmos.KubeSim.Store;
using Microsoft.Extensions.Logging;

namespace Kosmos.KubeSim.Controllers;

/// <summary>The simulator's kube-controller-manager (plus provisioner and snapshot controller): every controller loop, ready to run.</summary>
internal static class ControllerManager
{
    /// <summary>How often (simulated) every object is looked at again, in case a change slipped past the watches.</summary>
    public static readonly TimeSpan ResyncPeriod = TimeSpan.FromMinutes(10);

    public static IReadOnlyList<ISimController> Create(ObjectStore store, ScaledTimeProvider time, ILoggerFactory loggers, IVolumeDataStore? volumeData = null) =>
    [
        new DeploymentController(store, time, loggers, ResyncPeriod),
        new ReplicaSetController(store, time, loggers, ResyncPeriod),
        new GarbageCollector(store, time, loggers, ResyncPeriod),
        new VolumeController(store, time, loggers, ResyncPeriod, volumeData),
        new ClaimProtectionController(store, time, loggers, ResyncPeriod),
    ];
}

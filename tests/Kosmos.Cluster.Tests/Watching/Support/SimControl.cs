using Kosmos.TestSupport;

namespace Kosmos.Cluster.Tests.Watching.Support;

/// <summary>
/// The simulator's fault and stats controls — the operations behind POST /sim/faults/*, /sim/restart and GET /sim/stats —
/// called in-process. On this branch's base the /sim/ routes are unreachable (the API catch-all answers them with 404; fixed
/// on main by ce10410), and an awaited restart is also the deterministic way to know the front is back. The cache under
/// test still reaches the simulator only over HTTP through KubernetesClient.
/// </summary>
public static class SimControl
{
    public static int DropWatches(this SimulatorFixture sim) => sim.Simulator.Store.DropApiWatches();

    public static void ExpireHistory(this SimulatorFixture sim) => sim.Simulator.Store.ExpireHistory();

    /// <summary>The next <paramref name="count"/> API requests (anyone's) fail with <paramref name="code"/>; 429 carries Retry-After: 1.</summary>
    public static void FailNext(this SimulatorFixture sim, int count, int code) => sim.Simulator.Faults.FailNext(count, code);

    /// <summary>Requests answered with an injected failure since the last reset.</summary>
    public static long InjectedFailures(this SimulatorFixture sim) => sim.Simulator.Stats.Count("injected-failure");

    /// <summary>Requests for one verb ("list", "watch", ...) on one resource ("pods", ...) since the last reset (/sim/stats byResourceVerb).</summary>
    public static long Requests(this SimulatorFixture sim, string verb, string resource) => sim.Simulator.Stats.Count(verb, resource);

    public static int OpenWatches(this SimulatorFixture sim) => sim.Simulator.Store.OpenApiWatchCount;

    public static void ResetStats(this SimulatorFixture sim) => sim.Simulator.Stats.Reset();

    /// <summary>Restarts the HTTP front (all connections cut, watch history expired) and returns once it serves again.</summary>
    public static Task RestartFrontAsync(this SimulatorFixture sim) => sim.Simulator.RestartApiAsync();
}

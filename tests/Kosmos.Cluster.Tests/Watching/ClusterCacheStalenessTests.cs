using Kosmos.Cluster.Tests.Watching.Support;
using Kosmos.Cluster.Watching;
using Kosmos.TestSupport;

namespace Kosmos.Cluster.Tests.Watching;

/// <summary>
/// When the API server stops answering, each kind says so: failing since when, last heard from when, and stale once that
/// lasts StaleAfter; when it answers again, the stale kinds list afresh and the spell is over.
/// </summary>
public sealed class ClusterCacheStalenessTests(EmptySimulatorFixture sim) : IClassFixture<EmptySimulatorFixture>
{
    private static readonly TimeSpan Timeout = CacheHarness.Timeout;

    [Fact]
    public async Task ServerAnswers503_LongerThanStaleAfter_StaleThenRelistsAndRecovers()
    {
        await using var h = await CacheHarness.StartAsync(sim, o => o.StaleAfter = TimeSpan.FromSeconds(1),
            seed: (api, ns) => api.CreateOneOfEachAsync(ns, "a"));
        var before = DateTimeOffset.UtcNow;
        try
        {
            sim.FailNext(int.MaxValue, 503);
            sim.DropWatches();

            // A server that answers 503 keeps no stream open: a watch that was being accepted while the faults were set is
            // dropped too, on every look, or its bookmarks would keep that one kind "in touch".
            await Eventually.Until(() =>
            {
                sim.DropWatches();
                return h.Cache.Status.Stale.Count() == h.Cache.Status.Reflectors.Count;
            }, Timeout, "every kind to turn stale");
            Assert.All(h.Cache.Status.Reflectors, r =>
            {
                Assert.True(r.FailingSince >= before, r.ToString());
                Assert.True(r.LastContactAt <= r.FailingSince, r.ToString());
                Assert.Contains("503", r.LastError, StringComparison.Ordinal);
            });
        }
        finally
        {
            sim.Simulator.Faults.Clear();
        }

        await h.Api.CreatePodAsync(h.Namespace, "after-outage");
        await Eventually.Until(() => h.Cache.Status.Reflectors.All(r => r.FailingSince is null && !r.IsStale), Timeout, "every kind to be in touch again");
        await h.ConvergedAsync("after the outage");
        Assert.All(h.Cache.Status.Reflectors, r => Assert.True(r.Counters.Relists >= 1, $"{r.Kind} resumed its watch after being stale instead of listing afresh"));
    }

    [Fact]
    public async Task ServerAnswers503_ShortSpell_NeverStaleAndNoRelist()
    {
        await using var h = await CacheHarness.StartAsync(sim, o => o.StaleAfter = TimeSpan.FromSeconds(30),
            seed: (api, ns) => api.CreateOneOfEachAsync(ns, "a"));

        sim.FailNext(2 * ClusterResourceKinds.All.Count, 503);
        sim.DropWatches();
        await Eventually.Until(() => sim.InjectedFailures() >= 2 * ClusterResourceKinds.All.Count, Timeout, "the cache to run into the 503s");
        await Eventually.Until(() => h.Cache.Status.Reflectors.All(r => r.FailingSince is null), Timeout, "every kind to be in touch again");

        Assert.All(h.Cache.Status.Reflectors, r => Assert.Equal((r.Kind, false, 0L), (r.Kind, r.IsStale, r.Counters.Relists)));
    }
}

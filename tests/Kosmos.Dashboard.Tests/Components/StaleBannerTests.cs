using Bunit;
using Kosmos.Dashboard.Components.Layout;
using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Recovery.Live;

namespace Kosmos.Dashboard.Tests.Components;

public sealed class StaleBannerTests : ComponentTest
{
    [Fact]
    public void Render_KindFailingPastStaleAfter_ShowsStaleWithLastUpdateThatKeepsCounting()
    {
        var failingSince = TestData.Now.AddSeconds(-12);
        Ctx.Board.SetStatus(new ClusterStatus("prod-eu", "https://k8s.example:6443", IsSimulated: false, IsSynced: true,
        [
            new KindStatus("pods", "kosmos", KindSyncState.Synced, "503 ServiceUnavailable", failingSince, IsStale: true, failingSince, failingSince),
            new KindStatus("events", "kosmos", KindSyncState.Synced, null, TestData.Now),
        ]));

        var cut = Ctx.Render<ClusterBanner>();

        Assert.Equal("Stale", cut.Find("[data-testid=cluster-banner]").GetAttribute("data-sync"));
        Assert.Equal("stale: 1 of 2 resource kinds are not updating, last update 12s ago", cut.Find("[data-testid=banner-sync]").TextContent);
        Assert.Equal("pods in kosmos: last update 12s ago (503 ServiceUnavailable)", cut.Find("[data-testid=banner-stale-kind]").TextContent);

        // Nothing new arrives from the board while the cluster is down: the banner's own ticker keeps the age true.
        Ctx.Time.SetUtcNow(TestData.Now.AddSeconds(3));
        cut.WaitForAssertion(() => Assert.Equal("pods in kosmos: last update 15s ago (503 ServiceUnavailable)",
            cut.Find("[data-testid=banner-stale-kind]").TextContent), Timeout);
    }

    [Fact]
    public void Render_FailingButNotYetStale_StillSynced()
    {
        var since = TestData.Now.AddSeconds(-2);
        Ctx.Board.SetStatus(new ClusterStatus("prod-eu", "https://k8s.example:6443", IsSimulated: false, IsSynced: true,
            [new KindStatus("pods", "kosmos", KindSyncState.Synced, "503", since, IsStale: false, since, since)]));

        var cut = Ctx.Render<ClusterBanner>();

        Assert.Equal("synced", cut.Find("[data-testid=banner-sync]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=banner-stale]"));
    }
}

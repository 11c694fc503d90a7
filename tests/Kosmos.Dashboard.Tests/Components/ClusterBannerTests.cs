using Bunit;
using Kosmos.Dashboard.Components.Layout;
using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Recovery.Live;

namespace Kosmos.Dashboard.Tests.Components;

public sealed class ClusterBannerTests : ComponentTest
{
    [Fact]
    public void Render_SyncedSimulator_ShowsNameKindServerAndSynced()
    {
        var cut = Ctx.Render<ClusterBanner>();

        Assert.Equal("kosmos-sim", cut.Find("[data-testid=banner-cluster]").TextContent);
        Assert.Equal("simulated cluster", cut.Find("[data-testid=banner-kind]").TextContent);
        Assert.Equal("http://127.0.0.1:41234", cut.Find("[data-testid=banner-server]").TextContent);
        Assert.Equal("synced", cut.Find("[data-testid=banner-sync]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=banner-degraded]"));
    }

    [Fact]
    public void Render_RealClusterWithDegradedKinds_ListsEachKindWithReason()
    {
        Ctx.Board.SetStatus(new ClusterStatus("prod-eu", "https://k8s.example:6443", IsSimulated: false, IsSynced: true,
        [
            new KindStatus("pods", "kosmos", KindSyncState.Synced, null, TestData.Now),
            new KindStatus("events", "kosmos", KindSyncState.Degraded, "watch failed: 403 Forbidden", TestData.Now.AddMinutes(-4)),
            new KindStatus("volumesnapshots", "kosmos", KindSyncState.Degraded, "the server could not find the requested resource", null),
        ]));

        var cut = Ctx.Render<ClusterBanner>();

        Assert.Equal("real cluster", cut.Find("[data-testid=banner-kind]").TextContent);
        Assert.Equal("Degraded", cut.Find("[data-testid=cluster-banner]").GetAttribute("data-sync"));
        Assert.StartsWith("degraded: 2 of 3", cut.Find("[data-testid=banner-sync]").TextContent, StringComparison.Ordinal);
        var kinds = cut.FindAll("[data-testid=banner-degraded-kind]").Select(e => e.TextContent).ToList();
        Assert.Equal(
            ["events in kosmos: watch failed: 403 Forbidden (last event 4m ago)", "volumesnapshots in kosmos: the server could not find the requested resource"],
            kinds);
    }

    [Fact]
    public void StatusChanged_KindDegrades_BannerUpdates()
    {
        var cut = Ctx.Render<ClusterBanner>();

        Ctx.Board.SetStatus(TestData.SyncedStatus(new KindStatus("pods", "kosmos", KindSyncState.Degraded, "relisting after 410 Gone", null)));

        cut.WaitForAssertion(() => Assert.Equal("pods in kosmos: relisting after 410 Gone", cut.Find("[data-testid=banner-degraded-kind]").TextContent), Timeout);
    }

    [Fact]
    public void Render_NotSynced_SaysSyncing()
    {
        Ctx.Board.SetStatus(TestData.SyncingStatus());

        var cut = Ctx.Render<ClusterBanner>();

        Assert.Equal("syncing (1 of 2 resource kinds still loading)", cut.Find("[data-testid=banner-sync]").TextContent);
    }

    [Fact]
    public async Task Dispose_Unmounted_StopsListening()
    {
        Ctx.Render<ClusterBanner>();
        Assert.Equal(1, Ctx.Board.StatusListeners);

        await Ctx.Bunit.DisposeComponentsAsync();

        Assert.Equal(0, Ctx.Board.StatusListeners);
    }
}

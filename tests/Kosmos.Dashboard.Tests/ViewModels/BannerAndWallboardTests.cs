using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Dashboard.ViewModels;
using Kosmos.Recovery.Health;
using Kosmos.Recovery.Live;

namespace Kosmos.Dashboard.Tests.ViewModels;

public sealed class BannerAndWallboardTests
{
    public static TheoryData<bool, KindSyncState[], BannerSeverity, string> Banners => new()
    {
        { true, [KindSyncState.Synced, KindSyncState.Synced], BannerSeverity.Ok, "synced" },
        { false, [KindSyncState.Syncing, KindSyncState.Synced], BannerSeverity.Syncing, "syncing (1 of 2 resource kinds still loading)" },
        { false, [], BannerSeverity.Syncing, "syncing" },
        { true, [KindSyncState.Degraded, KindSyncState.Synced], BannerSeverity.Degraded, "degraded: 1 of 2 resource kinds are not up to date" },
        { false, [KindSyncState.Degraded, KindSyncState.Syncing], BannerSeverity.Degraded, "degraded: 1 of 2 resource kinds are not up to date" },
    };

    [Theory]
    [MemberData(nameof(Banners))]
    public void From_Status_SeverityAndText(bool synced, KindSyncState[] kinds, BannerSeverity severity, string text)
    {
        var status = new ClusterStatus("c", "https://x", false, synced, [.. kinds.Select((k, i) => new KindStatus($"kind{i}", "kosmos", k, k == KindSyncState.Degraded ? "boom" : null, null))]);

        var model = ClusterBannerModel.From(status, TestData.Now);

        Assert.Equal((severity, text), (model.Severity, model.SyncText));
        Assert.Equal("real cluster", model.ClusterKind);
    }

    [Fact]
    public void Namespaces_SeveralKinds_DistinctSortedOrKosmos()
    {
        Assert.Equal("kosmos", ClusterBannerModel.Namespaces(new ClusterStatus("c", "s", true, true, [])));
        Assert.Equal("a, kosmos", ClusterBannerModel.Namespaces(new ClusterStatus("c", "s", true, true,
            [new KindStatus("pods", "kosmos", KindSyncState.Synced, null, null), new KindStatus("pods", "a", KindSyncState.Synced, null, null), new KindStatus("events", "kosmos", KindSyncState.Synced, null, null)])));
    }

    [Fact]
    public void Wallboard_Fleet_CountsNonZeroPlusHealthyAndTilesWorstThenLongest()
    {
        var state = new BoardState();
        state.Reset(
        [
            TestData.Agent("b-crash", HealthState.CrashLoopBackOff, since: TestData.Now.AddMinutes(-5)),
            TestData.Agent("a-crash", HealthState.CrashLoopBackOff, since: TestData.Now.AddMinutes(-1)),
            TestData.Agent("z-oom", HealthState.OOMKilled, since: TestData.Now.AddMinutes(-2)),
            TestData.Agent("p", HealthState.Progressing),
        ]);

        var model = WallboardModel.From(state, TestData.Now);

        Assert.Equal([(HealthState.OOMKilled, 1), (HealthState.CrashLoopBackOff, 2), (HealthState.Progressing, 1), (HealthState.Healthy, 0)], model.Counts.Select(c => (c.State, c.Count)));
        Assert.Equal(["z-oom", "b-crash", "a-crash"], model.Tiles.Select(t => t.Name));
        Assert.Equal("5m", model.Tiles[1].Duration);
    }

    [Fact]
    public void Wallboard_MoreFailingThanTiles_CountsTheRest()
    {
        var state = new BoardState();
        state.Reset([.. Enumerable.Range(0, 10).Select(i => TestData.Agent($"a{i}", HealthState.Pending))]);

        var model = WallboardModel.From(state, TestData.Now, maxTiles: 4);

        Assert.Equal((4, 6), (model.Tiles.Count, model.HiddenTiles));
    }

    [Theory]
    [InlineData(null, "—", "—")]
    [InlineData(-30, "30s ago", "30s")]
    [InlineData(-600, "10m ago", "10m")]
    [InlineData(-14400, "4h ago", "4h")]
    [InlineData(-7200, "120m ago", "120m")]
    public void TimeText_Offset_AgoAndDuration(int? secondsFromNow, string ago, string duration)
    {
        DateTimeOffset? at = secondsFromNow is null ? null : TestData.Now.AddSeconds(secondsFromNow.Value);

        Assert.Equal((ago, duration), (TimeText.Ago(at, TestData.Now), TimeText.Duration(at, TestData.Now)));
    }

    [Theory]
    [InlineData(HealthState.OOMKilled, "a", HealthState.Healthy, "a", -1)]
    [InlineData(HealthState.Healthy, "a", HealthState.Progressing, "z", 1)]
    [InlineData(HealthState.Pending, "a", HealthState.Pending, "b", -1)]
    [InlineData(HealthState.Unknown, "x", HealthState.Unknown, "x", 0)]
    public void Compare_TwoAgents_SeverityThenName(HealthState s1, string n1, HealthState s2, string n2, int expected) =>
        Assert.Equal(expected, Math.Sign(AgentOrder.Instance.Compare(TestData.Agent(n1, s1), TestData.Agent(n2, s2))));

    [Theory]
    [InlineData("simulated", true, false)]
    [InlineData("Simulated", true, false)]
    [InlineData("kosmos-sim", true, true)]
    [InlineData("simulated", false, true)]
    [InlineData("prod-eu", false, true)]
    public void ShowName_OnlyWhenTheNameSaysMoreThanTheKind(string name, bool simulated, bool shown)
    {
        var status = new ClusterStatus(name, "http://127.0.0.1:1", simulated, true, []);

        Assert.Equal(shown, ClusterBannerModel.From(status, DateTimeOffset.UnixEpoch).ShowName);
    }
}

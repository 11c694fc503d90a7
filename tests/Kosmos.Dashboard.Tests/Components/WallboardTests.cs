using Bunit;
using Kosmos.Dashboard.Components.Pages;
using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Recovery.Health;

namespace Kosmos.Dashboard.Tests.Components;

public sealed class WallboardTests : ComponentTest
{
    [Fact]
    public void Render_MixedFleet_CountsPerStateAndTilesOfFailingAgentsOnly()
    {
        Ctx.Board.Upsert(TestData.OnePerState());
        Ctx.Board.Upsert(TestData.Agent("kilo-healthy"));

        var cut = Ctx.Render<Wallboard>();

        Assert.Equal("2", cut.Find("[data-testid=wall-count][data-state=Healthy] [data-testid=wall-count-value]").TextContent);
        Assert.Equal("1", cut.Find("[data-testid=wall-count][data-state=OOMKilled] [data-testid=wall-count-value]").TextContent);
        var tiles = cut.FindAll("[data-testid=wall-tile]").Select(t => t.GetAttribute("data-agent")).ToList();
        Assert.Equal(["delta-oom", "charlie-crash", "golf-imagepull", "echo-unresponsive", "hotel-degraded", "foxtrot-pending", "india-unknown"], tiles);

        var oom = cut.Find("[data-testid=wall-tile][data-agent=delta-oom]");
        Assert.Equal("container agent OOMKilled at its 512Mi memory limit", oom.QuerySelector("[data-testid=wall-tile-reason]")!.TextContent);
        Assert.Equal("for 12m", oom.QuerySelector("[data-testid=wall-tile-duration]")!.TextContent);
        Assert.Equal("Out of memory", oom.QuerySelector("[data-testid=health-label]")!.TextContent);
    }

    [Fact]
    public void LiveUpsert_AgentRecovers_TileGoesAndAllHealthyShows()
    {
        Ctx.Board.Upsert(TestData.Agent("alpha", HealthState.CrashLoopBackOff, since: TestData.Now.AddMinutes(-2)));
        var cut = Ctx.Render<Wallboard>();
        Assert.Single(cut.FindAll("[data-testid=wall-tile]"));

        Ctx.Board.Upsert(TestData.Agent("alpha", HealthState.Healthy));

        cut.WaitForAssertion(() =>
        {
            Assert.Empty(cut.FindAll("[data-testid=wall-tile]"));
            Assert.Contains("No failing agents (1 agent)", cut.Find("[data-testid=wall-all-healthy]").TextContent, StringComparison.Ordinal);
        }, Timeout);
    }
}

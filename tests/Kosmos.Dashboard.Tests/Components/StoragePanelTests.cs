using Bunit;
using Kosmos.Dashboard.Components.Agent;
using Kosmos.Dashboard.Tests.Fakes;

namespace Kosmos.Dashboard.Tests.Components;

public sealed class StoragePanelTests : ComponentTest
{
    [Fact]
    public void Render_ClaimWithSnapshots_ListsThemNewestFirstWithReadinessSizeAndAge()
    {
        var detail = TestData.OomDetail();

        var cut = Ctx.Render<StoragePanel>(p => p
            .Add(c => c.Claims, detail.Claims)
            .Add(c => c.Snapshots, detail.VolumeSnapshots)
            .Add(c => c.Now, TestData.Now));

        var claim = cut.Find("[data-testid=claim][data-claim=memory-agent-state]");
        Assert.Equal("Bound", claim.QuerySelector("[data-testid=claim-phase]")!.TextContent);
        var rows = claim.QuerySelectorAll("[data-testid=snapshot-row]");
        Assert.Equal(["memory-agent-state-20251213-0955", "memory-agent-state-20251213-0900"], rows.Select(r => r.GetAttribute("data-snapshot")));
        Assert.Equal("not ready", rows[0].QuerySelector("[data-testid=snapshot-ready]")!.TextContent);
        Assert.Equal("ready", rows[1].QuerySelector("[data-testid=snapshot-ready]")!.TextContent);
        Assert.Equal("10Gi", rows[1].QuerySelector("[data-testid=snapshot-size]")!.TextContent);
        Assert.Equal("60m", rows[1].QuerySelector("[data-testid=snapshot-age]")!.TextContent);
    }

    [Fact]
    public void Render_NoStorage_SaysSo()
    {
        var cut = Ctx.Render<StoragePanel>(p => p.Add(c => c.Claims, []).Add(c => c.Snapshots, []).Add(c => c.Now, TestData.Now));

        Assert.NotNull(cut.Find("[data-testid=storage-none]"));
    }
}

using Bunit;
using Kosmos.Dashboard.Components.Agent;
using Kosmos.Dashboard.Security;
using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Recovery.Actions;

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

    [Fact]
    public void Render_OperatorWithTarget_RestoreOnlyForReadySnapshotsOfAMountedClaim()
    {
        Ctx.Auth.SetAuthorized("ada");
        Ctx.Auth.SetPolicies(KosmosPolicies.Operate);
        var detail = TestData.OomDetail();

        var mounted = Ctx.Render<StoragePanel>(p => p.Add(c => c.Claims, detail.Claims).Add(c => c.Snapshots, detail.VolumeSnapshots).Add(c => c.Now, TestData.Now)
            .Add(c => c.Target, new AgentRef("kosmos", "memory-agent")).Add(c => c.MountedClaims, ["memory-agent-state"]));
        var unmounted = Ctx.Render<StoragePanel>(p => p.Add(c => c.Claims, detail.Claims).Add(c => c.Snapshots, detail.VolumeSnapshots).Add(c => c.Now, TestData.Now)
            .Add(c => c.Target, new AgentRef("kosmos", "memory-agent")).Add(c => c.MountedClaims, []));
        var noTarget = Ctx.Render<StoragePanel>(p => p.Add(c => c.Claims, detail.Claims).Add(c => c.Snapshots, detail.VolumeSnapshots).Add(c => c.Now, TestData.Now));

        Button(mounted, "memory-agent-state-20251213-0900", disabled: false, title: "Restore memory-agent-state-20251213-0900 as a new claim and move the agent onto it");
        Button(mounted, "memory-agent-state-20251213-0955", disabled: true, title: "memory-agent-state-20251213-0955 is not ready to use");
        Button(unmounted, "memory-agent-state-20251213-0900", disabled: true, title: "The agent does not mount claim memory-agent-state: only a snapshot of a mounted claim is restored into it.");
        Assert.Empty(noTarget.FindAll("[data-testid=snapshot-restore]"));
    }

    [Fact]
    public void Render_Viewer_RestoreDisabledWithTheRole()
    {
        Ctx.Auth.SetAuthorized("victor");
        var detail = TestData.OomDetail();

        var cut = Ctx.Render<StoragePanel>(p => p.Add(c => c.Claims, detail.Claims).Add(c => c.Snapshots, detail.VolumeSnapshots).Add(c => c.Now, TestData.Now)
            .Add(c => c.Target, new AgentRef("kosmos", "memory-agent")).Add(c => c.MountedClaims, ["memory-agent-state"]));

        Button(cut, "memory-agent-state-20251213-0900", disabled: true, title: "Restoring a snapshot needs the Operator role or higher (and an incident commander's approval).");
    }

    private static void Button(IRenderedComponent<StoragePanel> cut, string snapshot, bool disabled, string title)
    {
        var button = cut.Find($"[data-snapshot={snapshot}] [data-testid=snapshot-restore]");
        Assert.Equal((disabled, title), (button.HasAttribute("disabled"), button.GetAttribute("title")));
    }
}

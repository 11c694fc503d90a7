using Bunit;
using Kosmos.Dashboard.Components.Agent;
using Kosmos.Dashboard.Security;
using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Approvals;
using Kosmos.Recovery.Model;
using MudBlazor;

namespace Kosmos.Dashboard.Tests.Components;

/// <summary>The Reset button (deleteClaim, what is lost, typed name, the request followed live) and each pod's Restart pod.</summary>
public sealed class ResetDialogTests : ComponentTest
{
    private static readonly AgentRef Agent = new(TestData.Ns, "memory-agent");

    private static readonly ActionPlan ResetPlan = FakeActionHandler.PlanFor(Agent) with
    {
        Kind = ActionKind.Reset,
        Request = Reset.Request(true),
        Fingerprint = "sealed",
        Steps = ["Take VolumeSnapshot memory-agent-state-reset-1 of claim memory-agent-state and wait until it is readyToUse", "Delete claim memory-agent-state", "Delete every pod of memory-agent", "Apply deployment/memory-agent from deployment.yaml"],
        Losses = ["Everything on claim memory-agent-state (the agent's conversation state) is deleted; the safety snapshot memory-agent-state-reset-1 keeps a copy you can restore."],
    };

    [Fact]
    public async Task ResetButton_Operator_DeleteClaimTypedNameRequestThenRejectedLive()
    {
        SignIn("ada", KosmosRoles.Operator);
        Ctx.Board.SetDetail(TestData.OomDetail() with { Claims = [new PvcSnapshot { Namespace = TestData.Ns, Name = "memory-agent-state", Uid = "u1" }] });
        Ctx.Executor.Preview = PreviewResult.Ready(ResetPlan);
        var provider = Ctx.Render<MudDialogProvider>();
        var cut = Ctx.Render<AgentActions>(p => p.Add(a => a.Target, Agent));

        await cut.Find("[data-testid=action-reset]").ClickAsync(new());
        provider.WaitForAssertion(() => Assert.Equal("Claims memory-agent-state are kept, with their data.", provider.FindAll("[data-testid=reset-loss]")[1].TextContent), Timeout);
        provider.Find("input[data-testid=reset-delete-claim]").Change(true);
        provider.WaitForAssertion(() => Assert.StartsWith("Claims memory-agent-state are deleted with everything on them", provider.FindAll("[data-testid=reset-loss]")[1].TextContent), Timeout);
        await provider.Find("[data-testid=action-preview-values]").ClickAsync(new());

        provider.WaitForAssertion(() => Assert.Equal(4, provider.FindAll("[data-testid=action-plan-step]").Count), Timeout);
        Assert.Equal("true", Ctx.Executor.LastPreviewRequest!.Values[Reset.DeleteClaimKey]);
        Assert.Contains("safety snapshot memory-agent-state-reset-1", provider.Find("[data-testid=action-loss]").TextContent);
        Assert.Equal("Request approval", provider.Find("[data-testid=action-confirm]").TextContent.Trim());
        Assert.True(provider.Find("[data-testid=action-confirm]").HasAttribute("disabled"));
        Assert.Empty(provider.FindAll("[data-testid=action-break-glass]"));

        provider.Find("input[data-testid=action-typed-confirmation]").Input("memory-agen");
        provider.WaitForAssertion(() => Assert.Equal("Type the agent's name, memory-agent, to confirm.", provider.Find("[data-testid=action-confirm-hint]").TextContent), Timeout);
        Assert.True(provider.Find("[data-testid=action-confirm]").HasAttribute("disabled"));
        provider.Find("input[data-testid=action-typed-confirmation]").Input("memory-agent");
        provider.WaitForAssertion(() => Assert.False(provider.Find("[data-testid=action-confirm]").HasAttribute("disabled")), Timeout);

        var request = Ctx.Approvals.File(ResetPlan);
        Ctx.Executor.Completion.SetResult(AwaitingApproval(request.Id));
        await provider.Find("[data-testid=action-confirm]").ClickAsync(new());

        provider.WaitForAssertion(() => Assert.Equal("AwaitingApproval", provider.Find("[data-testid=action-dialog]").GetAttribute("data-phase")), Timeout);
        Assert.Equal("memory-agent", Ctx.Executor.LastConfirmation!.TypedName);
        Assert.Equal(request.Id.ToString("D"), provider.Find("[data-testid=action-approval-id]").TextContent);
        Assert.Equal("/approvals", provider.Find("[data-testid=action-approvals-link]").GetAttribute("href"));
        Assert.NotNull(provider.Find("[data-testid=action-cancel-request]"));

        Ctx.Approvals.Put(request with { Status = ApprovalStatus.Rejected, DecidedBy = new Actor("bob", KosmosRoles.IncidentCommander), Reason = "use a restart first" });

        provider.WaitForAssertion(() => Assert.Equal("NotApproved", provider.Find("[data-testid=action-dialog]").GetAttribute("data-phase")), Timeout);
        Assert.Equal("Rejected by bob: use a restart first. Nothing was changed.", provider.Find("[data-testid=action-approval-text]").TextContent);
        Assert.Empty(provider.FindAll("[data-testid=action-cancel-request]"));
    }

    [Fact]
    public async Task ResetDialog_IncidentCommanderWithBreakGlassOn_OffersBreakGlass()
    {
        SignIn("carol", KosmosRoles.IncidentCommander);
        Ctx.Options.Approvals.BreakGlass = true;
        Ctx.Executor.Preview = PreviewResult.Ready(ResetPlan);
        var provider = Ctx.Render<MudDialogProvider>();
        var cut = Ctx.Render<AgentActions>(p => p.Add(a => a.Target, Agent));

        await cut.Find("[data-testid=action-reset]").ClickAsync(new());
        await provider.Find("[data-testid=action-preview-values]").ClickAsync(new());

        provider.WaitForAssertion(() => Assert.NotNull(provider.Find("[data-testid=action-break-glass]")), Timeout);
    }

    [Fact]
    public async Task RestartPodButton_Operator_PreviewsThatPod()
    {
        SignIn("ada", KosmosRoles.Operator);
        var provider = Ctx.Render<MudDialogProvider>();
        var cut = Ctx.Render<PodsTable>(p => p.Add(c => c.Pods, [TestData.OomPod()]).Add(c => c.Now, TestData.Now).Add(c => c.ActionTarget, Agent));

        await cut.Find("[data-testid=pod-restart][data-pod=memory-agent-7f9c6-abcde]").ClickAsync(new());

        provider.WaitForAssertion(() => Assert.Equal("AwaitingConfirmation", provider.Find("[data-testid=action-dialog]").GetAttribute("data-phase")), Timeout);
        Assert.Equal("memory-agent-7f9c6-abcde", Ctx.Executor.LastPreviewRequest!.Values[RestartPod.PodKey]);
        Assert.Empty(provider.FindAll("[data-testid=action-typed-confirmation]"));
        Assert.Empty(provider.FindAll("[data-testid=action-edit-values]"));
    }

    [Fact]
    public void RestartPodButton_Viewer_DisabledAndNamesOnlyRestartPod()
    {
        SignIn("victor", KosmosRoles.Viewer);

        var cut = Ctx.Render<RestartPodButton>(p => p.Add(c => c.Target, Agent).Add(c => c.Pod, "memory-agent-7f9c6-abcde"));

        Assert.True(cut.Find("[data-testid=pod-restart]").HasAttribute("disabled"));
    }

    [Fact]
    public void ActionAvailability_PodRow_NamesOnlyRestartPod()
    {
        var viewer = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Name, "victor"), new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Role, KosmosRoles.Viewer)], "test"));

        Assert.Equal("Your role (Viewer) cannot run recovery actions (restart pod): that needs Operator or higher.",
            ActionAvailability.Reason(viewer, authorised: false, hasDeployment: true, [ActionCatalog.RestartPod]));
    }

    [Fact]
    public void PodsTable_WithoutActionTarget_NoRestartButtons()
    {
        var cut = Ctx.Render<PodsTable>(p => p.Add(c => c.Pods, [TestData.OomPod()]).Add(c => c.Now, TestData.Now));

        Assert.Empty(cut.FindAll("[data-testid=pod-restart]"));
    }

    private void SignIn(string name, string role)
    {
        Ctx.Auth.SetAuthorized(name);
        Ctx.Auth.SetRoles(role);
        Ctx.Auth.SetPolicies(role == KosmosRoles.Viewer ? [KosmosPolicies.View] : [KosmosPolicies.View, KosmosPolicies.Operate]);
    }

    private static ActionOutcome AwaitingApproval(Guid approvalId)
    {
        var recorder = new ActionRecorder(Guid.NewGuid(), ActionKind.Reset, Agent, new Actor("ada", "Operator"), TestData.Now) { ApprovalId = approvalId };
        return recorder.Finish(ActionStatus.AwaitingApproval, TestData.Now, $"Request {approvalId:D} awaits an incident commander's approval.");
    }
}

using System.Security.Claims;
using Kosmos.Dashboard.Actions;
using Kosmos.Dashboard.Security;
using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Dashboard.ViewModels;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Approvals;

namespace Kosmos.Dashboard.Tests.ViewModels;

/// <summary>The dialog of an action that needs approval (a reset): typed name, the request, following it to its end, break-glass.</summary>
public sealed class ActionDialogApprovalTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly AgentRef Agent = new(TestData.Ns, "memory-agent");
    private static readonly ActionPlan ResetPlan = FakeActionHandler.PlanFor(Agent) with { Kind = ActionKind.Reset, Fingerprint = "sealed" };

    private readonly FakeActionExecutor _executor = new() { Preview = PreviewResult.Ready(ResetPlan) };
    private readonly FakeApprovals _approvals = new();
    private readonly ActionActivityHub _activity = new();

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("memory", false)]
    [InlineData("Memory-Agent", false)]
    [InlineData("other-agent", false)]
    [InlineData("memory-agent", true)]
    [InlineData("  memory-agent ", true)]
    public async Task CanConfirm_Reset_OnlyWithTheAgentsNameTyped(string? typed, bool expected)
    {
        var model = New();
        await model.StartAsync(CancellationToken.None);

        model.TypedConfirmation = typed;

        Assert.True(model.NeedsTypedName);
        Assert.Equal(expected, model.CanConfirm);
        Assert.Equal(expected ? null : "Type the agent's name, memory-agent, to confirm.", model.ConfirmHint);
        Assert.Equal("Request approval", model.ConfirmLabel);
    }

    [Fact]
    public async Task ConfirmAsync_WrongName_SendsNothing()
    {
        var model = New();
        await model.StartAsync(CancellationToken.None);
        model.TypedConfirmation = "memory-agen";

        await model.ConfirmAsync(CancellationToken.None);

        Assert.Equal((0, ActionDialogPhase.AwaitingConfirmation), (_executor.Executions, model.Phase));
    }

    [Fact]
    public async Task ConfirmAsync_Reset_SendsTheTypedNameAndShowsTheRequest()
    {
        var request = _approvals.File(ResetPlan);
        var model = await ConfirmedAsync(request);

        Assert.Equal("memory-agent", _executor.LastConfirmation!.TypedName);
        Assert.Null(_executor.LastConfirmation.BreakGlassReason);
        Assert.Equal("sealed", _executor.LastConfirmation.Fingerprint);
        Assert.Equal(ActionDialogPhase.AwaitingApproval, model.Phase);
        Assert.Equal(request.Id, model.ApprovalId);
        Assert.Equal(request.ExpiresAt, model.Approval!.ExpiresAt);
        Assert.True(model.CanCancelRequest);
        Assert.Equal("Awaiting the approval of an incident commander other than ada, until 2025-12-13 10:15:00Z. Nothing was changed yet.", model.ApprovalText);
    }

    [Fact]
    public async Task FollowApprovalAsync_Approved_ShowsTheApproverProgressThenTheOutcome()
    {
        var request = _approvals.File(ResetPlan);
        var model = await ConfirmedAsync(request);
        var follow = model.FollowApprovalAsync(CancellationToken.None);
        var actionId = Guid.NewGuid();

        _approvals.Put(request with { Status = ApprovalStatus.Approved, DecidedBy = new Actor("bob", KosmosRoles.IncidentCommander), ActionId = actionId });
        await WaitForAsync(model, () => model.Phase == ActionDialogPhase.Running, "running once approved");
        // Another agent's activity and another action of this agent are not this request's.
        _activity.Publish(Activity(Guid.NewGuid(), new AgentRef(TestData.Ns, "other-agent"), new ActionProgress(ActionStep.Verify, "elsewhere: 0/9")));
        _activity.Publish(Activity(actionId, Agent, new ActionProgress(ActionStep.Verify, "Waiting for the rollout: 1/2 new pods ready", 1, 2)));
        await WaitForAsync(model, () => model.ProgressText == "Waiting for the rollout: 1/2 new pods ready", "the action's progress");
        Assert.Equal(50, model.ProgressPercent);
        Assert.Equal("bob", model.Approval!.DecidedBy!.Name);

        var outcome = FakeActionExecutor.Verified(Agent) with { Id = actionId, Kind = ActionKind.Reset };
        _activity.Publish(Activity(actionId, Agent, null) with { Status = ActionStatus.Verified, Outcome = outcome });

        await follow.WaitAsync(Timeout);
        Assert.Equal((ActionDialogPhase.Finished, ActionStatus.Verified), (model.Phase, model.Outcome!.Status));
    }

    [Fact]
    public async Task FollowApprovalAsync_ApprovedAndFinishedBeforeFollowing_ShowsTheOutcome()
    {
        var request = _approvals.File(ResetPlan);
        var model = await ConfirmedAsync(request);
        var actionId = Guid.NewGuid();
        var outcome = FakeActionExecutor.Verified(Agent) with { Id = actionId, Kind = ActionKind.Reset };
        _activity.Publish(Activity(actionId, Agent, null) with { Status = ActionStatus.Verified, Outcome = outcome });
        _approvals.Put(request with { Status = ApprovalStatus.Approved, DecidedBy = new Actor("bob", KosmosRoles.IncidentCommander), ActionId = actionId });

        await model.FollowApprovalAsync(CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal((ActionDialogPhase.Finished, actionId), (model.Phase, model.Outcome!.Id));
    }

    [Theory]
    [InlineData(ApprovalStatus.Rejected, "not now", "Rejected by bob: not now. Nothing was changed.")]
    [InlineData(ApprovalStatus.Expired, null, "Expired at 2025-12-13 10:15:00Z: no incident commander decided in time. Nothing was changed; request again if it is still needed.")]
    [InlineData(ApprovalStatus.Void, "persistentvolumeclaim/memory-agent-state uid=1 is no longer so", "The agent changed since the request; request again. Nothing was applied. (persistentvolumeclaim/memory-agent-state uid=1 is no longer so)")]
    public async Task FollowApprovalAsync_NotApproved_EndsWithTheReason(ApprovalStatus status, string? reason, string expected)
    {
        var request = _approvals.File(ResetPlan);
        var model = await ConfirmedAsync(request);
        var follow = model.FollowApprovalAsync(CancellationToken.None);

        _approvals.Put(request with { Status = status, DecidedBy = status == ApprovalStatus.Expired ? null : new Actor("bob", KosmosRoles.IncidentCommander), Reason = reason });

        await follow.WaitAsync(Timeout);
        Assert.Equal((ActionDialogPhase.NotApproved, status), (model.Phase, model.Approval!.Status));
        Assert.Equal(expected, model.ApprovalText);
        Assert.False(model.CanCancelRequest);
    }

    [Fact]
    public async Task CancelRequestAsync_Requester_CancelledAndFollowingEnds()
    {
        var request = _approvals.File(ResetPlan);
        var model = await ConfirmedAsync(request);
        var follow = model.FollowApprovalAsync(CancellationToken.None);

        await model.CancelRequestAsync(CancellationToken.None);

        await follow.WaitAsync(Timeout);
        Assert.Equal((ActionDialogPhase.NotApproved, ApprovalStatus.Cancelled, 1), (model.Phase, model.Approval!.Status, _approvals.Cancels));
        Assert.Equal("Cancelled by ada. Nothing was changed.", model.ApprovalText);
    }

    [Fact]
    public async Task CancelRequestAsync_Refused_ShowsWhyAndStillAwaits()
    {
        var request = _approvals.File(ResetPlan);
        var model = await ConfirmedAsync(request);
        _approvals.CancelRefusal = "This request was already approved by bob; it cannot be cancelled again.";

        await model.CancelRequestAsync(CancellationToken.None);

        Assert.Equal("This request was already approved by bob; it cannot be cancelled again.", model.Error);
        Assert.Equal(ActionDialogPhase.AwaitingApproval, model.Phase);
    }

    [Theory]
    [InlineData(true, KosmosRoles.IncidentCommander, true)]
    [InlineData(false, KosmosRoles.IncidentCommander, false)]
    [InlineData(true, KosmosRoles.Operator, false)]
    public void CanBreakGlass_OnlyWhenOnAndForAnIncidentCommander(bool on, string role, bool expected) =>
        Assert.Equal(expected, New(User("carol", role), breakGlass: on).CanBreakGlass);

    [Fact]
    public async Task ConfirmAsync_BreakGlass_NeedsAReasonThenRunsWithoutARequest()
    {
        var model = New(User("carol", KosmosRoles.IncidentCommander), breakGlass: true);
        await model.StartAsync(CancellationToken.None);
        model.TypedConfirmation = "memory-agent";

        model.BreakGlass = true;
        Assert.False(model.CanConfirm);
        Assert.Equal("Break-glass needs a written reason.", model.ConfirmHint);
        model.BreakGlassReason = "  customer outage, no second IC reachable ";
        Assert.True(model.CanConfirm);
        Assert.Equal("Break glass: reset now without approval", model.ConfirmLabel);
        _executor.Completion.SetResult(FakeActionExecutor.Verified(Agent));
        await model.ConfirmAsync(CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal("customer outage, no second IC reachable", _executor.LastConfirmation!.BreakGlassReason);
        Assert.Equal(ActionDialogPhase.Finished, model.Phase);
        Assert.Null(model.ApprovalId);
    }

    [Fact]
    public async Task Restart_NeedsNoName_NoApprovalAndNoBreakGlass()
    {
        var model = new ActionDialogModel(_executor, User("carol", KosmosRoles.IncidentCommander), ActionKind.Restart, Agent, null,
            new ActionDialogApprovals(_approvals, _approvals, _activity, BreakGlassEnabled: true));
        await model.StartAsync(CancellationToken.None);

        Assert.Equal((false, false, false, true), (model.NeedsTypedName, model.NeedsApproval, model.CanBreakGlass, model.CanConfirm));
        Assert.Equal("Confirm restart", model.ConfirmLabel);
    }

    [Fact]
    public async Task StartAsync_PresetValues_PreviewsRightAwayWithoutEditing()
    {
        var model = new ActionDialogModel(_executor, User("ada", KosmosRoles.Operator), ActionKind.RestartPod, Agent,
            new PresetForm(new ActionRequest(Kosmos.Recovery.Model.StringMap.Of(("pod", "memory-agent-abc")))));

        await model.StartAsync(CancellationToken.None);

        Assert.Equal((ActionDialogPhase.AwaitingConfirmation, false), (model.Phase, model.CanEditValues));
        Assert.Equal("memory-agent-abc", _executor.LastPreviewRequest!.Values["pod"]);
    }

    private async Task<ActionDialogModel> ConfirmedAsync(ApprovalRequest request)
    {
        var model = New();
        await model.StartAsync(CancellationToken.None);
        model.TypedConfirmation = "memory-agent";
        _executor.Completion.SetResult(AwaitingApproval(request.Id));
        await model.ConfirmAsync(CancellationToken.None).WaitAsync(Timeout);
        return model;
    }

    private ActionDialogModel New(ClaimsPrincipal? user = null, bool breakGlass = false) =>
        new(_executor, user ?? User("ada", KosmosRoles.Operator), ActionKind.Reset, Agent, null,
            new ActionDialogApprovals(_approvals, _approvals, _activity, breakGlass));

    private static ClaimsPrincipal User(string name, string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], "test"));

    private static ActionOutcome AwaitingApproval(Guid approvalId)
    {
        var recorder = new ActionRecorder(Guid.NewGuid(), ActionKind.Reset, Agent, new Actor("ada", "Operator"), TestData.Now) { ApprovalId = approvalId };
        return recorder.Finish(ActionStatus.AwaitingApproval, TestData.Now, $"Request {approvalId:D} awaits an incident commander's approval.");
    }

    private static ActionActivity Activity(Guid id, AgentRef target, ActionProgress? progress) =>
        new(id, ActionKind.Reset, target, new Actor("ada", "Operator"), new Actor("bob", KosmosRoles.IncidentCommander), TestData.Now, ActionStatus.Running, progress, null);

    private static async Task WaitForAsync(ActionDialogModel model, Func<bool> condition, string what)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (condition())
            {
                reached.TrySetResult();
            }
        }

        model.Changed += Check;
        try
        {
            Check();
            await reached.Task.WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"timed out waiting for {what} (phase {model.Phase}, progress '{model.ProgressText}')");
        }
        finally
        {
            model.Changed -= Check;
        }
    }
}

/// <summary>What the requester reads about their request, per state.</summary>
public sealed class ApprovalLookTests
{
    [Theory]
    [InlineData(ApprovalStatus.Pending, "Awaiting the approval of an incident commander other than ada, until 2025-12-13 10:15:00Z. Nothing was changed yet.", MudBlazor.Severity.Info)]
    [InlineData(ApprovalStatus.Approved, "Approved by bob.", MudBlazor.Severity.Success)]
    [InlineData(ApprovalStatus.Rejected, "Rejected by bob: why. Nothing was changed.", MudBlazor.Severity.Error)]
    [InlineData(ApprovalStatus.Expired, "Expired at 2025-12-13 10:15:00Z: no incident commander decided in time. Nothing was changed; request again if it is still needed.", MudBlazor.Severity.Warning)]
    [InlineData(ApprovalStatus.Cancelled, "Cancelled by bob. Nothing was changed.", MudBlazor.Severity.Warning)]
    [InlineData(ApprovalStatus.Void, "The agent changed since the request; request again. Nothing was applied. (why)", MudBlazor.Severity.Error)]
    public void Text_EveryStatus_SaysWhatHappenedAndWhatToDo(ApprovalStatus status, string expected, MudBlazor.Severity severity)
    {
        var request = new ApprovalRequest(Guid.NewGuid(), FakeActionHandler.PlanFor(new AgentRef(TestData.Ns, "memory-agent")), new Actor("ada", "Operator"),
            TestData.Now, TestData.Now.AddMinutes(15), status)
        {
            DecidedBy = status is ApprovalStatus.Pending or ApprovalStatus.Expired ? null : new Actor("bob", "IncidentCommander"),
            Reason = status is ApprovalStatus.Rejected or ApprovalStatus.Void ? "why" : null,
        };

        Assert.Equal((expected, severity), (ApprovalLook.Text(request), ApprovalLook.SeverityOf(status)));
    }
}

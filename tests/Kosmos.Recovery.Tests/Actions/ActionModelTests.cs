using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Tests.Builders;

namespace Kosmos.Recovery.Tests.Actions;

public sealed class ActionModelTests
{
    private static readonly AgentRef Planner = new("kosmos", "planner");
    private static readonly Actor Operator = new("ada", "Operator");

    [Fact]
    public void Finish_RefusedAtAuthorise_LaterStepsNotRunAndNothingChanged()
    {
        var recorder = new ActionRecorder(Guid.NewGuid(), ActionKind.Restart, Planner, Operator, Clock.T0);
        recorder.Failed(ActionStep.Authorise, "Viewer may not restart agents");

        var outcome = recorder.Finish(ActionStatus.Refused, Clock.At(0, 1), "Viewer may not restart agents (needs Operator).");

        Assert.False(outcome.Changed);
        Assert.Equal(
            [StepState.Failed, StepState.NotRun, StepState.NotRun, StepState.NotRun, StepState.NotRun],
            outcome.Steps.Select(s => s.State));
        Assert.Equal("not applied: nothing was changed", outcome.StepOf(ActionStep.Apply).Detail);
        Assert.Equal("Restart of kosmos/planner refused: Viewer may not restart agents (needs Operator). Nothing was changed.", outcome.Summary);
    }

    [Fact]
    public void Finish_AppliedButVerificationTimedOut_UnverifiedAndSaysItWasApplied()
    {
        var recorder = new ActionRecorder(Guid.NewGuid(), ActionKind.Restart, Planner, Operator, Clock.T0);
        foreach (var step in new[] { ActionStep.Authorise, ActionStep.Validate, ActionStep.Preview, ActionStep.Apply })
        {
            recorder.Done(step, "ok");
        }

        recorder.Verification = new VerificationResult(false, "did not complete within 2s: 0/1 new pods ready", 0, 1, TimeSpan.FromSeconds(2));
        recorder.Failed(ActionStep.Verify, recorder.Verification.Detail);

        var outcome = recorder.Finish(ActionStatus.Unverified, Clock.At(0, 3));

        Assert.True(outcome.Changed);
        Assert.Equal("Restart of kosmos/planner was applied, but not verified: did not complete within 2s: 0/1 new pods ready", outcome.Summary);
    }

    [Theory]
    [InlineData(ActionStatus.Conflict, "Restart of kosmos/planner not applied: stale. Nothing was changed.")]
    [InlineData(ActionStatus.NotFound, "Restart of kosmos/planner not possible: stale. Nothing was changed.")]
    [InlineData(ActionStatus.AlreadyRunning, "Restart of kosmos/planner is already running. Nothing more was changed.")]
    [InlineData(ActionStatus.Failed, "Restart of kosmos/planner failed: stale. Nothing was changed.")]
    public void Summary_NotApplied_SaysNothingWasChanged(ActionStatus status, string expected)
    {
        var outcome = new ActionRecorder(Guid.NewGuid(), ActionKind.Restart, Planner, Operator, Clock.T0).Finish(status, Clock.T0, "stale.");

        Assert.Equal(expected, outcome.Summary);
    }

    [Fact]
    public void ChangeLine_ToString_BeforeArrowAfterWithAbsentValues()
    {
        Assert.Equal("spec.x: (none) → 2025-12-13T10:00:00Z", new ChangeLine("spec.x", null, "2025-12-13T10:00:00Z").ToString());
        Assert.Equal("metadata.generation: 3 → 4", new ChangeLine("metadata.generation", "3", "4").ToString());
    }

    [Theory]
    [InlineData(false, null, true)]
    [InlineData(true, null, false)]
    [InlineData(true, "Planner", false)]
    [InlineData(true, " planner ", true)]
    public void IsConfirmedBy_TypedConfirmation_NeedsTheAgentName(bool typed, string? text, bool confirmed)
    {
        var definition = ActionCatalog.Restart with { RequiresTypedConfirmation = typed, Risk = typed ? RiskLevel.Destructive : RiskLevel.Normal };

        Assert.Equal(confirmed, definition.IsConfirmedBy(Planner, text));
    }

    [Fact]
    public void Catalog_Restart_IsNormalRiskOperatorActionWithoutApproval()
    {
        var restart = ActionCatalog.Get(ActionKind.Restart);

        Assert.Same(restart, ActionCatalog.FindBySlug("restart"));
        Assert.Null(ActionCatalog.FindBySlug("no-such-action"));
        Assert.Equal((RiskLevel.Normal, false, false, "kosmos.operate"),
            (restart.Risk, restart.RequiresTypedConfirmation, restart.RequiresApproval, restart.RequiredPolicy));
    }

    [Fact]
    public void Catalog_SetResources_IsNormalRiskOperatorActionAtSetResources()
    {
        var action = ActionCatalog.Get(ActionKind.SetResources);

        Assert.Same(action, ActionCatalog.FindBySlug("set-resources"));
        Assert.Equal(("set-resources", RiskLevel.Normal, false, false, "kosmos.operate", true),
            (action.Slug, action.Risk, action.RequiresTypedConfirmation, action.RequiresApproval, action.RequiredPolicy, action.TakesValues));
    }
}

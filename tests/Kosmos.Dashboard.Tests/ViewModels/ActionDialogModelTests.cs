using System.Security.Claims;
using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Dashboard.ViewModels;
using Kosmos.Recovery.Actions;

namespace Kosmos.Dashboard.Tests.ViewModels;

public sealed class ActionDialogModelTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private static readonly AgentRef Agent = new(TestData.Ns, "memory-agent");

    private readonly FakeActionExecutor _executor = new();

    [Fact]
    public async Task LoadPreviewAsync_PlanReady_AwaitsConfirmation()
    {
        var model = New();

        await model.LoadPreviewAsync(CancellationToken.None);

        Assert.Equal(ActionDialogPhase.AwaitingConfirmation, model.Phase);
        Assert.True(model.CanConfirm);
        Assert.Equal("41", model.Plan!.Precondition.ResourceVersion);
    }

    [Fact]
    public async Task LoadPreviewAsync_Refused_PreviewFailedWithError()
    {
        _executor.Preview = PreviewResult.Refused(ActionStatus.Refused, "victor (Viewer) may not restart agents");
        var model = New();

        await model.LoadPreviewAsync(CancellationToken.None);

        Assert.Equal((ActionDialogPhase.PreviewFailed, false), (model.Phase, model.CanConfirm));
        Assert.Equal("victor (Viewer) may not restart agents", model.Error);
    }

    [Fact]
    public async Task ConfirmAsync_ClickedTwice_ExecutesOnceAndMayCloseWhileRunning()
    {
        var model = New();
        await model.LoadPreviewAsync(CancellationToken.None);

        var first = model.ConfirmAsync(CancellationToken.None);
        var second = model.ConfirmAsync(CancellationToken.None);
        await second.WaitAsync(Timeout);

        Assert.Equal(ActionDialogPhase.Running, model.Phase);
        Assert.True(model.CanClose);
        Assert.Equal(1, _executor.Executions);
        _executor.Completion.SetResult(FakeActionExecutor.Verified(Agent));
        await first.WaitAsync(Timeout);
        Assert.Equal((ActionDialogPhase.Finished, ActionStatus.Verified, true), (model.Phase, model.Outcome!.Status, model.CanClose));
    }

    [Fact]
    public async Task Progress_ReadyCounts_TextAndPercent()
    {
        var model = New();
        var changes = 0;
        model.Changed += () => Interlocked.Increment(ref changes);
        await model.LoadPreviewAsync(CancellationToken.None);
        var run = model.ConfirmAsync(CancellationToken.None);

        _executor.LastProgress!.Report(new ActionProgress(ActionStep.Verify, "Waiting for the rollout: 1/2 new pods ready", 1, 2));

        Assert.Equal("Waiting for the rollout: 1/2 new pods ready", model.ProgressText);
        Assert.Equal(50, model.ProgressPercent);
        Assert.True(changes >= 4);
        _executor.Completion.SetResult(FakeActionExecutor.Verified(Agent));
        await run.WaitAsync(Timeout);
    }

    private ActionDialogModel New() => new(_executor, new ClaimsPrincipal(new ClaimsIdentity()), ActionKind.Restart, Agent);
}

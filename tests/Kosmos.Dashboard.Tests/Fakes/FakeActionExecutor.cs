using System.Security.Claims;
using Kosmos.Recovery.Actions;

namespace Kosmos.Dashboard.Tests.Fakes;

/// <summary>An executor for component and view-model tests: answers previews as told and lets the test finish each run.</summary>
public sealed class FakeActionExecutor : IActionExecutor, IVerifyAgain
{
    private int _executions;

    public PreviewResult Preview { get; set; } = PreviewResult.Ready(FakeActionHandler.PlanFor(new AgentRef(TestData.Ns, "memory-agent")));

    /// <summary>Completes the running execution with this outcome; set a fresh one per run.</summary>
    public TaskCompletionSource<ActionOutcome> Completion { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Executions => Volatile.Read(ref _executions);

    public IProgress<ActionProgress>? LastProgress { get; private set; }

    public Precondition? LastConfirmed => LastConfirmation?.Precondition;

    public Confirmation? LastConfirmation { get; private set; }

    public ActionRequest? LastPreviewRequest { get; private set; }

    /// <summary>The action and agent of the last preview asked for.</summary>
    public (ActionKind Kind, AgentRef Target)? LastPreviewOf { get; private set; }

    /// <summary>What <see cref="Validate"/> answers for a request; valid when not set.</summary>
    public Func<ActionRequest, ActionValidation> Validator { get; set; } = _ => ActionValidation.Ok;

    public Task<PreviewResult> PreviewAsync(ClaimsPrincipal user, ActionKind kind, AgentRef target, ActionRequest request, CancellationToken cancellationToken)
    {
        LastPreviewRequest = request;
        LastPreviewOf = (kind, target);
        return Task.FromResult(Preview);
    }

    public ActionValidation Validate(ActionKind kind, AgentRef target, ActionRequest request) => Validator(request);

    public Task<ActionOutcome> ExecuteAsync(ClaimsPrincipal user, ActionKind kind, AgentRef target, Confirmation confirmed,
        IProgress<ActionProgress>? progress, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _executions);
        LastProgress = progress;
        LastConfirmation = confirmed;
        return Completion.Task.WaitAsync(cancellationToken);
    }

    public bool IsRunning(ActionKind kind, AgentRef target) => false;

    /// <summary>The action ids verify-again was asked for, in order.</summary>
    public List<Guid> VerifiedAgain { get; } = [];

    /// <summary>What verify-again answers.</summary>
    public Func<Guid, ActionOutcome> VerifyAgainOutcome { get; set; } = _ => Verified(new AgentRef(TestData.Ns, "memory-agent"));

    public Task<ActionOutcome> VerifyAgainAsync(ClaimsPrincipal user, Guid actionId, IProgress<ActionProgress>? progress, CancellationToken cancellationToken)
    {
        lock (VerifiedAgain)
        {
            VerifiedAgain.Add(actionId);
        }

        return Task.FromResult(VerifyAgainOutcome(actionId));
    }

    public static ActionOutcome Verified(AgentRef target)
    {
        var recorder = new ActionRecorder(Guid.NewGuid(), ActionKind.Restart, target, new Actor("ada", "Operator"), TestData.Now);
        foreach (var step in Enum.GetValues<ActionStep>())
        {
            recorder.Done(step, step == ActionStep.Verify ? "1/1 new pods ready; no old pods left" : "ok");
        }

        recorder.Verification = new VerificationResult(true, "1/1 new pods ready; no old pods left", 1, 1, TimeSpan.FromSeconds(4));
        return recorder.Finish(ActionStatus.Verified, TestData.Now.AddSeconds(4));
    }
}

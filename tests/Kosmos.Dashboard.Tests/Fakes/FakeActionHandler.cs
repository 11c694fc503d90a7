using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Model;

namespace Kosmos.Dashboard.Tests.Fakes;

/// <summary>
/// A hand-driven restart handler: counts what the executor asked of it, can hold Apply until released (to catch a double
/// submit in the act), and answers Plan and Verify as told.
/// </summary>
public sealed class FakeActionHandler : IActionHandler
{
    private int _plans;
    private int _applies;
    private int _verifies;

    public ActionDefinition Definition => ActionCatalog.Restart;

    public int Plans => Volatile.Read(ref _plans);

    public int Applies => Volatile.Read(ref _applies);

    public int Verifies => Volatile.Read(ref _verifies);

    /// <summary>When set, Plan throws it (e.g. a conflict).</summary>
    public ActionException? PlanFailure { get; set; }

    /// <summary>When set, Apply waits for it (Apply has been entered once <see cref="ApplyEntered"/> completes).</summary>
    public TaskCompletionSource? ApplyGate { get; set; }

    public TaskCompletionSource ApplyEntered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public VerificationResult Verification { get; set; } = new(true, "1/1 new pods ready; no old pods left", 1, 1, TimeSpan.FromSeconds(3));

    /// <summary>When true, Verify waits until cancelled.</summary>
    public bool VerifyHangs { get; set; }

    public static ActionPlan PlanFor(AgentRef target, string resourceVersion = "41") => new(
        ActionKind.Restart,
        target,
        new Precondition(resourceVersion),
        [new ChangeLine("metadata.generation", "3", "4"), new ChangeLine("""spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"]""", null, "2025-12-13T10:00:00Z")],
        $"kubectl rollout restart deployment {target.Name} -n {target.Namespace}",
        StringMap.Of(("restartedAt", "2025-12-13T10:00:00Z")),
        TestData.Now);

    public Task<ActionPlan> PlanAsync(AgentRef target, ActionRequest request, Precondition? expected, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _plans);
        return PlanFailure is { } failure
            ? Task.FromException<ActionPlan>(failure)
            : Task.FromResult(PlanFor(target, expected?.ResourceVersion ?? "41") with { Request = request });
    }

    public async Task<AppliedAction> ApplyAsync(ActionPlan plan, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _applies);
        ApplyEntered.TrySetResult();
        if (ApplyGate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        return new AppliedAction(plan, "42", 4);
    }

    public async Task<VerificationResult> VerifyAsync(AppliedAction applied, IProgress<ActionProgress>? progress, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _verifies);
        progress?.Report(new ActionProgress(ActionStep.Verify, "Waiting for the rollout: 0/1 new pods ready", 0, 1));
        if (VerifyHangs)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        return Verification;
    }
}

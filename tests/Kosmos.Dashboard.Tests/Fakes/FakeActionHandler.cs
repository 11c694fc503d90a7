using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;

namespace Kosmos.Dashboard.Tests.Fakes;

/// <summary>
/// A hand-driven handler (a restart unless told otherwise): counts what the executor asked of it, can hold Apply until
/// released (to catch a double submit in the act), and answers Plan and Verify as told. As set resources it validates with
/// the real <see cref="SetResourcesRules"/>, as the cluster handler does, and plans a change line per value.
/// </summary>
public sealed class FakeActionHandler : IActionHandler
{
    private int _plans;
    private int _applies;
    private int _verifies;

    public ActionDefinition Definition { get; init; } = ActionCatalog.Restart;

    public int Plans => Volatile.Read(ref _plans);

    public int Applies => Volatile.Read(ref _applies);

    public int Verifies => Volatile.Read(ref _verifies);

    /// <summary>When set, Plan throws it (e.g. a conflict).</summary>
    public ActionException? PlanFailure { get; set; }

    /// <summary>When set, Apply waits for it (Apply has been entered once <see cref="ApplyEntered"/> completes).</summary>
    public TaskCompletionSource? ApplyGate { get; set; }

    public TaskCompletionSource ApplyEntered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public VerificationResult Verification { get; set; } = new(true, "1/1 new pods ready; no old pods left", 1, 1, TimeSpan.FromSeconds(3));

    /// <summary>When set, plans carry these steps and Apply runs them one by one through the journal.</summary>
    public IReadOnlyList<string> Steps { get; set; } = [];

    /// <summary>With <see cref="Steps"/>: the step (0-based) that fails with an <see cref="ActionFailure.Unavailable"/>.</summary>
    public int? FailAtStep { get; set; }

    /// <summary>With <see cref="Steps"/>: Apply waits for this gate when step 1 starts (after step 0 is done).</summary>
    public TaskCompletionSource? SecondStepGate { get; set; }

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

    /// <summary>What plans say they touch (for approvals: a different value at approval time voids the request).</summary>
    public IReadOnlyList<string> Touches { get; set; } = ["deployment/memory-agent generation=3"];

    public ActionValidation Validate(ActionRequest request, AgentDetail detail) => Definition.Kind switch
    {
        ActionKind.SetResources => SetResourcesRules.Check(new AgentRef(detail.Summary.Namespace, detail.Summary.Name), request, detail, ResourceBounds.Default).Validation,
        ActionKind.Reset => Reset.Check(request),

        // The rules need a template that reads a ConfigMap; the cluster handler's tests cover them.
        ActionKind.SetConfigKey => ActionValidation.Ok,
        _ => request.IsEmpty ? ActionValidation.Ok : ActionValidation.Fail("Restart takes no values."),
    };

    public Task<ActionPlan> PlanAsync(AgentRef target, ActionRequest request, Precondition? expected, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _plans);
        if (PlanFailure is { } failure)
        {
            return Task.FromException<ActionPlan>(failure);
        }

        var plan = PlanFor(target, expected?.ResourceVersion ?? "41") with { Request = request, Steps = [.. Steps], Touches = [.. Touches] };
        if (Definition.Kind == ActionKind.Reset)
        {
            plan = plan with { Kind = ActionKind.Reset, KubectlEquivalent = $"kubectl delete pods -n {target.Namespace} -l app={target.Name}" };
        }

        if (Definition.Kind == ActionKind.SetConfigKey)
        {
            var config = SetConfigKeyRequest.From(request, out _);
            return Task.FromResult(plan with
            {
                Kind = ActionKind.SetConfigKey,
                Changes = [new ChangeLine($"configmap/{config.ConfigMap} data.{config.Key}", null, config.ShownValue)],
                KubectlEquivalent = config.Kubectl(target),
            });
        }

        return Task.FromResult(Definition.Kind != ActionKind.SetResources ? plan : plan with
        {
            Kind = ActionKind.SetResources,
            Changes = [.. request.Values.Where(v => v.Key != SetResourcesRequest.ContainerKey)
                .Select(v => new ChangeLine($"spec.template.spec.containers[0].resources.{v.Key}", "512Mi", v.Value))],
            KubectlEquivalent = SetResourcesRequest.From(request).Kubectl(target),
        });
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

    public async Task<AppliedAction> ApplyAsync(ActionPlan plan, IStepJournal journal, CancellationToken cancellationToken)
    {
        if (plan.Steps.Count == 0)
        {
            await journal.StartingAsync(0, cancellationToken);
            var applied = await ApplyAsync(plan, cancellationToken);
            await journal.DoneAsync(0, "patched", cancellationToken);
            return applied;
        }

        Interlocked.Increment(ref _applies);
        ApplyEntered.TrySetResult();
        for (var i = 0; i < plan.Steps.Count; i++)
        {
            await journal.StartingAsync(i, cancellationToken);
            if (i == 1 && SecondStepGate is { } gate)
            {
                await gate.Task.WaitAsync(cancellationToken);
            }

            if (i == FailAtStep)
            {
                throw new ActionException(ActionFailure.Unavailable, $"step {i + 1} failed: the API server answered 500");
            }

            await journal.DoneAsync(i, $"step {i + 1} done", cancellationToken);
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

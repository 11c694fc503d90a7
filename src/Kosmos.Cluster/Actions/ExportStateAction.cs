using System.Globalization;
using k8s;
using Kosmos.Cluster.Exec;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;

namespace Kosmos.Cluster.Actions;

/// <summary>
/// export-state, the runbook's Conversation State export (<c>kubectl exec &lt;pod&gt; -- python -m kosmos.tools.export_state
/// --output /tmp/state.json</c>, then <c>kubectl cp</c> it out), through the executor: the dry run checks the pod is Ready
/// and has the tool; apply runs the export into a temporary file; verify reads it back, checks it against the pod's own
/// <c>sha256sum</c> and the state document's shape, removes the file, and hands the bytes to the audit as a
/// <see cref="StateArtifact"/>. Changes nothing in the agent. A singleton; thread-safe.
/// </summary>
public sealed class ExportStateAction : IActionHandler
{
    public const string PodParameter = "pod";
    public const string ContainerParameter = "container";
    public const string PathParameter = "path";
    public const string ExportIdParameter = "exportId";

    private readonly StateCalls _calls;
    private readonly TimeProvider _time;

    public ExportStateAction(IKubernetes client, IAgentBoard board, PodExec exec, StateSettings settings, TimeProvider time)
    {
        _calls = new StateCalls(client, board, exec, settings);
        _time = time;
    }

    public ActionDefinition Definition => ActionCatalog.ExportState;

    public ActionValidation Validate(ActionRequest request, AgentDetail detail) => Rules(request, detail);

    /// <summary>Only <c>pod</c> may be given, and the pod chosen must be one of the agent's Ready pods.</summary>
    public static ActionValidation Rules(ActionRequest request, AgentDetail detail)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Values.Keys.FirstOrDefault(k => k != ExportStateRequest.PodKey) is { } unknown)
        {
            return ActionValidation.Fail($"Export state takes only \"pod\" (got '{unknown}').");
        }

        var (_, error) = StatePod.Choose(detail, ExportStateRequest.From(request).Pod);
        return error is null ? ActionValidation.Ok : ActionValidation.Fail(error);
    }

    public async Task<ActionPlan> PlanAsync(AgentRef target, ActionRequest request, Precondition? expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        // Exporting changes nothing, so a pod whose status moved on since the preview is no conflict; it must still be Ready.
        var pod = await _calls.PodAsync(target, ExportStateRequest.From(request).Pod, cancellationToken).ConfigureAwait(false);
        await _calls.RequireToolAsync(target, pod, StateCalls.ExportTool, cancellationToken).ConfigureAwait(false);
        var id = Guid.NewGuid();
        var path = StateCalls.TemporaryPath("export", id);
        return new ActionPlan(ActionKind.ExportState, target, new Precondition(pod.ResourceVersion),
            [new ChangeLine($"pod {pod.Name} (container {pod.Container})", null, $"conversations exported to {path}, read back, checked and removed")],
            $"kubectl exec -n {target.Namespace} {pod.Name} -c {pod.Container} -- python -m {StateCalls.ExportTool} --output /tmp/state.json && kubectl cp {target.Namespace}/{pod.Name}:/tmp/state.json ./state.json",
            StringMap.Of((PodParameter, pod.Name), (ContainerParameter, pod.Container), (PathParameter, path), (ExportIdParameter, id.ToString("D"))),
            _time.GetUtcNow())
        {
            Request = request,
            Note = "Nothing in the agent changes: the export is kept in the dashboard's audit database, where Operators can download it.",
        };
    }

    public async Task<AppliedAction> ApplyAsync(ActionPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var pod = PodOf(plan);
        await _calls.ExportToFileAsync(plan.Target, pod, plan.Parameters[PathParameter], cancellationToken).ConfigureAwait(false);
        return new AppliedAction(plan, pod.ResourceVersion, 0);
    }

    public async Task<VerificationResult> VerifyAsync(AppliedAction applied, IProgress<ActionProgress>? progress, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(applied);
        var plan = applied.Plan;
        var pod = PodOf(plan);
        var path = plan.Parameters[PathParameter];
        var started = _time.GetTimestamp();
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            progress?.Report(new ActionProgress(ActionStep.Verify, $"Reading {path} back from pod {pod.Name}"));
            var (content, sha256, mismatch) = await _calls.ReadBackAsync(plan.Target, pod, path, bounded.Token).ConfigureAwait(false);
            if (mismatch is not null)
            {
                return new VerificationResult(false, $"The export was not kept: {mismatch}.", 0, 1, _time.GetElapsedTime(started));
            }

            var check = StateDocument.Check(content, plan.Target.Name, _calls.Settings.MaxStateBytes);
            if (!check.IsValid)
            {
                return new VerificationResult(false, $"The export was not kept: what export_state wrote in pod {pod.Name} is not a state document of {plan.Target}: {check.Error}", 0, 1, _time.GetElapsedTime(started));
            }

            var id = Guid.Parse(plan.Parameters[ExportIdParameter]);
            var detail = string.Create(CultureInfo.InvariantCulture,
                $"exported {check.ConversationIds.Count} conversation(s) from pod {pod.Name}: {content.Length} bytes, sha256 {sha256} (matches the pod's sha256sum); export {id}");
            return new VerificationResult(true, detail, 1, 1, _time.GetElapsedTime(started))
            {
                Artifact = new StateArtifact(id, pod.Name, content, sha256, check.ConversationIds.Count),
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new VerificationResult(false, $"Reading the export back from pod {pod.Name} took longer than {timeout.TotalSeconds:0}s.", 0, 1, _time.GetElapsedTime(started));
        }
        finally
        {
            await _calls.RemoveAsync(plan.Target, pod, path).ConfigureAwait(false);
        }
    }

    private static StatePodRef PodOf(ActionPlan plan) =>
        new(plan.Parameters[PodParameter], plan.Parameters[ContainerParameter], plan.Precondition.ResourceVersion);
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kosmos.Cluster.Exec;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;
using Kosmos.Recovery.Quantities;

namespace Kosmos.Cluster.Actions;

/// <summary>
/// restore-snapshot, the runbook's State Recovery carried to the end (OpenShift's console stops at "restore as new PVC"), as a
/// recorded plan of steps, each one change: (1) when a pod runs, a safety export of the current conversations; (2) the
/// Deployment scaled to 0 and a wait until no pod mounts the claim; (3) a new claim <c>&lt;claim&gt;-restored-&lt;yyyyMMddHHmm&gt;</c>
/// whose dataSource is the snapshot (the old claim's storage class, at least the snapshot's restoreSize); (4) the Deployment's
/// volume pointed at it; (5) scaled back to the earlier replica count. The preview dry-runs each change. Verified from the
/// shared board (rollout complete, every pod Ready on the new claim, none on the old) and by the agent's own export from a
/// new pod. The old claim is kept and named in the result with the kubectl command that switches back. A singleton; thread-safe.
/// </summary>
public sealed class RestoreSnapshotAction : IActionHandler
{
    private const string SnapshotGroup = "snapshot.storage.k8s.io";
    private const string ClaimParameter = "claim";
    private const string NewClaimParameter = "newClaim";
    private const string VolumeParameter = "volume";
    private const string ReplicasParameter = "replicas";
    private const string StorageClassParameter = "storageClass";
    private const string SizeParameter = "size";
    private const string AccessModesParameter = "accessModes";
    private const string PodParameter = "pod";
    private const string ContainerParameter = "container";
    private const string SafetyPathParameter = "safetyPath";
    private const string SafetyIdParameter = "safetyExportId";

    // Bounded: pods that do not go after this long have a stuck finalizer; the step says so.
    private static readonly TimeSpan UnmountLimit = TimeSpan.FromMinutes(10);

    private readonly IKubernetes _client;
    private readonly IAgentBoard _board;
    private readonly TimeProvider _time;
    private readonly DeploymentCalls _deployments;
    private readonly StateCalls _state;

    // The safety export read in step 1, until the verification hands it to the audit as the attempt's artifact.
    private readonly ConcurrentDictionary<Guid, StateArtifact> _safety = new();

    public RestoreSnapshotAction(IKubernetes client, IAgentBoard board, PodExec exec, StateSettings settings, TimeProvider time)
    {
        _client = client;
        _board = board;
        _time = time;
        _deployments = new DeploymentCalls(client, board);
        _state = new StateCalls(client, board, exec, settings);
    }

    public ActionDefinition Definition => ActionCatalog.RestoreSnapshot;

    public ActionValidation Validate(ActionRequest request, AgentDetail detail) => RestoreSnapshot.Check(request, detail);

    public async Task<ActionPlan> PlanAsync(AgentRef target, ActionRequest request, Precondition? expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ct = cancellationToken;
        var detail = _board.GetDetail(target.Namespace, target.Name) ?? throw new ActionException(ActionFailure.NotFound, $"There is no agent {target} on the board.");
        if (RestoreSnapshot.Check(request, detail) is { IsValid: false } invalid)
        {
            throw new ActionException(ActionFailure.Invalid, invalid.ErrorText);
        }

        var name = request.Values[RestoreSnapshot.SnapshotKey].Trim();
        var deployment = await _deployments.ReadAsync(target, ct);
        var precondition = DeploymentCalls.Require(target, expected, deployment);

        // The snapshot and its claim from the watch cache (the dashboard's Role lists and watches them; it has no get): the
        // rules above read the same objects, and the dry-run create below is the API server's own check of the restore.
        var snapshot = detail.VolumeSnapshots.First(s => s.Name == name && s.DeletionTimestamp is null);
        var claimName = snapshot.SourcePvcName!;
        var volume = deployment.Spec?.Template?.Spec?.Volumes?.FirstOrDefault(v => v.PersistentVolumeClaim?.ClaimName == claimName)
            ?? throw new ActionException(ActionFailure.Invalid, $"Deployment {target} no longer mounts claim {claimName}, the source of VolumeSnapshot {name}.");
        var claim = detail.Claims.FirstOrDefault(c => c.Name == claimName && c.DeletionTimestamp is null)
            ?? throw new ActionException(ActionFailure.Invalid, $"Claim {target.Namespace}/{claimName}, the source of VolumeSnapshot {name}, is gone; restore the snapshot with kubectl into a claim of your own.");
        var size = Larger(claim.RequestedStorage ?? claim.Capacity, snapshot.RestoreSize)
            ?? throw new ActionException(ActionFailure.Invalid, $"Neither claim {claimName} nor VolumeSnapshot {name} says how large the restored claim must be.");
        var storageClass = claim.StorageClassName;
        IList<string> accessModes = claim.AccessModes.Count > 0 ? [.. claim.AccessModes] : ["ReadWriteOnce"];
        var newClaim = RestoreSnapshot.RestoredClaimName(claimName, _time.GetUtcNow());
        var replicas = deployment.Spec?.Replicas ?? 1;

        await Api(() => _client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(ClaimBody(target, newClaim, name, storageClass, size, accessModes), target.Namespace, dryRun: "All", cancellationToken: ct),
            $"dry run of the create of claim {target.Namespace}/{newClaim}");
        await _deployments.PatchAsync(target, precondition, new JsonObject { ["replicas"] = 0 }, dryRun: true, "dry run of the scale to 0", ct);
        await _deployments.PatchAsync(target, precondition, VolumePatch(volume.Name, newClaim), dryRun: true, "dry run of pointing the volume at the restored claim", ct);

        var steps = new List<string>();
        var changes = new List<ChangeLine>();
        var parameters = new List<(string, string)>
        {
            (RestoreSnapshot.SnapshotKey, name), (ClaimParameter, claimName), (NewClaimParameter, newClaim), (VolumeParameter, volume.Name),
            (ReplicasParameter, replicas.ToString(CultureInfo.InvariantCulture)), (StorageClassParameter, storageClass ?? ""), (SizeParameter, size),
            (AccessModesParameter, string.Join(',', accessModes)),
        };
        if (StatePod.Choose(detail, null).Pod is not null)
        {
            var pod = await _state.PodAsync(target, null, ct);
            await _state.RequireToolAsync(target, pod, StateCalls.ExportTool, ct);
            var id = Guid.NewGuid();
            parameters.AddRange([(PodParameter, pod.Name), (ContainerParameter, pod.Container), (SafetyPathParameter, StateCalls.TemporaryPath("safety", id)), (SafetyIdParameter, id.ToString("D"))]);
            steps.Add($"Export the current conversations from pod {pod.Name} as a safety export (kept in the dashboard)");
            changes.Add(new ChangeLine($"pod {pod.Name}", null, "conversations exported as a safety export before anything changes"));
        }

        steps.Add($"Scale deployment/{target.Name} to 0 and wait until no pod mounts claim {claimName}");
        steps.Add($"Create claim {newClaim} from VolumeSnapshot {name} (storage class {storageClass ?? "(default)"}, {size})");
        steps.Add($"Point volume {volume.Name} of deployment/{target.Name} at claim {newClaim}");
        steps.Add($"Scale deployment/{target.Name} back to {replicas}");
        var created = (snapshot.CreationTime ?? snapshot.CreationTimestamp)?.UtcDateTime.ToString("u", CultureInfo.InvariantCulture) ?? "?";
        changes.Add(new ChangeLine("deployment spec.replicas", replicas.ToString(CultureInfo.InvariantCulture), $"0, then {replicas} again"));
        changes.Add(new ChangeLine($"persistentvolumeclaim/{newClaim}", null, $"created from volumesnapshot/{name} (taken {created}; storage class {storageClass ?? "(default)"}, {size})"));
        changes.Add(new ChangeLine($"deployment volume {volume.Name}", $"claim {claimName}", $"claim {newClaim}"));
        changes.Add(new ChangeLine($"persistentvolumeclaim/{claimName}", $"{claim.Phase} (uid {claim.Uid})", "kept, no longer mounted"));
        var back = SwitchBackCommand(target, volume.Name, claimName);
        return new ActionPlan(ActionKind.RestoreSnapshot, target, precondition, [.. changes],
            $"kubectl scale deployment/{target.Name} -n {target.Namespace} --replicas=0 && kubectl apply -f restore-pvc.yaml (claim {newClaim}, dataSource VolumeSnapshot {name}) && " +
            $"kubectl patch deployment {target.Name} -n {target.Namespace} -p '{new JsonObject { ["spec"] = new JsonObject { ["template"] = new JsonObject { ["spec"] = VolumePatch(volume.Name, newClaim)["template"]!["spec"]!.DeepClone() } } }.ToJsonString()}' && " +
            $"kubectl scale deployment/{target.Name} -n {target.Namespace} --replicas={replicas}",
            StringMap.Of([.. parameters]), _time.GetUtcNow())
        {
            Request = request,
            Steps = [.. steps],
            Touches = [$"deployment/{target.Name} generation={precondition.Generation}", $"persistentvolumeclaim/{claimName} uid={claim.Uid}", $"volumesnapshot/{name} uid={snapshot.Uid}"],
            Losses =
            [
                $"The agent stops serving from the scale to 0 until its new pods are Ready on the restored claim.",
                $"Conversations written since VolumeSnapshot {name} was taken ({created}) are no longer seen by the agent; they stay on claim {claimName}, which is kept (switch back: {back}).",
            ],
            Note = $"The old claim {claimName} is kept, not deleted. To switch back: {back}",
        };
    }

    public Task<AppliedAction> ApplyAsync(ActionPlan plan, CancellationToken cancellationToken) =>
        throw new NotSupportedException("restore-snapshot is a recorded plan: apply it with a step journal.");

    public async Task<AppliedAction> ApplyAsync(ActionPlan plan, IStepJournal journal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(journal);
        var target = plan.Target;
        var p = plan.Parameters;
        var ct = cancellationToken;
        var index = 0;
        if (p.TryGetValue(PodParameter, out var podName))
        {
            await journal.StartingAsync(index, ct);
            var pod = new StatePodRef(podName, p[ContainerParameter], "");
            var path = p[SafetyPathParameter];
            await _state.ExportToFileAsync(target, pod, path, ct);
            var (content, sha256, mismatch) = await _state.ReadBackAsync(target, pod, path, ct);
            await _state.RemoveAsync(target, pod, path);
            var check = StateDocument.Check(content, target.Name, _state.Settings.MaxStateBytes);
            if (mismatch is not null || !check.IsValid)
            {
                throw new ActionException(ActionFailure.Unavailable, $"The safety export from pod {podName} could not be kept ({mismatch ?? check.Error}); nothing was changed.");
            }

            var id = Guid.Parse(p[SafetyIdParameter]);
            _safety[id] = new StateArtifact(id, podName, content, sha256, check.ConversationIds.Count);
            await journal.DoneAsync(index++, $"safety export {id} of {check.ConversationIds.Count} conversation(s) ({content.Length} bytes, sha256 {sha256})", ct);
        }

        try
        {
            return await ChangeAsync(plan, journal, index, ct);
        }
        catch (ActionException ex) when (p.TryGetValue(SafetyIdParameter, out var id) && _safety.TryRemove(Guid.Parse(id), out var safety))
        {
            // The conversations as they were before the restore began: the audit keeps them even though the plan stopped.
            throw new ActionException(ex.Failure, ex.Message, ex) { Artifact = safety };
        }
    }

    // Steps 2-5: scale to 0, the restored claim, the volume, scale back.
    private async Task<AppliedAction> ChangeAsync(ActionPlan plan, IStepJournal journal, int index, CancellationToken ct)
    {
        var target = plan.Target;
        var p = plan.Parameters;
        var claim = p[ClaimParameter];
        var newClaim = p[NewClaimParameter];
        await journal.StartingAsync(index, ct);
        var current = DeploymentCalls.Require(target, plan.Precondition, await _deployments.ReadAsync(target, ct));
        var scaled = await _deployments.PatchAsync(target, current, new JsonObject { ["replicas"] = 0 }, dryRun: false, "scale to 0", ct);
        var waited = await WaitUntilUnmountedAsync(target, claim, ct);
        await journal.DoneAsync(index++, $"scaled to 0; no pod mounts claim {claim} (after {DeploymentCalls.Seconds(waited)})", ct);

        await journal.StartingAsync(index, ct);
        var accessModes = p[AccessModesParameter].Split(',', StringSplitOptions.RemoveEmptyEntries);
        var created = await Api(() => _client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(
            ClaimBody(target, newClaim, p[RestoreSnapshot.SnapshotKey], p[StorageClassParameter] is { Length: > 0 } sc ? sc : null, p[SizeParameter], accessModes), target.Namespace, cancellationToken: ct),
            $"create of claim {target.Namespace}/{newClaim}");
        await journal.DoneAsync(index++, $"claim {newClaim} created (uid {created.Metadata.Uid}) from VolumeSnapshot {p[RestoreSnapshot.SnapshotKey]}", ct);

        await journal.StartingAsync(index, ct);
        var pointed = await PatchOwnAsync(target, scaled.Metadata.Generation ?? 0, VolumePatch(p[VolumeParameter], newClaim), "pointing the volume at the restored claim", ct);
        await journal.DoneAsync(index++, $"volume {p[VolumeParameter]} now mounts claim {newClaim} (generation {pointed.Metadata.Generation})", ct);

        await journal.StartingAsync(index, ct);
        var replicas = int.Parse(p[ReplicasParameter], CultureInfo.InvariantCulture);
        var back = await PatchOwnAsync(target, pointed.Metadata.Generation ?? 0, new JsonObject { ["replicas"] = replicas }, "scale back", ct);
        await journal.DoneAsync(index, $"scaled back to {replicas} (generation {back.Metadata.Generation})", ct);
        return new AppliedAction(plan, back.Metadata.ResourceVersion, back.Metadata.Generation ?? 0);
    }

    public async Task<VerificationResult> VerifyAsync(AppliedAction applied, IProgress<ActionProgress>? progress, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(applied);
        var plan = applied.Plan;
        var p = plan.Parameters;
        var target = plan.Target;
        var (claim, newClaim, snapshot) = (p[ClaimParameter], p[NewClaimParameter], p[RestoreSnapshot.SnapshotKey]);
        var replicas = int.Parse(p[ReplicasParameter], CultureInfo.InvariantCulture);
        StateArtifact? safety = null;
        if (p.TryGetValue(SafetyIdParameter, out var safetyId))
        {
            _safety.TryRemove(Guid.Parse(safetyId), out safety);
        }

        var back = $"The old claim {claim} is kept; to switch back: {SwitchBackCommand(target, p[VolumeParameter], claim)}";
        var kept = safety is null ? "" : $" Safety export {safety.Id} ({safety.Conversations} conversation(s) before the restore) is kept.";
        await using var watch = new RolloutWatch(_board, _time, target);
        var (failure, state) = await watch.UntilCompleteAsync(detail => RestoreSnapshot.Evaluate(detail, applied.Generation, claim, newClaim, replicas), failed: null, progress, timeout, cancellationToken);
        if (failure is not null)
        {
            return failure with { Detail = $"{failure.Detail}. {back}.{kept}", Artifact = safety };
        }

        if (replicas == 0)
        {
            return watch.Result(true, $"{state.Detail}; the Deployment runs 0 replicas, so no export was checked. {back}.{kept}", state) with { Artifact = safety };
        }

        // The agent's own export from a pod on the restored claim: what it serves now.
        progress?.Report(new ActionProgress(ActionStep.Verify, $"Exporting from a pod on claim {newClaim} to check the restored conversations"));
        try
        {
            var pod = await _state.PodAsync(target, null, cancellationToken);
            var path = StateCalls.TemporaryPath("verify", Guid.NewGuid());
            await _state.ExportToFileAsync(target, pod, path, cancellationToken);
            var (content, _, mismatch) = await _state.ReadBackAsync(target, pod, path, cancellationToken);
            await _state.RemoveAsync(target, pod, path);
            var check = mismatch is null ? StateDocument.Check(content, target.Name, _state.Settings.MaxStateBytes) : null;
            if (check is not { IsValid: true })
            {
                return watch.Result(false, $"{state.Detail}; but the export from pod {pod.Name} could not be read ({mismatch ?? check?.Error}). {back}.{kept}", state) with { Artifact = safety };
            }

            var now = check.ConversationIds;
            var before = safety is null ? null : StateDocument.Check(safety.Content, target.Name, long.MaxValue).ConversationIds;
            var gone = before?.Except(now, StringComparer.Ordinal).ToList() ?? [];
            var returned = before is null ? [] : now.Except(before, StringComparer.Ordinal).ToList();
            var difference = before is null ? "" : $"; no longer seen (written after the snapshot, still on claim {claim}): {(gone.Count == 0 ? "none" : string.Join(", ", gone))}" +
                (returned.Count == 0 ? "" : $"; back from the snapshot: {string.Join(", ", returned)}");
            return watch.Result(true,
                $"{state.Detail}; pod {pod.Name} on claim {newClaim} (from VolumeSnapshot {snapshot}) exports {now.Count} conversation(s): {(now.Count == 0 ? "none" : string.Join(", ", now))}{difference}. {back}.{kept}",
                state) with { Artifact = safety };
        }
        catch (ActionException ex)
        {
            return watch.Result(false, $"{state.Detail}; but the export to check the restored conversations failed: {ex.Message} {back}.{kept}", state) with { Artifact = safety };
        }
    }

    /// <summary>The kubectl command that points the Deployment's volume back at <paramref name="claim"/>.</summary>
    public static string SwitchBackCommand(AgentRef target, string volume, string claim) =>
        $"kubectl patch deployment {target.Name} -n {target.Namespace} -p '{{\"spec\":{{\"template\":{{\"spec\":{{\"volumes\":[{{\"name\":\"{volume}\",\"persistentVolumeClaim\":{{\"claimName\":\"{claim}\"}}}}]}}}}}}}}'";

    // A later step patches the Deployment this plan already changed: from its current resourceVersion as long as the spec is
    // still the one the previous step wrote (the controllers move only the status meanwhile); another spec change is a conflict.
    private async Task<V1Deployment> PatchOwnAsync(AgentRef target, long generation, JsonObject spec, string doing, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var now = await _deployments.ReadAsync(target, ct);
            if (now.Metadata.Generation != generation)
            {
                throw new ActionException(ActionFailure.Conflict,
                    $"Deployment {target} was changed by someone else during the restore (generation {generation} expected, now {now.Metadata.Generation}); stopped before {doing}.");
            }

            try
            {
                return await _deployments.PatchAsync(target, new Precondition(now.Metadata.ResourceVersion, generation), spec, dryRun: false, doing, ct);
            }
            catch (ActionException ex) when (ex.Failure == ActionFailure.Conflict && attempt < 5)
            {
                // The status moved between the read and the patch: read again.
            }
        }
    }

    private async Task<TimeSpan> WaitUntilUnmountedAsync(AgentRef target, string claim, CancellationToken ct)
    {
        var started = _time.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            var pods = await Api(() => _client.CoreV1.ListNamespacedPodAsync(target.Namespace, cancellationToken: ct), $"list of the pods in {target.Namespace}");
            var mounting = pods.Items.Where(pod => pod.Spec?.Volumes?.Any(v => v.PersistentVolumeClaim?.ClaimName == claim) == true).Select(pod => pod.Metadata.Name).ToList();
            if (mounting.Count == 0)
            {
                return _time.GetElapsedTime(started);
            }

            if (_time.GetElapsedTime(started) > UnmountLimit)
            {
                throw new ActionException(ActionFailure.Unavailable,
                    $"Claim {target.Namespace}/{claim} is still mounted by {string.Join(", ", mounting)} after {DeploymentCalls.Seconds(UnmountLimit)}; the Deployment is at 0 replicas and no claim was created.");
            }

            await Task.Delay(delay, _time, ct);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
        }
    }

    private static JsonObject VolumePatch(string volume, string claim) => new()
    {
        ["template"] = new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["volumes"] = new JsonArray(new JsonObject { ["name"] = volume, ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = claim } }),
            },
        },
    };

    private static V1PersistentVolumeClaim ClaimBody(AgentRef target, string name, string snapshot, string? storageClass, string size, IList<string> accessModes) => new()
    {
        ApiVersion = "v1",
        Kind = "PersistentVolumeClaim",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = target.Namespace,
            Labels = new Dictionary<string, string> { [WellKnownKeys.AgentLabel] = target.Name, ["kosmos.dev/restored-from"] = snapshot },
        },
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = accessModes,
            StorageClassName = storageClass,
            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new ResourceQuantity(size) } },
            DataSource = new V1TypedLocalObjectReference { ApiGroup = SnapshotGroup, Kind = "VolumeSnapshot", Name = snapshot },
        },
    };

    // The restored claim must be at least the snapshot's restoreSize (the provisioner refuses a smaller one) and keeps the old
    // claim's size when that is larger.
    private static string? Larger(string? a, string? b) => (Quantity.Decode(a), Quantity.Decode(b)) switch
    {
        ({ } x, { } y) => x >= y ? a : b,
        ({ }, null) => a,
        (null, { }) => b,
        _ => null,
    };

    private static async Task<T> Api<T>(Func<Task<T>> call, string doing)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (ApiErrors.IsApiError(ex))
        {
            throw ApiErrors.From(ex, doing);
        }
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;
using YamlDotNet.RepresentationModel;

namespace Kosmos.Cluster.Actions;

/// <summary>Where a complete reset finds each agent's manifests: <c>&lt;ManifestsPath&gt;/&lt;agent&gt;/*.yaml</c>.</summary>
public sealed record ResetSettings(string ManifestsPath);

/// <summary>
/// The runbook's Complete Agent Reset as a recorded plan, each step one change: with <c>deleteClaim</c>, a safety
/// VolumeSnapshot of each claim the agent mounts (when the VolumeSnapshot API is served) and a wait until it is readyToUse
/// (beyond the runbook: even a complete reset can be undone), then the claim deleted; every pod deleted by label; the
/// agent's manifests applied again by server-side apply (field manager <see cref="FieldManager"/>). Claims go before pods,
/// so the replacement pods start on the new, empty claims rather than on the old ones. The preview runs a server dry run of
/// every delete, create and apply. Verified from the shared board: the rollout complete, no old pod left, every claim of the
/// manifests Bound (a deleted one as a new object). A singleton; thread-safe.
/// </summary>
public sealed class ResetAction(IKubernetes client, IAgentBoard board, TimeProvider time, ResetSettings settings) : IActionHandler
{
    public const string FieldManager = "kosmos-dashboard";

    private const string SnapshotGroup = "snapshot.storage.k8s.io";
    private const string ClaimsParameter = "claims";
    private const string PodsParameter = "pods";
    private const string SnapshotsParameter = "snapshots";
    private const string ManifestsParameter = "manifestsSha256";
    private const string SnapshotClassesParameter = "snapshotClasses";

    private readonly DeploymentCalls _calls = new(client, board);

    public ActionDefinition Definition => ActionCatalog.Reset;

    public ActionValidation Validate(ActionRequest request, AgentDetail detail) => Reset.Check(request);

    public async Task<ActionPlan> PlanAsync(AgentRef target, ActionRequest request, Precondition? expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Reset.Check(request) is { IsValid: false } invalid)
        {
            throw new ActionException(ActionFailure.Invalid, invalid.ErrorText);
        }

        var deleteClaims = Reset.DeletesClaims(request);
        var deployment = await _calls.ReadAsync(target, cancellationToken);
        var precondition = DeploymentCalls.Require(target, expected, deployment);
        var manifests = ReadManifests(target);
        var ct = cancellationToken;

        var pods = (await Api(() => client.CoreV1.ListNamespacedPodAsync(target.Namespace, labelSelector: $"{WellKnownKeys.AgentLabel}={target.Name}", cancellationToken: ct),
            $"list of the pods of {target}")).Items;
        var claimNames = deployment.Spec?.Template?.Spec?.Volumes?.Where(v => v.PersistentVolumeClaim is not null)
            .Select(v => v.PersistentVolumeClaim.ClaimName).Distinct().Order(StringComparer.Ordinal).ToList() ?? [];
        var claims = new List<V1PersistentVolumeClaim>();
        foreach (var name in deleteClaims ? claimNames : [])
        {
            try
            {
                claims.Add(await client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(name, target.Namespace, cancellationToken: ct));
            }
            catch (Exception ex) when (ApiErrors.IsApiError(ex) && ApiErrors.From(ex, "").Failure == ActionFailure.NotFound)
            {
                // Mounted but missing: nothing to snapshot or delete; the manifests may create it.
            }
            catch (Exception ex) when (ApiErrors.IsApiError(ex))
            {
                throw ApiErrors.From(ex, $"read of claim {target.Namespace}/{name}");
            }
        }

        var snapshotsServed = claims.Count > 0 && await SnapshotApiServedAsync(target.Namespace, ct);
        var stamp = time.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        // A random tail too: two plans in the same second (a preview, then the re-plan of an approval) must not collide.
        var tail = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2));
        var snapshots = snapshotsServed ? claims.Select(c => (Claim: c.Metadata.Name, Name: Dns($"{c.Metadata.Name}-reset-{stamp}-{tail}"))).ToList() : [];
        var classes = SnapshotClasses(target, snapshots.Select(s => s.Claim));

        // Server dry runs of every change, in the order the steps send them.
        var changes = new List<ChangeLine>();
        var steps = new List<string>();
        var losses = new List<string>();
        foreach (var (claim, name) in snapshots)
        {
            var snapshotClass = classes.GetValueOrDefault(claim);
            await Api(() => client.CustomObjects.CreateNamespacedCustomObjectAsync(SnapshotBody(target, claim, name, snapshotClass), SnapshotGroup, "v1", target.Namespace,
                "volumesnapshots", dryRun: "All", cancellationToken: ct), $"dry run of VolumeSnapshot {target.Namespace}/{name}");
            changes.Add(new ChangeLine($"volumesnapshot/{name}", null,
                $"created from claim {claim} (safety copy; restorable; class {snapshotClass ?? "the cluster's default"})"));
            steps.Add($"Take VolumeSnapshot {name} of claim {claim} and wait until it is readyToUse");
        }

        foreach (var claim in claims)
        {
            await DeleteClaimAsync(target, claim.Metadata.Name, claim.Metadata.Uid, dryRun: true, ct);
            changes.Add(new ChangeLine($"persistentvolumeclaim/{claim.Metadata.Name}", $"{claim.Status?.Phase ?? "Pending"}, {(claim.Status?.Capacity is { } capacity && capacity.TryGetValue("storage", out var size) ? size.ToString() : null) ?? "?"} (uid {claim.Metadata.Uid})", "(deleted)"));
            steps.Add($"Delete claim {claim.Metadata.Name}");
            losses.Add(snapshotsServed
                ? $"Everything on claim {claim.Metadata.Name} (the agent's conversation state) is deleted; the safety snapshot {snapshots.First(s => s.Claim == claim.Metadata.Name).Name} keeps a copy you can restore."
                : $"Everything on claim {claim.Metadata.Name} (the agent's conversation state) is deleted for good: the cluster serves no VolumeSnapshot API, so no safety copy is taken.");
        }

        foreach (var pod in pods)
        {
            // Per pod, as applying deletes them (the Role grants delete on pods, not deletecollection).
            await Api(() => client.CoreV1.DeleteNamespacedPodAsync(pod.Metadata.Name, target.Namespace, dryRun: "All", cancellationToken: ct),
                $"dry run of the delete of pod {target.Namespace}/{pod.Metadata.Name}");
        }

        changes.AddRange(pods.Select(p => new ChangeLine($"pod/{p.Metadata.Name}", $"{p.Status?.Phase ?? "Unknown"} (uid {p.Metadata.Uid})", "(deleted; replaced by the Deployment)")));
        steps.Add($"Delete every pod of {target.Name} (kubectl delete pods -n {target.Namespace} -l {WellKnownKeys.AgentLabel}={target.Name}): {(pods.Count == 0 ? "none now" : string.Join(", ", pods.Select(p => p.Metadata.Name)))}");
        losses.Add("Whatever the pods hold outside their volumes (memory, in-flight requests, /tmp) is lost when they are deleted.");
        if (!deleteClaims && claimNames.Count > 0)
        {
            losses.Add($"Claims kept (deleteClaim is false): {string.Join(", ", claimNames)}; their data stays.");
        }

        foreach (var manifest in manifests.Objects)
        {
            var applied = await ApplyAsync(target, manifest, dryRun: true, ct);
            changes.Add(new ChangeLine($"{manifest.Kind.ToLowerInvariant()}/{manifest.Name}", applied.Before, applied.After));
            steps.Add($"Apply {manifest.Kind.ToLowerInvariant()}/{manifest.Name} from {manifest.File} (server-side apply, field manager {FieldManager})");
        }

        var touches = new List<string> { $"deployment/{target.Name} generation={precondition.Generation}" };
        touches.AddRange(claims.Select(c => $"persistentvolumeclaim/{c.Metadata.Name} uid={c.Metadata.Uid}"));
        touches.Add($"volumesnapshot API {(snapshotsServed ? "served" : "not served")}");
        touches.Add($"manifests sha256={manifests.Hash}");
        var kubectl = string.Join(" && ", new[]
        {
            $"kubectl delete pods -n {target.Namespace} -l {WellKnownKeys.AgentLabel}={target.Name}",
        }.Concat(claims.Select(c => $"kubectl delete pvc {c.Metadata.Name} -n {target.Namespace}"))
         .Append($"kubectl apply --server-side --field-manager={FieldManager} -f {Path.Combine(settings.ManifestsPath, target.Name)}/"));
        var skipped = manifests.Skipped.Count == 0 ? "" : $" Not applied: {string.Join("; ", manifests.Skipped)}.";
        return new ActionPlan(ActionKind.Reset, target, precondition, [.. changes], kubectl,
            StringMap.Of(
                (Reset.DeleteClaimKey, deleteClaims ? "true" : "false"),
                (ClaimsParameter, string.Join(',', claims.Select(c => $"{c.Metadata.Name}:{c.Metadata.Uid}"))),
                (PodsParameter, string.Join(',', pods.Select(p => p.Metadata.Uid))),
                (SnapshotsParameter, string.Join(',', snapshots.Select(s => $"{s.Claim}:{s.Name}"))),
                (ManifestsParameter, manifests.Hash),
                (SnapshotClassesParameter, string.Join(',', classes.Select(c => $"{c.Key}:{c.Value}")))),
            time.GetUtcNow())
        {
            Request = request,
            Steps = [.. steps],
            Losses = [.. losses],
            Touches = [.. touches],
            Note = "Claims are deleted before the pods, so the new pods start on new, empty claims." + skipped,
        };
    }

    public Task<AppliedAction> ApplyAsync(ActionPlan plan, CancellationToken cancellationToken) =>
        ApplyAsync(plan, NoJournal.Instance, cancellationToken);

    public async Task<AppliedAction> ApplyAsync(ActionPlan plan, IStepJournal journal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(journal);
        var target = plan.Target;
        var ct = cancellationToken;
        var manifests = ReadManifests(target);
        if (manifests.Hash != plan.Parameters[ManifestsParameter])
        {
            throw new ActionException(ActionFailure.Conflict, $"The manifests in {Path.Combine(settings.ManifestsPath, target.Name)} changed since the preview. Nothing was changed; preview again.");
        }

        var index = 0;
        var classes = plan.Parameters.TryGetValue(SnapshotClassesParameter, out var classList) ? Pairs(classList).ToDictionary(p => p.Item1, p => p.Item2) : [];
        foreach (var (claim, name) in Pairs(plan.Parameters[SnapshotsParameter]))
        {
            await journal.StartingAsync(index, ct);
            await Api(() => client.CustomObjects.CreateNamespacedCustomObjectAsync(SnapshotBody(target, claim, name, classes.GetValueOrDefault(claim)), SnapshotGroup, "v1", target.Namespace,
                "volumesnapshots", cancellationToken: ct), $"create of VolumeSnapshot {target.Namespace}/{name}");
            var ready = await WaitForSnapshotAsync(target, name, ct);
            await journal.DoneAsync(index++, ready, ct);
        }

        foreach (var (claim, uid) in Pairs(plan.Parameters[ClaimsParameter]))
        {
            await journal.StartingAsync(index, ct);
            await DeleteClaimAsync(target, claim, uid, dryRun: false, ct);
            await journal.DoneAsync(index++, $"claim {claim} (uid {uid}) deleted", ct);
        }

        await journal.StartingAsync(index, ct);
        // One DELETE per pod, as kubectl does: the dashboard's Role grants delete on pods, not deletecollection.
        var pods = await Api(() => client.CoreV1.ListNamespacedPodAsync(target.Namespace, labelSelector: $"{WellKnownKeys.AgentLabel}={target.Name}", cancellationToken: ct),
            $"list of the pods of {target}");
        foreach (var pod in pods.Items.Where(p => p.Metadata.DeletionTimestamp is null))
        {
            await DeletePodAsync(target, pod.Metadata.Name, ct);
        }

        // A deleted claim that pods used stays (kubernetes.io/pvc-protection) until those pods are gone: apply the manifests
        // only once it has really gone, or the apply would patch the claim being deleted and the agent would be left with none.
        foreach (var (claim, _) in Pairs(plan.Parameters[ClaimsParameter]))
        {
            await WaitForClaimGoneAsync(target, claim, ct);
        }

        await journal.DoneAsync(index++, $"pods deleted ({pods.Items.Count})" + (plan.Parameters[ClaimsParameter].Length > 0 ? "; deleted claims gone" : ""), ct);

        string resourceVersion = plan.Precondition.ResourceVersion;
        long generation = plan.Precondition.Generation ?? 0;
        foreach (var manifest in manifests.Objects)
        {
            await journal.StartingAsync(index, ct);
            var applied = await ApplyAsync(target, manifest, dryRun: false, ct);
            if (manifest.Kind == "Deployment" && manifest.Name == target.Name)
            {
                (resourceVersion, generation) = (applied.ResourceVersion ?? resourceVersion, applied.Generation ?? generation);
            }

            await journal.DoneAsync(index++, applied.After ?? "applied", ct);
        }

        return new AppliedAction(plan, resourceVersion, generation);
    }

    public async Task<VerificationResult> VerifyAsync(AppliedAction applied, IProgress<ActionProgress>? progress, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(applied);
        var plan = applied.Plan;
        var oldPods = plan.Parameters[PodsParameter].Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var deleted = Pairs(plan.Parameters[ClaimsParameter]).ToDictionary(p => p.Item1, p => p.Item2);
        var manifestClaims = ReadManifests(plan.Target).Objects.Where(o => o.Kind == "PersistentVolumeClaim").Select(o => o.Name);
        IReadOnlyList<(string, string?)> claims = [.. manifestClaims.Select(c => (c, deleted.GetValueOrDefault(c)))];
        await using var watch = new RolloutWatch(board, time, plan.Target);
        var (failure, state) = await watch.UntilCompleteAsync(detail => Reset.Evaluate(detail, applied.Generation, oldPods, claims), failed: null, progress, timeout, cancellationToken);
        return failure ?? watch.Result(true, state.Detail, state);
    }

    private async Task DeletePodAsync(AgentRef target, string pod, CancellationToken ct)
    {
        try
        {
            await client.CoreV1.DeleteNamespacedPodAsync(pod, target.Namespace, cancellationToken: ct);
        }
        catch (Exception ex) when (ApiErrors.IsApiError(ex) && ApiErrors.From(ex, "delete").Failure == ActionFailure.NotFound)
        {
            // Gone already (its ReplicaSet or the kubelet was quicker): what this step wants.
        }
        catch (Exception ex) when (ApiErrors.IsApiError(ex))
        {
            throw ApiErrors.From(ex, $"delete of pod {target.Namespace}/{pod}");
        }
    }

    // Bounded: a claim still held after this long has a pod that does not go (a stuck finalizer); the step says so.
    private static readonly TimeSpan ClaimGoneLimit = TimeSpan.FromMinutes(10);

    private async Task WaitForClaimGoneAsync(AgentRef target, string claim, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(100);
        while (await ReadOrNullAsync("PersistentVolumeClaim", claim, target.Namespace, ct) is not null)
        {
            if (time.GetElapsedTime(started) > ClaimGoneLimit)
            {
                throw new ActionException(ActionFailure.Unavailable,
                    $"Claim {target.Namespace}/{claim} is still being deleted after {DeploymentCalls.Seconds(ClaimGoneLimit)} (a pod still uses it): the manifests were not applied yet.");
            }

            await Task.Delay(delay, time, ct);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
        }
    }

    private async Task<string> WaitForSnapshotAsync(AgentRef target, string name, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            var snapshot = await Api(() => client.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>(SnapshotGroup, "v1", target.Namespace, "volumesnapshots", name, ct),
                $"read of VolumeSnapshot {target.Namespace}/{name}");
            if (snapshot?["status"]?["error"]?["message"]?.GetValue<string>() is { } error)
            {
                throw new ActionException(ActionFailure.Unavailable, $"VolumeSnapshot {target.Namespace}/{name} failed: {error}");
            }

            if (snapshot?["status"]?["readyToUse"]?.GetValue<bool>() == true)
            {
                return $"VolumeSnapshot {name} readyToUse ({snapshot["status"]?["restoreSize"]}) after {DeploymentCalls.Seconds(time.GetElapsedTime(started))}";
            }

            // The snapshot controller's own pace; polling one object for a few seconds costs the API server little.
            await Task.Delay(delay, time, ct);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
        }
    }

    private async Task DeleteClaimAsync(AgentRef target, string claim, string uid, bool dryRun, CancellationToken ct)
    {
        try
        {
            await Api(() => client.CoreV1.DeleteNamespacedPersistentVolumeClaimAsync(claim, target.Namespace,
                new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = uid } }, dryRun: dryRun ? "All" : null, cancellationToken: ct),
                $"{(dryRun ? "dry run of the delete" : "delete")} of claim {target.Namespace}/{claim}");
        }
        catch (System.Text.Json.JsonException)
        {
            // A 2xx answer with a Status body rather than the claim (as for deletecollection): the delete succeeded.
        }
    }

    private async Task<bool> SnapshotApiServedAsync(string ns, CancellationToken ct)
    {
        try
        {
            await client.CustomObjects.ListNamespacedCustomObjectAsync(SnapshotGroup, "v1", ns, "volumesnapshots", limit: 1, cancellationToken: ct);
            return true;
        }
        catch (Exception ex) when (ApiErrors.IsApiError(ex) && ApiErrors.From(ex, "").Failure == ActionFailure.NotFound)
        {
            return false;
        }
    }

    private async Task<(string? Before, string? After, string? ResourceVersion, long? Generation)> ApplyAsync(AgentRef target, Manifest manifest, bool dryRun, CancellationToken ct)
    {
        var patch = new V1Patch(manifest.Json, V1Patch.PatchType.ApplyPatch);
        var ns = manifest.Namespace ?? target.Namespace;
        var run = dryRun ? "All" : null;
        var doing = $"{(dryRun ? "dry run of the apply" : "apply")} of {manifest.Kind.ToLowerInvariant()}/{manifest.Name} from {manifest.File}";
        IKubernetesObject<V1ObjectMeta>? before = await ReadOrNullAsync(manifest.Kind, manifest.Name, ns, ct);
        IKubernetesObject<V1ObjectMeta> after = await Api<IKubernetesObject<V1ObjectMeta>>(async () => manifest.Kind switch
        {
            "Deployment" => await client.AppsV1.PatchNamespacedDeploymentAsync(patch, manifest.Name, ns, dryRun: run, fieldManager: FieldManager, force: true, cancellationToken: ct),
            "PersistentVolumeClaim" => await client.CoreV1.PatchNamespacedPersistentVolumeClaimAsync(patch, manifest.Name, ns, dryRun: run, fieldManager: FieldManager, force: true, cancellationToken: ct),
            "ConfigMap" => await client.CoreV1.PatchNamespacedConfigMapAsync(patch, manifest.Name, ns, dryRun: run, fieldManager: FieldManager, force: true, cancellationToken: ct),
            _ => throw new ActionException(ActionFailure.Invalid, $"{manifest.File}: a reset does not apply objects of kind {manifest.Kind}."),
        }, doing);
        var changed = before is null ? 0 : JsonDiff.Compare(ToJson(before), ToJson(after))
            .Count(c => !c.Path.StartsWith("metadata.", StringComparison.Ordinal) || c.Path.StartsWith("metadata.labels", StringComparison.Ordinal) || c.Path.StartsWith("metadata.annotations", StringComparison.Ordinal));
        var beforeText = before is null ? null : $"exists (resourceVersion {before.Metadata.ResourceVersion})";

        var afterText = before is null ? $"created from {manifest.File}" : changed == 0 ? $"applied from {manifest.File}: unchanged" : $"applied from {manifest.File}: {changed} field(s) change";
        return (beforeText, afterText, after.Metadata.ResourceVersion, after.Metadata.Generation);
    }

    private async Task<IKubernetesObject<V1ObjectMeta>?> ReadOrNullAsync(string kind, string name, string ns, CancellationToken ct)
    {
        try
        {
            return kind switch
            {
                "Deployment" => await client.AppsV1.ReadNamespacedDeploymentAsync(name, ns, cancellationToken: ct),
                "PersistentVolumeClaim" => await client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(name, ns, cancellationToken: ct),
                "ConfigMap" => await client.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: ct),
                _ => null,
            };
        }
        catch (Exception ex) when (ApiErrors.IsApiError(ex) && ApiErrors.From(ex, "").Failure == ActionFailure.NotFound)
        {
            return null;
        }
        catch (Exception ex) when (ApiErrors.IsApiError(ex))
        {
            throw ApiErrors.From(ex, $"read of {kind.ToLowerInvariant()}/{name}");
        }
    }

    private static JsonNode? ToJson(object value) => JsonNode.Parse(KubernetesJson.Serialize(value));

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

    // The class the claim's own snapshots were taken with (newest first): a cluster without a default VolumeSnapshotClass
    // leaves a snapshot without one unready for ever. None known: the cluster's default.
    private Dictionary<string, string> SnapshotClasses(AgentRef target, IEnumerable<string> claims)
    {
        var known = board.GetDetail(target.Namespace, target.Name)?.VolumeSnapshots ?? [];
        var classes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var claim in claims)
        {
            if (known.Where(v => v.SourcePvcName == claim && !string.IsNullOrEmpty(v.VolumeSnapshotClassName))
                .OrderByDescending(v => v.CreationTimestamp).FirstOrDefault() is { } newest)
            {
                classes[claim] = newest.VolumeSnapshotClassName!;
            }
        }

        return classes;
    }

    private static JsonObject SnapshotBody(AgentRef target, string claim, string name, string? snapshotClass) => new JsonObject
    {
        ["apiVersion"] = $"{SnapshotGroup}/v1",
        ["kind"] = "VolumeSnapshot",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = target.Namespace,
            ["labels"] = new JsonObject { [WellKnownKeys.AgentLabel] = target.Name, ["kosmos.dev/taken-by"] = "reset" },
        },
        ["spec"] = snapshotClass is null
            ? new JsonObject { ["source"] = new JsonObject { ["persistentVolumeClaimName"] = claim } }
            : new JsonObject { ["volumeSnapshotClassName"] = snapshotClass, ["source"] = new JsonObject { ["persistentVolumeClaimName"] = claim } },
    };

    private static IEnumerable<(string, string)> Pairs(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries)
        .Select(p => p.Split(':', 2)).Select(p => (p[0], p.Length > 1 ? p[1] : ""));

    private static string Dns(string name) => name.Length <= 253 ? name : name[..253];

    private sealed record Manifest(string File, string Kind, string Name, string? Namespace, string Json);

    private sealed record Manifests(IReadOnlyList<Manifest> Objects, IReadOnlyList<string> Skipped, string Hash);

    // Every object of deploy/agents/<agent>/*.yaml, in file order; VolumeSnapshots and Secrets are left out (see below).
    private Manifests ReadManifests(AgentRef target)
    {
        var folder = Path.Combine(settings.ManifestsPath, target.Name);
        if (!Directory.Exists(folder))
        {
            throw new ActionException(ActionFailure.Invalid, $"There are no manifests for {target.Name} in {settings.ManifestsPath} (Kosmos:Actions:ManifestsPath), so a reset could not redeploy it. Nothing was changed.");
        }

        var objects = new List<Manifest>();
        var skipped = new List<string>();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in Directory.GetFiles(folder).Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(file);
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetFileName(file) + "\n" + text));
            foreach (var doc in text.Split(["\n---"], StringSplitOptions.None))
            {
                var yaml = doc.TrimStart('-', '\n', '\r');
                if (string.IsNullOrWhiteSpace(yaml))
                {
                    continue;
                }

                var stream = new YamlStream();
                try
                {
                    stream.Load(new StringReader(yaml));
                }
                catch (YamlDotNet.Core.YamlException ex)
                {
                    throw new ActionException(ActionFailure.Invalid, $"{Path.GetFileName(file)} is not valid YAML ({ex.Message}). Nothing was changed.", ex);
                }

                if (stream.Documents.FirstOrDefault()?.RootNode is not YamlMappingNode root)
                {
                    continue;
                }

                var kind = Scalar(root, "kind") ?? "";
                var meta = root.Children.TryGetValue(new YamlScalarNode("metadata"), out var m) ? m as YamlMappingNode : null;
                var name = meta is null ? null : Scalar(meta, "name");
                if (name is null)
                {
                    throw new ActionException(ActionFailure.Invalid, $"{Path.GetFileName(file)}: an object without metadata.name. Nothing was changed.");
                }

                if (kind == "VolumeSnapshot")
                {
                    skipped.Add($"volumesnapshot/{name} (a reset leaves snapshots as they are)");
                    continue;
                }

                // The dashboard's Role grants nothing on Secrets (least privilege: it never reads a secret value), so a reset
                // keeps the agent's Secrets as they are; deleting pods and claims does not touch them either.
                if (kind == "Secret")
                {
                    skipped.Add($"secret/{name} (kept as it is: the dashboard has no rights on Secrets; kubectl apply -f {Path.GetFileName(file)} if it changed)");
                    continue;
                }

                // The apply patch goes as JSON (the client writes a string patch body raw, as JSON).
                objects.Add(new Manifest(Path.GetFileName(file), kind, name, meta is null ? null : Scalar(meta, "namespace"), ToJson(root)!.ToJsonString()));
            }
        }

        return new Manifests(objects, skipped, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    // YAML 1.2 core-schema typing of plain scalars, as the API server reads manifests: quoted scalars stay strings.
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? "", ToJson(c.Value)))),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(ToJson)]),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: var v } => v switch
        {
            null or "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
            _ when double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !v.Contains(':', StringComparison.Ordinal) => JsonValue.Create(d),
            _ => JsonValue.Create(v),
        },
        YamlScalarNode scalar => JsonValue.Create(scalar.Value ?? ""),
        _ => null,
    };

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode scalar ? scalar.Value : null;
}

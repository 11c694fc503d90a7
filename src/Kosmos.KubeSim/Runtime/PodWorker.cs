using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Kosmos.KubeSim.Api;
using Kosmos.KubeSim.Controllers;
using Kosmos.KubeSim.Fleet;
using Kosmos.KubeSim.Store;
using Microsoft.Extensions.Logging;

namespace Kosmos.KubeSim.Runtime;

/// <summary>
/// The kubelet's work for one pod bound to its node, from sandbox to removal: volumes, sandbox and IP, image pulls with
/// back-off, env resolution, container starts, probes, restarts with CrashLoopBackOff, graceful termination. Owns the pod's
/// status and writes it whole on every change. One task per pod plus one per container and prober; all state is guarded
/// by <see cref="_gate"/> (taken before the store's lock, never the other way round). Disposes itself when its run ends
/// (<see cref="Completion"/>): everything that used its tokens has ended with the containers by then, and later calls
/// (<see cref="Abort"/>, a pod change) find nothing left to cancel.
/// </summary>
internal sealed partial class PodWorker : IDisposable
{
    private static readonly TimeSpan SandboxDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan CreateDelay = TimeSpan.FromSeconds(0.3);
    private static readonly TimeSpan SyncDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ConfigRetry = TimeSpan.FromSeconds(10);

    private readonly Kubelet _kubelet;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _hard = new();
    private readonly CancellationTokenSource _stopping;
    private readonly List<ContainerSlot> _containers;
    private readonly List<ContainerSlot> _initContainers;
    private readonly string _scheduledTime;
    private JsonObject _pod;
    private JsonArray? _conditions;
    private string? _podIp;
    private DateTimeOffset _startTime;
    private bool _sandboxReady;
    private bool _initialized;
    private bool _finalized;

    public PodWorker(Kubelet kubelet, JsonObject pod)
    {
        _kubelet = kubelet;
        _pod = pod;
        Uid = PodSpec.Uid(pod);
        Namespace = PodSpec.Namespace(pod);
        Name = PodSpec.Name(pod);
        Target = EventTarget.Of(pod);
        Agent = PodSpec.Label(pod, "app") ?? Name;
        _stopping = CancellationTokenSource.CreateLinkedTokenSource(_hard.Token);
        _containers = PodSpec.Containers(pod).Select(c => NewSlot(c, isInit: false)).ToList();
        _initContainers = PodSpec.Containers(pod, "initContainers").Select(c => NewSlot(c, isInit: true)).ToList();
        _initialized = _initContainers.Count == 0;
        _scheduledTime = (pod["status"]?["conditions"] as JsonArray ?? [])
            .Where(c => JsonValues.String(c?["type"]) == "PodScheduled" && JsonValues.String(c?["status"]) == "True")
            .Select(c => JsonValues.String(c?["lastTransitionTime"]))
            .FirstOrDefault() ?? ObjectStore.Timestamp(kubelet.Time.GetUtcNow());
    }

    public string Uid { get; }

    public string Namespace { get; }

    public string Name { get; }

    public string Agent { get; }

    public EventTarget Target { get; }

    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start() => Completion = Task.Run(RunAsync);

    /// <summary>A newer snapshot of the pod from the watch. A deletionTimestamp starts graceful termination.</summary>
    public void OnPodChanged(JsonObject pod)
    {
        lock (_gate)
        {
            _pod = pod;
        }

        if (PodSpec.IsDeleting(pod))
        {
            Cancel(_stopping);
        }
    }

    /// <summary>The pod is gone from the store (or the kubelet stops): end everything at once, write nothing more.</summary>
    public void Abort() => Cancel(_hard);

    public IReadOnlyList<LogLine> ReadLog(string container, bool previous)
    {
        lock (_gate)
        {
            return SelectLog(container, previous).Snapshot();
        }
    }

    public IAsyncEnumerable<LogLine> FollowLog(string container, CancellationToken ct)
    {
        lock (_gate)
        {
            return SelectLog(container, previous: false).Follow(ct);
        }
    }

    public RunningContainer? FindRunning(string container)
    {
        lock (_gate)
        {
            return _containers.Concat(_initContainers).FirstOrDefault(s => s.Name == container)?.Current is { IsRunning: true } instance
                ? instance.Info
                : null;
        }
    }

    private async Task RunAsync()
    {
        var stop = _stopping.Token;
        try
        {
            lock (_gate)
            {
                _startTime = _kubelet.Time.GetUtcNow();
                Publish();
            }

            await MountVolumesAsync(stop);
            await Task.Delay(SandboxDelay, _kubelet.Time, stop);
            lock (_gate)
            {
                _podIp = _kubelet.AllocatePodIp();
                _sandboxReady = true;
                Publish();
            }

            foreach (var init in _initContainers)
            {
                if (!await RunContainerAsync(init, stop))
                {
                    break;
                }
            }

            lock (_gate)
            {
                _initialized = _initContainers.All(s => s.Latest?.Exit?.ExitCode == 0);
                Publish();
            }

            if (_initialized)
            {
                await Task.WhenAll(_containers.Select(c => RunContainerAsync(c, stop)));
            }

            // Every container is done for good (restartPolicy Never or OnFailure): the pod stays, terminal, until deleted.
            lock (_gate)
            {
                Publish();
            }

            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Termination requested (or the pod vanished): handled below.
        }
        catch (Exception ex)
        {
            LogFailed(_kubelet.Logger, ex, Namespace, Name);
            Cancel(_stopping);
        }

        if (!_hard.IsCancellationRequested)
        {
            Finish();
        }

        Release();
        Dispose();
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _hard.Dispose();
    }

    private async Task MountVolumesAsync(CancellationToken stop)
    {
        var retry = TimeSpan.FromSeconds(10);
        while (ContainerEnvironment.VolumeProblem(_kubelet.Store, CurrentPod()) is { } problem)
        {
            _kubelet.Events.Warning(Target, "FailedMount", problem);
            await Task.Delay(retry, _kubelet.Time, stop);
            retry = retry * 2 > TimeSpan.FromMinutes(2) ? TimeSpan.FromMinutes(2) : retry * 2;
        }
    }

    /// <summary>Runs a container until it is done for good or the pod stops; true when its last run exited 0.</summary>
    private async Task<bool> RunContainerAsync(ContainerSlot slot, CancellationToken stop)
    {
        var target = Target.ForContainer(slot.Name);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (!await EnsureImageAsync(slot, target, stop))
                {
                    continue;
                }

                var env = ContainerEnvironment.Resolve(_kubelet.Store, CurrentPod(), slot.Spec, _podIp, _kubelet.Node.HostIp);
                if (env.Error is { } error)
                {
                    SetWaiting(slot, "CreateContainerConfigError", error);
                    _kubelet.Events.Warning(target, "Failed", "Error: " + error);
                    await Task.Delay(ConfigRetry, _kubelet.Time, stop);
                    continue;
                }

                _kubelet.Events.Normal(target, "Created", $"Created container {slot.Name}");
                await Task.Delay(CreateDelay, _kubelet.Time, stop);
                var instance = StartInstance(slot, env);
                _kubelet.Events.Normal(target, "Started", $"Started container {slot.Name}");
                _kubelet.OnContainerStarted(instance.Info);
                var exit = await RunInstanceAsync(slot, instance, target, stop);
                lock (_gate)
                {
                    instance.Exit = exit;
                    instance.FinishedAt = _kubelet.Time.GetUtcNow();
                    instance.Log.Close();
                    slot.Ready = false;
                    slot.Started = false;
                    Publish();
                }

                _kubelet.OnContainerStopped(instance.Info);
                if (stop.IsCancellationRequested || !ShouldRestart(slot, exit))
                {
                    return exit.ExitCode == 0;
                }

                // The terminated state stays visible until the next sync, then the restart is decided.
                await Task.Delay(SyncDelay, _kubelet.Time, stop);
                var finishedAt = instance.FinishedAt.Value;
                var wait = slot.CrashBackOff.RemainingAfter(finishedAt, _kubelet.Time.GetUtcNow());
                if (wait > TimeSpan.Zero)
                {
                    SetWaiting(slot, "CrashLoopBackOff",
                        $"back-off {GoDuration.Format(slot.CrashBackOff.Current)} restarting failed container={slot.Name} pod={Name}_{Namespace}({Uid})");
                    _kubelet.Events.Warning(target, "BackOff", $"Back-off restarting failed container {slot.Name} in pod {Name}_{Namespace}({Uid})");
                    await Task.Delay(wait, _kubelet.Time, stop);
                }

                slot.CrashBackOff.Next(finishedAt, _kubelet.Time.GetUtcNow());
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
        }

        return false;
    }

    private async Task<bool> EnsureImageAsync(ContainerSlot slot, EventTarget target, CancellationToken stop)
    {
        var image = slot.Image;
        var normalized = PodSpec.NormalizeImage(image);
        var policy = PodSpec.PullPolicy(slot.Spec);
        if (policy != "Always" && _kubelet.HasImage(normalized))
        {
            _kubelet.Events.Normal(target, "Pulled", $"Container image \"{image}\" already present on machine");
            MarkPulled(slot, normalized);
            return true;
        }

        if (policy == "Never")
        {
            SetWaiting(slot, "ErrImageNeverPull", $"Container image \"{image}\" is not present with pull policy of Never");
            _kubelet.Events.Warning(target, "ErrImageNeverPull", $"Container image \"{image}\" is not present with pull policy of Never");
            _kubelet.Events.Warning(target, "Failed", "Error: ErrImageNeverPull");
            await Task.Delay(ConfigRetry, _kubelet.Time, stop);
            return false;
        }

        var wait = slot.PullBackOff.Remaining(_kubelet.Time.GetUtcNow());
        if (wait > TimeSpan.Zero)
        {
            SetWaiting(slot, "ImagePullBackOff", $"Back-off pulling image \"{image}\"");
            _kubelet.Events.Normal(target, "BackOff", $"Back-off pulling image \"{image}\"");
            _kubelet.Events.Warning(target, "Failed", "Error: ImagePullBackOff");
            await Task.Delay(wait, _kubelet.Time, stop);
        }

        _kubelet.Events.Normal(target, "Pulling", $"Pulling image \"{image}\"");
        var pullTime = TimeSpan.FromSeconds(1 + Hash(normalized) % 3000 / 1000.0);
        await Task.Delay(pullTime, _kubelet.Time, stop);
        if (IsMissing(slot, image))
        {
            var error = $"rpc error: code = NotFound desc = failed to pull and unpack image \"{normalized}\": failed to resolve reference \"{normalized}\": {normalized}: not found";
            _kubelet.Events.Warning(target, "Failed", $"Failed to pull image \"{image}\": {error}");
            _kubelet.Events.Warning(target, "Failed", "Error: ErrImagePull");
            SetWaiting(slot, "ErrImagePull", error);
            slot.PullBackOff.Next(_kubelet.Time.GetUtcNow(), _kubelet.Time.GetUtcNow());
            await Task.Delay(SyncDelay, _kubelet.Time, stop);
            return false;
        }

        _kubelet.AddImage(normalized);
        var took = GoDuration.Format(pullTime);
        _kubelet.Events.Normal(target, "Pulled",
            $"Successfully pulled image \"{image}\" in {took} ({took} including waiting). Image size: {40_000_000 + Hash(normalized) % 400_000_000} bytes.");
        MarkPulled(slot, normalized);
        return true;
    }

    private ContainerInstance StartInstance(ContainerSlot slot, ContainerEnvironment env)
    {
        lock (_gate)
        {
            slot.RetireTerminated();
            if (slot.EverStarted)
            {
                slot.RestartCount++;
            }

            slot.EverStarted = true;
            var now = _kubelet.Time.GetUtcNow();
            var id = "containerd://" + RandomNumberGenerator.GetHexString(64, lowercase: true);
            var log = new ContainerLog(_kubelet.Time);
            var isAgent = IsAgentContainer(slot);
            var behaviour = isAgent ? _kubelet.Behaviours.Get(Agent) : AgentBehaviour.Healthy with { Role = "sidecar" };
            var command = (slot.Spec["command"] as JsonArray ?? []).Concat(slot.Spec["args"] as JsonArray ?? [])
                .Select(c => JsonValues.String(c) ?? "").ToList();
            var mounts = Mounts(slot.Spec);
            var info = new RunningContainer(Namespace, Name, Uid, slot.Name, id, Agent, isAgent, slot.Image, env.ToDictionary(), mounts,
                command.Count > 0 ? string.Join(' ', command) : isAgent ? $"python -m kosmos.agent --name {Agent}" : slot.Image,
                now, log);
            var process = new AgentProcess(new ProcessContext(
                Agent, Namespace, Name, slot.Name, slot.Image, command, env, PodSpec.MemoryLimit(slot.Spec),
                mounts.Any(m => m.MountPath.TrimEnd('/') == "/var/lib/kosmos"), behaviour, isAgent, slot.IsInit, _kubelet.Time, log,
                agent => _kubelet.IsAgentReady(Namespace, agent),
                () => _kubelet.Behaviours.TryTriggerDeadlock(Agent),
                (int)Hash(id)));
            var instance = new ContainerInstance(id, log, process, now, info);
            slot.Current = instance;
            slot.Started = ProbeSpec.From(slot.Spec, ProbeRole.Startup) is null;
            slot.Ready = slot.Started && ProbeSpec.From(slot.Spec, ProbeRole.Readiness) is null && !slot.IsInit;
            Publish();
            return instance;
        }
    }

    private async Task<ProcessExit> RunInstanceAsync(ContainerSlot slot, ContainerInstance instance, EventTarget target, CancellationToken stop)
    {
        using var kill = CancellationTokenSource.CreateLinkedTokenSource(_hard.Token);
        using var probing = CancellationTokenSource.CreateLinkedTokenSource(_hard.Token);
        var run = instance.Process.RunAsync(kill.Token);
        var probeKill = new TaskCompletionSource<ProbeSpec>(TaskCreationOptions.RunContinuationsAsynchronously);
        var probes = slot.IsInit ? Task.CompletedTask : RunProbesAsync(slot, instance, probeKill, probing.Token);
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (stop.Register(() => stopped.TrySetResult()))
        {
            var first = await Task.WhenAny(run, probeKill.Task, stopped.Task);
            if (first != run)
            {
                long grace;
                if (first == probeKill.Task)
                {
                    var probe = await probeKill.Task;
                    grace = probe.TerminationGracePeriodSeconds ?? JsonValues.Long(CurrentPod()["spec"]?["terminationGracePeriodSeconds"]) ?? 30;
                    _kubelet.Events.Normal(target, "Killing", $"Container {slot.Name} failed {probe.RoleName.ToLowerInvariant()} probe, will be restarted");
                }
                else
                {
                    grace = PodSpec.GracePeriodSeconds(CurrentPod());
                    _kubelet.Events.Normal(target, "Killing", $"Stopping container {slot.Name}");
                }

                instance.Process.Terminate();
                var deadline = Task.Delay(TimeSpan.FromSeconds(grace), _kubelet.Time, _hard.Token);
                if (await Task.WhenAny(run, deadline) != run)
                {
                    await kill.CancelAsync();
                }
            }
        }

        var exit = await run;
        await probing.CancelAsync();
        try
        {
            await probes;
        }
        catch (OperationCanceledException)
        {
            // Probers end with their container.
        }

        return exit;
    }

    private async Task RunProbesAsync(ContainerSlot slot, ContainerInstance instance, TaskCompletionSource<ProbeSpec> kill, CancellationToken ct)
    {
        var startup = ProbeSpec.From(slot.Spec, ProbeRole.Startup);
        var readiness = ProbeSpec.From(slot.Spec, ProbeRole.Readiness);
        var liveness = ProbeSpec.From(slot.Spec, ProbeRole.Liveness);
        if (startup is not null)
        {
            if (!await ProbeAsync(slot, instance, startup, kill, ct))
            {
                return;
            }

            lock (_gate)
            {
                if (slot.Current == instance)
                {
                    slot.Started = true;
                    slot.Ready = readiness is null;
                    Publish();
                }
            }
        }

        var loops = new List<Task>();
        if (readiness is not null)
        {
            loops.Add(ProbeAsync(slot, instance, readiness, kill, ct));
        }

        if (liveness is not null)
        {
            loops.Add(ProbeAsync(slot, instance, liveness, kill, ct));
        }

        await Task.WhenAll(loops);
    }

    /// <summary>
    /// One prober. Readiness runs until the container ends, flipping ready after successThreshold successes or failureThreshold
    /// failures. Liveness and startup ask for a kill after failureThreshold failures; startup returns true on its first success.
    /// </summary>
    private async Task<bool> ProbeAsync(ContainerSlot slot, ContainerInstance instance, ProbeSpec probe, TaskCompletionSource<ProbeSpec> kill, CancellationToken ct)
    {
        var target = Target.ForContainer(slot.Name);
        await Task.Delay(TimeSpan.FromSeconds(probe.InitialDelaySeconds), _kubelet.Time, ct);
        int successes = 0, failures = 0;
        while (true)
        {
            var (ok, timedOut, message) = ProbeEvaluator.Evaluate(probe, instance.Process.Health, _podIp ?? "");
            if (timedOut)
            {
                await Task.Delay(TimeSpan.FromSeconds(probe.TimeoutSeconds), _kubelet.Time, ct);
            }

            ct.ThrowIfCancellationRequested();
            if (ok)
            {
                successes++;
                failures = 0;
            }
            else
            {
                failures++;
                successes = 0;
                _kubelet.Events.Warning(target, "Unhealthy", $"{probe.RoleName} probe failed: {message}");
            }

            switch (probe.Role)
            {
                case ProbeRole.Startup when ok:
                    return true;
                case ProbeRole.Readiness when ok && successes >= probe.SuccessThreshold:
                    SetReady(slot, instance, true);
                    break;
                case ProbeRole.Readiness when !ok && failures >= probe.FailureThreshold:
                    SetReady(slot, instance, false);
                    break;
                case ProbeRole.Liveness or ProbeRole.Startup when !ok && failures >= probe.FailureThreshold:
                    kill.TrySetResult(probe);
                    return false;
            }

            await Task.Delay(TimeSpan.FromSeconds(probe.PeriodSeconds), _kubelet.Time, ct);
        }
    }

    private void SetReady(ContainerSlot slot, ContainerInstance instance, bool ready)
    {
        lock (_gate)
        {
            if (slot.Current != instance || !instance.IsRunning || slot.Ready == ready)
            {
                return;
            }

            slot.Ready = ready;
            Publish();
        }
    }

    private void SetWaiting(ContainerSlot slot, string reason, string? message)
    {
        lock (_gate)
        {
            slot.RetireTerminated();
            slot.Waiting = (reason, message);
            Publish();
        }
    }

    private void MarkPulled(ContainerSlot slot, string normalized)
    {
        lock (_gate)
        {
            slot.ImageId ??= $"{PodSpec.ImageRepository(normalized)}@sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)))}";
        }
    }

    private bool IsMissing(ContainerSlot slot, string image) =>
        IsAgentContainer(slot) && _kubelet.Behaviours.Get(Agent).MissingImageTags.Contains(PodSpec.ImageTag(image), StringComparer.Ordinal);

    private bool IsAgentContainer(ContainerSlot slot) =>
        !slot.IsInit && (slot.Name == "agent" || (_containers.All(c => c.Name != "agent") && _containers[0] == slot));

    private bool ShouldRestart(ContainerSlot slot, ProcessExit exit) => PodSpec.RestartPolicy(CurrentPod()) switch
    {
        "Never" => false,
        "OnFailure" => exit.ExitCode != 0,
        _ => !slot.IsInit || exit.ExitCode != 0,
    };

    private void Finish()
    {
        lock (_gate)
        {
            _finalized = true;
            Publish();
        }

        try
        {
            _kubelet.Store.Delete(ResourceKinds.Pods, Namespace, Name, expectedUid: Uid);
        }
        catch (ApiException)
        {
            // Already gone, or replaced by a pod of the same name: nothing of ours left to remove.
        }
    }

    private void Release()
    {
        lock (_gate)
        {
            if (_podIp is not null)
            {
                _kubelet.ReleasePodIp(_podIp);
            }

            foreach (var slot in _containers.Concat(_initContainers))
            {
                slot.Current?.Log.Close();
            }
        }
    }

    private JsonObject CurrentPod()
    {
        lock (_gate)
        {
            return _pod;
        }
    }

    private ContainerLog SelectLog(string container, bool previous)
    {
        var slot = _containers.Concat(_initContainers).FirstOrDefault(s => s.Name == container)
            ?? throw ApiException.BadRequest($"container {container} is not valid for pod {Name}");

        // The kubelet's rules (validateContainerLogStatus): previous is lastState; otherwise the current instance, or the
        // last terminated one while waiting to restart.
        if (previous)
        {
            return slot.LastTerminated?.Log
                ?? throw ApiException.BadRequest($"previous terminated container \"{container}\" in pod \"{Name}\" not found");
        }

        if ((slot.Current ?? slot.LastTerminated) is { } instance)
        {
            return instance.Log;
        }

        var why = slot.Waiting.Reason switch
        {
            "ErrImagePull" => "image can't be pulled",
            "ImagePullBackOff" => "trying and failing to pull image",
            var reason => reason,
        };
        throw ApiException.BadRequest($"container \"{container}\" in pod \"{Name}\" is waiting to start: {why}");
    }

    // Caller holds _gate.
    private void Publish()
    {
        if (_hard.IsCancellationRequested)
        {
            return;
        }

        var status = BuildStatus();
        try
        {
            _kubelet.Store.Update(ResourceKinds.Pods, Namespace, Name, pod =>
            {
                if (PodSpec.Uid(pod) != Uid)
                {
                    return pod;
                }

                pod["status"] = status;
                return pod;
            });
        }
        catch (ApiException ex) when (ex.Code == 404)
        {
            // Deleted meanwhile: the watch will tell the kubelet.
        }
    }

    // Caller holds _gate.
    private JsonObject BuildStatus()
    {
        var view = new PodView(
            _containers.Select(s => s.View()).ToList(), _initContainers.Select(s => s.View()).ToList(),
            PodSpec.RestartPolicy(_pod), PodSpec.QosClass(_pod), _kubelet.Node.HostIp, _startTime, _scheduledTime,
            _podIp, _sandboxReady, _initialized, _finalized);
        var status = PodStatusBuilder.Build(view, _conditions, _kubelet.Time.GetUtcNow());
        _conditions = (JsonArray)status["conditions"]!.DeepClone();
        return status;
    }

    private ContainerSlot NewSlot(JsonObject spec, bool isInit) =>
        new(JsonValues.String(spec["name"]) ?? "", spec, isInit, new BackOff(_kubelet.Time.Between), new BackOff(_kubelet.Time.Between));

    private List<VolumeMountInfo> Mounts(JsonObject container)
    {
        var volumes = (_pod["spec"]?["volumes"] as JsonArray ?? []).OfType<JsonObject>()
            .ToDictionary(v => JsonValues.String(v["name"]) ?? "", StringComparer.Ordinal);
        var result = new List<VolumeMountInfo>();
        foreach (var mount in (container["volumeMounts"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = JsonValues.String(mount["name"]) ?? "";
            var volume = volumes.GetValueOrDefault(name);
            var (kind, source) = volume switch
            {
                null => ("unknown", null),
                _ when volume["persistentVolumeClaim"] is { } pvc => ("persistentVolumeClaim", JsonValues.String(pvc["claimName"])),
                _ when volume["configMap"] is { } cm => ("configMap", JsonValues.String(cm["name"])),
                _ when volume["secret"] is { } secret => ("secret", JsonValues.String(secret["secretName"])),
                _ when volume["emptyDir"] is not null => ("emptyDir", (string?)null),
                _ => (volume.Select(p => p.Key).FirstOrDefault(k => k != "name") ?? "unknown", null),
            };
            var claimUid = kind == "persistentVolumeClaim" && source is not null
                ? JsonValues.String(_kubelet.Store.Get(ResourceKinds.PersistentVolumeClaims, Namespace, source)?["metadata"]?["uid"])
                : null;
            result.Add(new VolumeMountInfo(JsonValues.String(mount["mountPath"]) ?? "", name, kind, source, JsonValues.Bool(mount["readOnly"]) == true, claimUid));
        }

        return result;
    }

    private static void Cancel(CancellationTokenSource cts)
    {
        try
        {
            cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The worker already finished.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Pod worker for {Namespace}/{Pod} failed")]
    private static partial void LogFailed(ILogger logger, Exception ex, string @namespace, string pod);

    private static uint Hash(string text) => BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0);
}

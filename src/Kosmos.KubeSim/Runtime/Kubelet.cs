using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Kosmos.KubeSim.Api;
using Kosmos.KubeSim.Controllers;
using Kosmos.KubeSim.Fleet;
using Kosmos.KubeSim.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kosmos.KubeSim.Runtime;

/// <summary>
/// The simulated node <see cref="SimNode.Name"/>: its kubelet and the default-scheduler. Watches every pod: schedules pods
/// without a node, runs the pods bound to this node (one <see cref="PodWorker"/> each: images, env, containers, probes,
/// restarts, logs, graceful deletion) and removes deleted pods bound to the bulk nodes no kubelet runs
/// (<see cref="BulkNodePrefix"/>, see FleetSeeder.SeedBulk). Serves container logs to the API.
/// Start with <see cref="RunAsync"/> (once); every other member is thread-safe.
/// </summary>
public sealed partial class Kubelet : IPodRuntime, ISimController
{
    /// <summary>Pods bound to nodes named so are static: no kubelet runs them, their status is whatever was stored.</summary>
    public const string BulkNodePrefix = "kosmos-bulk-";

    private readonly ConcurrentDictionary<(string Ns, string Name), PodWorker> _workers = new();
    private readonly ConcurrentDictionary<string, byte> _images = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _pendingRemovals = new(StringComparer.Ordinal);
    private readonly Lock _ipGate = new();
    private readonly HashSet<string> _ipsInUse = new(StringComparer.Ordinal);
    private readonly PodScheduler _scheduler;
    private readonly EventRecorder _schedulerEvents;
    private int _nextIp;

    public Kubelet(ObjectStore store, ScaledTimeProvider time, AgentBehaviours behaviours, ILogger<Kubelet>? logger = null, SimNode? node = null)
    {
        Store = store;
        Time = time;
        Behaviours = behaviours;
        Logger = logger ?? NullLogger<Kubelet>.Instance;
        Node = node ?? SimNode.Default;
        Events = new EventRecorder(store, time, EventRecorder.Kubelet, Node.Name, Logger);
        _schedulerEvents = new EventRecorder(store, time, EventRecorder.Scheduler, logger: Logger);
        _scheduler = new PodScheduler(store, time, Node, _schedulerEvents, Logger);
    }

    public SimNode Node { get; }

    /// <summary>What each agent's program does; change it at run time (new container starts read it).</summary>
    public AgentBehaviours Behaviours { get; }

    /// <summary>Raised on the container's own task when an instance starts (e.g. to give it a file system for exec). Handlers must be quick and must not throw.</summary>
    public event Action<RunningContainer>? ContainerStarted;

    /// <summary>Raised when an instance ended (its <see cref="RunningContainer.ContainerId"/> never runs again).</summary>
    public event Action<RunningContainer>? ContainerStopped;

    internal ObjectStore Store { get; }

    internal ScaledTimeProvider Time { get; }

    internal ILogger Logger { get; }

    internal EventRecorder Events { get; }

    public async Task RunAsync(CancellationToken ct)
    {
        using var watch = Store.Watch(ResourceKinds.Pods, null, 0, isInternal: true);
        var scheduler = Task.Run(() => _scheduler.RunAsync(ct), CancellationToken.None);
        try
        {
            await foreach (var e in watch.Events.ReadAllAsync(ct))
            {
                try
                {
                    Handle(e);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogHandleFailed(Logger, ex, e.WireType, e.Namespace, e.Name);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            foreach (var worker in _workers.Values)
            {
                worker.Abort();
            }

            await Task.WhenAll(_workers.Values.Select(w => w.Completion).Append(scheduler));
        }
    }

    public IReadOnlyList<LogLine> ReadLog(string ns, string pod, string? container, bool previous)
    {
        var obj = Store.Get(ResourceKinds.Pods, ns, pod) ?? throw ApiException.NotFound(ResourceKinds.Pods, pod);
        var name = ContainerName(obj, container);
        if (WorkerFor(obj) is { } worker)
        {
            return worker.ReadLog(name, previous);
        }

        if (PodSpec.NodeName(obj) is not { } node)
        {
            // Not scheduled yet: the API server answers with an empty log.
            return [];
        }

        if (!previous && node.StartsWith(BulkNodePrefix, StringComparison.Ordinal) && StartedAt(obj, name) is { } started)
        {
            var agent = PodSpec.Label(obj, "app") ?? pod;
            var stamp = started.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
            return
            [
                new LogLine(started, $"{stamp} INFO starting kosmos-agent {agent} (python 3.12.7, pid 1, pod {pod})"),
                new LogLine(started, $"{stamp} INFO ready: serving on :8080 (4 workers)"),
            ];
        }

        throw previous
            ? ApiException.BadRequest($"previous terminated container \"{name}\" in pod \"{pod}\" not found")
            : ApiException.BadRequest($"container \"{name}\" in pod \"{pod}\" is waiting to start: ContainerCreating");
    }

    public IAsyncEnumerable<LogLine> FollowLog(string ns, string pod, string? container, CancellationToken ct)
    {
        var obj = Store.Get(ResourceKinds.Pods, ns, pod) ?? throw ApiException.NotFound(ResourceKinds.Pods, pod);
        var name = ContainerName(obj, container);
        return WorkerFor(obj) is { } worker ? worker.FollowLog(name, ct) : Empty(ct);
    }

    /// <summary>Exec is served by the exec integration (to be wired to <see cref="FindRunningContainer"/>); until then 501.</summary>
    public Task ExecAsync(HttpContext http, string ns, string pod, string? container, IReadOnlyList<string> command, CancellationToken ct)
    {
        var obj = Store.Get(ResourceKinds.Pods, ns, pod) ?? throw ApiException.NotFound(ResourceKinds.Pods, pod);
        var name = ContainerName(obj, container);
        if (FindRunningContainer(ns, pod, name) is null)
        {
            throw ApiException.BadRequest($"unable to upgrade connection: container not found (\"{name}\")");
        }

        throw new ApiException(501, "NotImplemented", "exec is not available in this simulator build");
    }

    /// <summary>The running instance of a container (the pod's default container when null), or null when it does not run.</summary>
    public RunningContainer? FindRunningContainer(string ns, string pod, string? container)
    {
        var obj = Store.Get(ResourceKinds.Pods, ns, pod);
        if (obj is null || WorkerFor(obj) is not { } worker)
        {
            return null;
        }

        var name = container ?? PodSpec.Containers(obj).Select(c => JsonValues.String(c["name"])).FirstOrDefault() ?? "";
        return worker.FindRunning(name);
    }

    /// <summary>Whether an agent has a ready pod in the namespace (what a dependent agent's connection finds).</summary>
    public bool IsAgentReady(string ns, string agent) =>
        Store.List(ResourceKinds.Pods, ns, p => PodSpec.Label(p, "app") == agent && PodSpec.IsReady(p) && !PodSpec.IsDeleting(p)).Items.Count > 0;

    internal bool HasImage(string normalized) => _images.ContainsKey(normalized);

    internal void AddImage(string normalized) => _images.TryAdd(normalized, 0);

    internal string AllocatePodIp()
    {
        lock (_ipGate)
        {
            while (true)
            {
                var n = _nextIp++ % (253 * 4);
                var ip = $"10.244.{n / 253}.{n % 253 + 2}";
                if (_ipsInUse.Add(ip))
                {
                    return ip;
                }
            }
        }
    }

    internal void ReleasePodIp(string ip)
    {
        lock (_ipGate)
        {
            _ipsInUse.Remove(ip);
        }
    }

    internal void OnContainerStarted(RunningContainer container) => Raise(ContainerStarted, container);

    internal void OnContainerStopped(RunningContainer container) => Raise(ContainerStopped, container);

    private void Handle(WatchEvent e)
    {
        var pod = e.Object;
        var key = (e.Namespace, e.Name);
        var uid = PodSpec.Uid(pod);
        if (e.Type == WatchEventType.Deleted)
        {
            if (_workers.TryGetValue(key, out var gone) && gone.Uid == uid && _workers.TryRemove(new KeyValuePair<(string, string), PodWorker>(key, gone)))
            {
                gone.Abort();
                Events.Forget(uid);
                _schedulerEvents.Forget(uid);
            }

            _pendingRemovals.TryRemove(uid, out _);
            if (PodSpec.NodeName(pod) == Node.Name)
            {
                // Only this node's capacity matters to the pods waiting for it (bulk nodes come and go by the thousand).
                _scheduler.RetryUnschedulable();
            }

            return;
        }

        var node = PodSpec.NodeName(pod);
        if (node is null)
        {
            if (PodSpec.IsDeleting(pod))
            {
                // A pod never bound to a node has nothing to stop: it goes at once.
                RemoveSoon(pod, TimeSpan.Zero);
            }
            else
            {
                _scheduler.Enqueue(e.Namespace, e.Name);
            }

            return;
        }

        if (node == Node.Name)
        {
            if (_workers.TryGetValue(key, out var existing))
            {
                if (existing.Uid == uid)
                {
                    existing.OnPodChanged(pod);
                    if (PodSpec.IsTerminal(pod))
                    {
                        _scheduler.RetryUnschedulable();
                    }

                    return;
                }

                existing.Abort();
                _workers.TryRemove(new KeyValuePair<(string, string), PodWorker>(key, existing));
            }

            if (PodSpec.IsTerminal(pod))
            {
                // Finished before this kubelet knew it (written so by someone else): nothing to run, only to remove.
                if (PodSpec.IsDeleting(pod))
                {
                    RemoveSoon(pod, TimeSpan.Zero);
                }

                return;
            }

            var worker = new PodWorker(this, pod);
            _workers[key] = worker;
            worker.Start();
            worker.OnPodChanged(pod);
            return;
        }

        if (PodSpec.IsDeleting(pod) && node.StartsWith(BulkNodePrefix, StringComparison.Ordinal))
        {
            RemoveSoon(pod, TimeSpan.FromSeconds(1));
        }
    }

    private void RemoveSoon(JsonObject pod, TimeSpan after)
    {
        var uid = PodSpec.Uid(pod);
        if (!_pendingRemovals.TryAdd(uid, 0))
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(after, Time, CancellationToken.None);
                Store.Delete(ResourceKinds.Pods, PodSpec.Namespace(pod), PodSpec.Name(pod), expectedUid: uid);
            }
            catch (ApiException)
            {
                // Already gone.
            }
            finally
            {
                _pendingRemovals.TryRemove(uid, out _);
            }
        });
    }

    private PodWorker? WorkerFor(JsonObject pod) =>
        _workers.TryGetValue((PodSpec.Namespace(pod), PodSpec.Name(pod)), out var worker) && worker.Uid == PodSpec.Uid(pod) ? worker : null;

    // The API server's container choice for logs and exec, with its error messages.
    private static string ContainerName(JsonObject pod, string? container)
    {
        var names = PodSpec.Containers(pod).Select(c => JsonValues.String(c["name"]) ?? "").ToList();
        var initNames = PodSpec.Containers(pod, "initContainers").Select(c => JsonValues.String(c["name"]) ?? "").ToList();
        if (string.IsNullOrEmpty(container))
        {
            if (names.Count == 1)
            {
                return names[0];
            }

            var message = $"a container name must be specified for pod {PodSpec.Name(pod)}, choose one of: [{string.Join(' ', names)}]";
            throw ApiException.BadRequest(initNames.Count > 0 ? $"{message} or one of the init containers: [{string.Join(' ', initNames)}]" : message);
        }

        return names.Contains(container) || initNames.Contains(container)
            ? container
            : throw ApiException.BadRequest($"container {container} is not valid for pod {PodSpec.Name(pod)}");
    }

    private static DateTimeOffset? StartedAt(JsonObject pod, string container) =>
        (pod["status"]?["containerStatuses"] as JsonArray ?? [])
            .Where(c => JsonValues.String(c?["name"]) == container)
            .Select(c => JsonValues.String(c?["state"]?["running"]?["startedAt"]))
            .Where(s => s is not null)
            .Select(s => (DateTimeOffset?)DateTimeOffset.Parse(s!, System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault();

    private void Raise(Action<RunningContainer>? handler, RunningContainer container)
    {
        try
        {
            handler?.Invoke(container);
        }
        catch (Exception ex)
        {
            LogLifecycleHandlerFailed(Logger, ex, container.Namespace, container.PodName, container.ContainerName);
        }
    }

    private static async IAsyncEnumerable<LogLine> Empty([EnumeratorCancellation] CancellationToken ct)
    {
        await Task.CompletedTask;
        ct.ThrowIfCancellationRequested();
        yield break;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Kubelet could not handle {Type} of pod {Namespace}/{Pod}")]
    private static partial void LogHandleFailed(ILogger logger, Exception ex, string type, string @namespace, string pod);

    [LoggerMessage(Level = LogLevel.Error, Message = "A container lifecycle handler failed for {Namespace}/{Pod}/{Container}")]
    private static partial void LogLifecycleHandlerFailed(ILogger logger, Exception ex, string @namespace, string pod, string container);
}

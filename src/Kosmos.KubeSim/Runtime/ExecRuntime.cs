using System.Collections.Concurrent;
using Kosmos.KubeSim.Api;
using Kosmos.KubeSim.Exec;
using Kosmos.KubeSim.FileSystem;
using Kosmos.KubeSim.Volumes;
using Microsoft.AspNetCore.Http;

namespace Kosmos.KubeSim.Runtime;

/// <summary>
/// The kubelet's logs plus exec: each running container instance gets one file system (fresh root, its claims mounted
/// from <see cref="VolumeDataRegistry"/>) that lives as long as the container, so <c>kubectl cp</c> into /tmp and a later
/// exec see the same files, and a restarted container starts clean.
/// </summary>
public sealed class ExecRuntime : IPodRuntime
{
    private readonly Kubelet _kubelet;
    private readonly VolumeDataRegistry _volumes;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, ContainerFileSystem> _fileSystems = new();
    private readonly ConcurrentDictionary<string, VolumeData> _emptyDirs = new();

    public ExecRuntime(Kubelet kubelet, VolumeDataRegistry volumes, TimeProvider time)
    {
        _kubelet = kubelet;
        _volumes = volumes;
        _time = time;
        kubelet.ContainerStopped += c => _fileSystems.TryRemove(c.ContainerId, out _);
    }

    public Kubelet Kubelet => _kubelet;

    public IReadOnlyList<LogLine> ReadLog(string ns, string pod, string? container, bool previous) => _kubelet.ReadLog(ns, pod, container, previous);

    public IAsyncEnumerable<LogLine> FollowLog(string ns, string pod, string? container, CancellationToken ct) => _kubelet.FollowLog(ns, pod, container, ct);

    public Task ExecAsync(HttpContext http, string ns, string pod, string? container, IReadOnlyList<string> command, CancellationToken ct)
    {
        var running = _kubelet.FindRunningContainer(ns, pod, container)
            ?? throw ApiException.BadRequest($"unable to upgrade connection: container not found (\"{container ?? "default"}\")");
        var fileSystem = _fileSystems.GetOrAdd(running.ContainerId, _ => NewFileSystem(running));
        var context = new ExecContext
        {
            FileSystem = fileSystem,
            PodName = pod,
            ContainerName = running.ContainerName,
            Namespace = ns,
            Environment = running.Environment,
            MainProcessCommandLine = running.MainProcessCommandLine,
            Agent = running.IsAgentContainer ? new AgentLogHook(running, _time) : null,
            TimeProvider = _time,
        };
        return ExecWebSocketHandler.HandleAsync(http, context, command, ExecStreams.FromQuery(http.Request.Query), ct);
    }

    private ContainerFileSystem NewFileSystem(RunningContainer running)
    {
        var mounts = new Dictionary<string, VolumeData>();
        foreach (var mount in running.Mounts)
        {
            var data = mount.SourceKind switch
            {
                "persistentVolumeClaim" when mount.ClaimUid is { } uid => _volumes.Get(uid),
                "emptyDir" => _emptyDirs.GetOrAdd($"{running.PodUid}/{mount.VolumeName}", _ => new VolumeData(_time)),
                _ => null,
            };
            if (data is not null)
            {
                mounts[mount.MountPath] = data;
            }
        }

        return new ContainerFileSystem(running.PodName, mounts, _time);
    }

    /// <summary>The agent notices imported conversations and says so in its log, as the real agent would.</summary>
    private sealed class AgentLogHook(RunningContainer container, TimeProvider time) : IAgentStateHook
    {
        public string AgentName => container.Agent;

        public void OnConversationsImported(IReadOnlyList<string> conversationIds) =>
            container.WriteLog("INFO", $"reloaded conversation state: {conversationIds.Count} conversations", time.GetUtcNow());
    }
}

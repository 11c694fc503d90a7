using System.Globalization;

namespace Kosmos.KubeSim.Runtime;

/// <summary>A volume as one container sees it: where it is mounted and what backs it (for exec's file system).</summary>
/// <param name="SourceKind">persistentVolumeClaim, emptyDir, configMap, secret, projected, or another volume type name.</param>
/// <param name="SourceName">The claim, ConfigMap or Secret name; null for emptyDir.</param>
/// <param name="ClaimUid">For a claim: its uid when the container started (what the volume controller provisions data under).</param>
/// <param name="MountPath">Where the container sees the volume.</param>
/// <param name="VolumeName">The pod's name for the volume.</param>
/// <param name="ReadOnly">True when mounted read-only.</param>
public sealed record VolumeMountInfo(string MountPath, string VolumeName, string SourceKind, string? SourceName, bool ReadOnly, string? ClaimUid = null);

/// <summary>
/// One running container instance (one containerID), as exec and other integrations need it. Immutable except for its log,
/// which is thread-safe. Lives from the container's start to its end (see <see cref="Kubelet.ContainerStarted"/> / <see cref="Kubelet.ContainerStopped"/>).
/// </summary>
public sealed record RunningContainer(
    string Namespace,
    string PodName,
    string PodUid,
    string ContainerName,
    string ContainerId,
    string Agent,
    bool IsAgentContainer,
    string Image,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<VolumeMountInfo> Mounts,
    string MainProcessCommandLine,
    DateTimeOffset StartedAt,
    ContainerLog Log)
{
    /// <summary>Writes a line to the container's log in the agent's own format (e.g. after exec imported conversation state).</summary>
    public void WriteLog(string level, string message, DateTimeOffset now) =>
        Log.Append($"{now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)} {level} {message}");
}

using System.Security.Cryptography;
using k8s;
using k8s.Models;
using Kosmos.Cluster.Exec;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Live;

namespace Kosmos.Cluster.Actions;

/// <summary>A pod a state action runs in: its name, the container that holds the agent's state, and its resourceVersion.</summary>
internal sealed record StatePodRef(string Name, string Container, string ResourceVersion);

/// <summary>
/// The exec calls the conversation-state actions share: pick and check the pod, check the tool, export to a file and read
/// it back with its SHA-256 checked by the pod's own <c>sha256sum</c>, copy a document in, remove temporary files.
/// </summary>
internal sealed class StateCalls(IKubernetes client, IAgentBoard board, PodExec exec, StateSettings settings)
{
    public const string ExportTool = "kosmos.tools.export_state";
    public const string ImportTool = "kosmos.tools.import_state";

    public StateSettings Settings => settings;

    /// <summary>The pod the board's rules choose, read again from the API server: it must still be Ready and not going away.</summary>
    public async Task<StatePodRef> PodAsync(AgentRef target, string? requested, CancellationToken ct)
    {
        var detail = board.GetDetail(target.Namespace, target.Name)
            ?? throw new ActionException(ActionFailure.NotFound, $"There is no agent {target} on the board.");
        var (chosen, error) = StatePod.Choose(detail, requested);
        if (chosen is null)
        {
            throw new ActionException(ActionFailure.Invalid, error!);
        }

        V1Pod pod;
        try
        {
            pod = await client.CoreV1.ReadNamespacedPodAsync(chosen.Name, target.Namespace, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ApiErrors.IsApiError(ex))
        {
            throw ApiErrors.From(ex, $"Reading pod {chosen.Name} of {target}");
        }

        var ready = pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
        if (!ready || pod.Metadata.DeletionTimestamp is not null)
        {
            throw new ActionException(ActionFailure.Conflict,
                $"Pod {chosen.Name} of {target} is no longer Ready{(pod.Metadata.DeletionTimestamp is not null ? " (it is terminating)" : "")}; nothing was run. Try again: another Ready pod is chosen.");
        }

        // The container that mounts the agent's state, else the first (kubectl exec's default).
        var containers = pod.Spec.Containers;
        var container = containers.FirstOrDefault(c => c.VolumeMounts?.Any(m => m.MountPath.TrimEnd('/') == "/var/lib/kosmos") == true) ?? containers[0];
        return new StatePodRef(pod.Metadata.Name, container.Name, pod.Metadata.ResourceVersion);
    }

    /// <summary>Whether <c>python -m &lt;tool&gt; --help</c> runs in the pod: the dry run of a state action.</summary>
    public async Task RequireToolAsync(AgentRef target, StatePodRef pod, string tool, CancellationToken ct)
    {
        var result = await RunAsync(target, pod, ["python", "-m", tool, "--help"], null, 64 * 1024, $"Checking {tool} in pod {pod.Name}", ct).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new ActionException(ActionFailure.Invalid,
                $"Pod {pod.Name} of {target} cannot run python -m {tool} (exit code {result.ExitCode}: {result.Message}); is it a KOSMOS agent image?");
        }
    }

    /// <summary>Runs export_state into <paramref name="path"/> in the pod.</summary>
    public async Task<string> ExportToFileAsync(AgentRef target, StatePodRef pod, string path, CancellationToken ct)
    {
        var result = await RunAsync(target, pod, ["python", "-m", ExportTool, "--output", path], null, 64 * 1024, $"Exporting in pod {pod.Name}", ct).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new ActionException(ActionFailure.Unavailable, $"export_state failed in pod {pod.Name} of {target} (exit code {result.ExitCode}): {result.Message}");
        }

        return result.StdoutText.Trim();
    }

    /// <summary>
    /// Reads <paramref name="path"/> back (at most the size limit) and the pod's own <c>sha256sum</c> of it: the bytes, their
    /// SHA-256, and whether the pod's checksum matches what arrived.
    /// </summary>
    public async Task<(byte[] Content, string Sha256, string? Mismatch)> ReadBackAsync(AgentRef target, StatePodRef pod, string path, CancellationToken ct)
    {
        ExecResult read;
        try
        {
            read = await RunAsync(target, pod, ["cat", path], null, settings.MaxStateBytes, $"Reading {path} from pod {pod.Name}", ct).ConfigureAwait(false);
        }
        catch (ExecOutputTooLargeException)
        {
            throw new ActionException(ActionFailure.Invalid,
                $"The state exported in pod {pod.Name} of {target} is larger than {settings.MaxStateBytes} bytes (Kosmos:Actions:MaxStateBytes); it was not kept.");
        }

        if (read.ExitCode != 0)
        {
            throw new ActionException(ActionFailure.Unavailable, $"Reading {path} from pod {pod.Name} of {target} failed (exit code {read.ExitCode}): {read.Message}");
        }

        var sum = await RunAsync(target, pod, ["sha256sum", path], null, 64 * 1024, $"Checksumming {path} in pod {pod.Name}", ct).ConfigureAwait(false);
        var local = Convert.ToHexStringLower(SHA256.HashData(read.Stdout));
        var remote = sum.ExitCode == 0 ? sum.StdoutText.Split(' ', 2)[0].Trim() : null;
        var mismatch = remote is null ? $"sha256sum failed in pod {pod.Name} (exit code {sum.ExitCode}: {sum.Message})"
            : remote != local ? $"the pod's sha256sum of {path} is {remote}, the {read.Stdout.Length} bytes read back hash to {local}"
            : null;
        return (read.Stdout, local, mismatch);
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> in the pod through exec stdin (what kubectl cp does with tar).</summary>
    public async Task CopyInAsync(AgentRef target, StatePodRef pod, string path, byte[] content, CancellationToken ct)
    {
        var result = await RunAsync(target, pod, ["sh", "-c", $"cat > '{path}'"], content, 64 * 1024, $"Copying the document into pod {pod.Name}", ct).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new ActionException(ActionFailure.Unavailable, $"Copying the state document into pod {pod.Name} of {target} failed (exit code {result.ExitCode}): {result.Message}. Nothing was imported.");
        }
    }

    /// <summary>Runs import_state on <paramref name="path"/> in the pod; the caller reads the exit code.</summary>
    public Task<ExecResult> RunImportAsync(AgentRef target, StatePodRef pod, string path, CancellationToken ct) =>
        RunAsync(target, pod, ["python", "-m", ImportTool, "--input", path], null, 64 * 1024, $"Importing in pod {pod.Name}", ct);

    /// <summary>Removes a temporary file; a failure is reported, not thrown (the file is in the pod's /tmp, lost with the pod).</summary>
    public async Task<string?> RemoveAsync(AgentRef target, StatePodRef pod, string path)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var result = await RunAsync(target, pod, ["rm", "-f", path], null, 64 * 1024, $"Removing {path}", timeout.Token).ConfigureAwait(false);
            return result.ExitCode == 0 ? null : $"could not remove {path} from pod {pod.Name}: {result.Message}";
        }
        catch (Exception ex) when (ex is ActionException or OperationCanceledException)
        {
            return $"could not remove {path} from pod {pod.Name}: {ex.Message}";
        }
    }

    /// <summary>A temporary file name in the pod's /tmp that no other run uses.</summary>
    public static string TemporaryPath(string purpose, Guid id) => $"/tmp/kosmos-{purpose}-{id:N}.json";

    private async Task<ExecResult> RunAsync(AgentRef target, StatePodRef pod, string[] command, byte[]? stdin, long max, string doing, CancellationToken ct)
    {
        try
        {
            return await exec.RunAsync(target.Namespace, pod.Name, pod.Container, command, stdin, max, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ApiErrors.IsApiError(ex) || ex is System.Net.WebSockets.WebSocketException or k8s.Autorest.HttpOperationException)
        {
            throw ApiErrors.From(ex, doing);
        }
    }
}

using System.Text.Json;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Actions;

/// <summary>
/// What export-state is given: the pod to export from, or null for the agent's first Ready pod
/// (<c>kubectl exec &lt;pod&gt; -- python -m kosmos.tools.export_state --output ...</c>, the runbook's Conversation State).
/// </summary>
public sealed record ExportStateRequest(string? Pod)
{
    public const string PodKey = "pod";

    public ActionRequest ToActionRequest() =>
        string.IsNullOrWhiteSpace(Pod) ? ActionRequest.None : new ActionRequest(StringMap.Of((PodKey, Pod.Trim())));

    public static ExportStateRequest From(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new ExportStateRequest(request.Values.GetValueOrDefault(PodKey));
    }
}

/// <summary>Which pod of an agent a state action runs in, decided from the board before anything reaches the cluster.</summary>
public static class StatePod
{
    /// <summary>
    /// The pod to exec into: <paramref name="requested"/> when it is one of the agent's pods and Ready, otherwise the agent's
    /// Ready pod with the oldest start (it has served longest); an error naming the agent, the pod and what to do when none fits.
    /// </summary>
    public static (PodSnapshot? Pod, string? Error) Choose(AgentDetail detail, string? requested)
    {
        ArgumentNullException.ThrowIfNull(detail);
        var agent = AgentKey.Of(detail.Summary.Namespace, detail.Summary.Name);
        if (!string.IsNullOrWhiteSpace(requested))
        {
            var pod = detail.Pods.FirstOrDefault(p => p.Name == requested.Trim());
            if (pod is null)
            {
                return (null, $"Pod '{requested.Trim()}' is not a pod of agent {agent} (its pods: {Names(detail)}).");
            }

            return Usable(pod) ? (pod, null) : (null, $"Pod {pod.Name} of agent {agent} is not Ready{(pod.IsTerminating ? " (it is terminating)" : "")}: the tool runs only in a Ready pod. Choose a Ready pod or leave the pod out.");
        }

        var ready = detail.Pods.Where(Usable).OrderBy(p => p.StartTime ?? p.CreationTimestamp ?? DateTimeOffset.MaxValue).ThenBy(p => p.Name, StringComparer.Ordinal).FirstOrDefault();
        return ready is not null
            ? (ready, null)
            : (null, $"Agent {agent} has no Ready pod to run the state tool in (its pods: {Names(detail)}). Recover it first (e.g. Restart), then try again.");
    }

    private static bool Usable(PodSnapshot pod) => pod.IsReady && !pod.IsTerminating && !pod.IsTerminal;

    private static string Names(AgentDetail detail) =>
        detail.Pods.Count == 0 ? "none" : string.Join(", ", detail.Pods.Select(p => $"{p.Name} ({(p.IsReady ? "Ready" : "not Ready")})"));
}

/// <summary>Why a conversation-state document was refused.</summary>
public enum StateDocumentProblem
{
    None,

    /// <summary>Larger than <c>Kosmos:Actions:MaxStateBytes</c> (HTTP 413).</summary>
    TooLarge,

    NotJson,

    WrongShape,

    /// <summary>Exported from (or naming) another agent.</summary>
    OtherAgent,
}

/// <summary>A checked state document: valid with its conversation ids, or the problem and a message that names it.</summary>
public sealed record StateDocumentCheck(StateDocumentProblem Problem, string? Error, ValueList<string> ConversationIds)
{
    public bool IsValid => Problem == StateDocumentProblem.None;

    public static StateDocumentCheck Fail(StateDocumentProblem problem, string error) => new(problem, error, ValueList<string>.Empty);
}

/// <summary>
/// The rules a conversation-state document (what <c>kosmos.tools.export_state</c> writes and <c>import_state</c> reads) must
/// meet before anything runs: at most the size limit; a JSON object with <c>agent</c> (this agent), <c>exportedAt</c> and a
/// <c>conversations</c> array of objects, each with a non-empty string <c>id</c>, no id twice. Pure; thread-safe.
/// </summary>
public static class StateDocument
{
    /// <summary>The default of <c>Kosmos:Actions:MaxStateBytes</c>: 16 MiB.</summary>
    public const long DefaultMaxBytes = 16 * 1024 * 1024;

    public static StateDocumentCheck Check(ReadOnlySpan<byte> content, string agent, long maxBytes)
    {
        if (content.Length > maxBytes)
        {
            return StateDocumentCheck.Fail(StateDocumentProblem.TooLarge,
                $"The state document is {content.Length} bytes, more than the {maxBytes} bytes this dashboard accepts (Kosmos:Actions:MaxStateBytes).");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content.ToArray(), new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException ex)
        {
            return StateDocumentCheck.Fail(StateDocumentProblem.NotJson, $"The state document is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            return CheckShape(document.RootElement, agent);
        }
    }

    private static StateDocumentCheck CheckShape(JsonElement root, string agent)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Shape($"The state document must be a JSON object with agent, exportedAt and conversations (got a JSON {Kind(root)}).");
        }

        if (!root.TryGetProperty("agent", out var agentElement) || agentElement.ValueKind != JsonValueKind.String || agentElement.GetString() is not { Length: > 0 } documentAgent)
        {
            return Shape("The state document has no \"agent\" (a string naming the agent it was exported from).");
        }

        if (!root.TryGetProperty("exportedAt", out var exportedAt) || exportedAt.ValueKind != JsonValueKind.String || !DateTimeOffset.TryParse(exportedAt.GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _))
        {
            return Shape("The state document has no valid \"exportedAt\" (a date and time such as 2026-12-06T03:00:00.000Z).");
        }

        if (!root.TryGetProperty("conversations", out var conversations) || conversations.ValueKind != JsonValueKind.Array)
        {
            return Shape("The state document has no \"conversations\" array.");
        }

        if (!string.Equals(documentAgent, agent, StringComparison.Ordinal))
        {
            return StateDocumentCheck.Fail(StateDocumentProblem.OtherAgent,
                $"The state document was exported from agent '{documentAgent}', not '{agent}': import it into {documentAgent}, or export from {agent}.");
        }

        var ids = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var conversation in conversations.EnumerateArray())
        {
            if (conversation.ValueKind != JsonValueKind.Object)
            {
                return Shape($"conversations[{index}] must be a JSON object (got a JSON {Kind(conversation)}).");
            }

            if (!conversation.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String || id.GetString() is not { Length: > 0 } text)
            {
                return Shape($"conversations[{index}] has no \"id\" (a non-empty string).");
            }

            if (!seen.Add(text))
            {
                return Shape($"conversations[{index}] repeats the id '{text}'.");
            }

            ids.Add(text);
            index++;
        }

        return new StateDocumentCheck(StateDocumentProblem.None, null, [.. ids]);
    }

    private static StateDocumentCheck Shape(string error) => StateDocumentCheck.Fail(StateDocumentProblem.WrongShape, error);

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => "object",
    };
}

/// <summary>
/// A state document read back from a pod by export-state: kept in the audit database beside the attempt that made it.
/// Content may be up to <c>Kosmos:Actions:MaxStateBytes</c>; the SHA-256 is of exactly these bytes (lower-case hex).
/// </summary>
public sealed record StateArtifact(Guid Id, string Pod, byte[] Content, string Sha256, int Conversations)
{
    public long Size => Content.LongLength;
}

/// <summary>A stored export without its content, as lists show it.</summary>
public sealed record StateExportInfo(Guid Id, AgentRef Agent, string Pod, long Size, string Sha256, int Conversations, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>
/// The exports export-state keeps (written with the audit record of the attempt that made them). A singleton; thread-safe.
/// Reading an export's content is for Operators and above: conversations may hold anything users told an agent.
/// </summary>
public interface IStateExports
{
    /// <summary>The agent's exports, newest first (at most <paramref name="count"/>).</summary>
    Task<IReadOnlyList<StateExportInfo>> ListAsync(AgentRef agent, int count, CancellationToken cancellationToken);

    /// <summary>One export and its content, or null when there is none with that id.</summary>
    Task<(StateExportInfo Info, byte[] Content)?> GetAsync(Guid id, CancellationToken cancellationToken);
}

/// <summary>Limits of the state actions: the largest state document exported or imported (<c>Kosmos:Actions:MaxStateBytes</c>).</summary>
public sealed record StateSettings(long MaxStateBytes)
{
    public static StateSettings Default { get; } = new(StateDocument.DefaultMaxBytes);
}

/// <summary>
/// What import-state is given: a state document (the JSON text) or the id of one of this agent's exports; exactly one.
/// </summary>
public sealed record ImportStateRequest(string? State, string? ExportId)
{
    public const string StateKey = "state";
    public const string ExportIdKey = "exportId";

    public ActionRequest ToActionRequest() => new(StringMap.Of(
        [.. new[] { (StateKey, State), (ExportIdKey, ExportId) }.Where(e => !string.IsNullOrWhiteSpace(e.Item2)).Select(e => (e.Item1, e.Item2!.Trim()))]));

    public static ImportStateRequest From(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new ImportStateRequest(request.Values.GetValueOrDefault(StateKey), request.Values.GetValueOrDefault(ExportIdKey));
    }

    /// <summary>The rules that need nothing but the request: exactly one source, no other values, an export id that is an id.</summary>
    public static ActionValidation Validate(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Values.Keys.FirstOrDefault(k => k is not (StateKey or ExportIdKey)) is { } unknown)
        {
            return ActionValidation.Fail($"Import state takes \"state\" (a state document) or \"exportId\" (got '{unknown}').");
        }

        var values = From(request);
        return (values.State, values.ExportId) switch
        {
            (null, null) => ActionValidation.Fail("Import state needs \"state\" (a state document) or \"exportId\" (one of this agent's exports)."),
            ({ }, { }) => ActionValidation.Fail("Import state takes \"state\" or \"exportId\", not both."),
            (null, { } id) when !Guid.TryParse(id, out _) => ActionValidation.Fail($"exportId '{id}' is not an export id."),
            _ => ActionValidation.Ok,
        };
    }
}

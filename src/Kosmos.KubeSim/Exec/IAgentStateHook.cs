namespace Kosmos.KubeSim.Exec;

/// <summary>
/// Optional agent-specific behaviour of the container an exec runs in, supplied by the kubelet simulation for
/// KOSMOS agent containers. Conversation state itself lives on the agent's volume (see <see cref="ExecContext"/>).
/// </summary>
/// <remarks>Threading: members are called on the exec's own task, possibly concurrently for two execs into the
/// same container; implementations must be thread-safe, quick and must not throw.</remarks>
public interface IAgentStateHook
{
    /// <summary>The agent's name, written as <c>"agent"</c> into exported state.</summary>
    string AgentName { get; }

    /// <summary>
    /// Called after <c>python -m kosmos.tools.import_state</c> replaced the conversations on the volume, so the
    /// simulated agent can reload them (log a line, update its metrics, ...).
    /// </summary>
    void OnConversationsImported(IReadOnlyList<string> conversationIds);
}

using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Live;

namespace Kosmos.Dashboard.ViewModels;

/// <summary>
/// The one value of a complete reset (<c>deleteClaim</c>) and, in words, what each choice loses, from the claims the agent
/// has as the board shows them. The preview (server dry runs) then lists every object deleted and applied. Not thread-safe.
/// </summary>
public sealed class ResetForm(IReadOnlyList<string> claims) : IActionForm
{
    /// <summary>The agent's volume claims now (names), e.g. <c>memory-agent-state</c>.</summary>
    public IReadOnlyList<string> Claims { get; } = claims;

    /// <summary>Also delete the agent's claims (after a safety snapshot of each); false keeps them and their data.</summary>
    public bool DeleteClaim { get; set; }

    public bool IsEmpty => false;

    public ActionRequest ToActionRequest() => Reset.Request(DeleteClaim);

    /// <summary>What the reset loses with the current choice, one sentence each (the preview repeats it per object).</summary>
    public IReadOnlyList<string> Losses =>
    [
        "Every pod of the agent is deleted: what the pods hold outside their volumes (memory, in-flight requests, /tmp) is lost; the Deployment starts new ones.",
        Claims.Count == 0 ? "The agent has no volume claims: there is no stored state to keep or delete."
        : DeleteClaim ? $"Claims {string.Join(", ", Claims)} are deleted with everything on them (the conversation state); a VolumeSnapshot of each is taken first when the cluster serves the snapshot API, and the manifests create empty claims again."
        : $"Claims {string.Join(", ", Claims)} are kept, with their data.",
        "The agent's manifests are applied again (server-side apply): any change made to the Deployment since (kubectl edit, set env, set resources) is undone.",
    ];

    public static ResetForm From(AgentDetail? detail) =>
        new([.. (detail?.Claims ?? []).Where(c => c.DeletionTimestamp is null).Select(c => c.Name).Order(StringComparer.Ordinal)]);
}

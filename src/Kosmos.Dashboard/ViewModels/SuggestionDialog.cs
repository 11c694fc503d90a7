using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Runbook;

namespace Kosmos.Dashboard.ViewModels;

/// <summary>
/// How the Runbook tab opens a suggestion in the action dialog: the action, and its form pre-filled by the same rules that
/// made the suggestion (null for an action without values, such as Restart). Holds no rules of its own.
/// </summary>
public sealed record SuggestionDialog(ActionKind Kind, IActionForm? Form)
{
    /// <summary>
    /// The dialog for <paramref name="suggestion"/> on <paramref name="detail"/>, or null when the dialogs cannot take it
    /// (something to do elsewhere, or an action this tab does not open). <paramref name="previousLog"/>: the crashed run's
    /// lines when they were read (the Set env pre-fill reads them).
    /// </summary>
    public static SuggestionDialog? For(SuggestedStep suggestion, AgentDetail detail, IReadOnlyList<string>? previousLog)
    {
        ArgumentNullException.ThrowIfNull(suggestion);
        return suggestion.Action switch
        {
            ActionKind.Restart => new(ActionKind.Restart, null),
            ActionKind.SetResources => new(ActionKind.SetResources, SetResourcesForm.From(detail)),
            ActionKind.SetEnv => new(ActionKind.SetEnv, SetEnvForm.From(detail, previousLog)),
            ActionKind.SetImage => new(ActionKind.SetImage, SetImageForm.From(detail)),
            ActionKind.SetConfigKey => new(ActionKind.SetConfigKey, SetConfigKeyForm.FromSuggestion(suggestion.Values, suggestion.Why)),
            _ => null,
        };
    }
}

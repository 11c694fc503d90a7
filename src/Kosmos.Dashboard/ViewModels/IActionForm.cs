using Kosmos.Recovery.Actions;

namespace Kosmos.Dashboard.ViewModels;

/// <summary>The values a person edits for an action that takes some (set resources, set env), as the executor takes them.</summary>
public interface IActionForm
{
    ActionRequest ToActionRequest();

    /// <summary>Nothing entered yet: the dialog does not show "give at least one value" before the person types.</summary>
    bool IsEmpty { get; }
}

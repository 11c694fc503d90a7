using Kosmos.Recovery.Actions;

namespace Kosmos.Dashboard.ViewModels;

/// <summary>
/// Values chosen before the dialog opens, with nothing left to edit (the pod of a "Restart pod" row button): the dialog
/// goes straight to the server's dry run of them.
/// </summary>
public sealed class PresetForm(ActionRequest request) : IActionForm
{
    public ActionRequest ToActionRequest() => request;

    public bool IsEmpty => request.IsEmpty;
}

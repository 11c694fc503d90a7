using System.Security.Claims;
using Kosmos.Dashboard.ViewModels;
using Kosmos.Recovery.Actions;
using MudBlazor;

namespace Kosmos.Dashboard.Components.Agent;

/// <summary>Opens <see cref="ActionDialog"/> the same way from every button (the action row, a pod's row).</summary>
public static class ActionDialogs
{
    // editor: the component that edits the form; null for the built-in forms or none.
    public static async Task ShowAsync(IDialogService dialogs, AgentRef target, ActionDefinition action, ClaimsPrincipal user,
        IActionForm? form = null, Type? editor = null, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(dialogs);
        ArgumentNullException.ThrowIfNull(action);
        var parameters = new DialogParameters<ActionDialog>
        {
            { d => d.Target, target },
            { d => d.Kind, action.Kind },
            { d => d.User, user },
            { d => d.Form, form },
            { d => d.Editor, editor },
        };
        // Escape and the Close button always work: a confirmed action runs on in the background.
        var options = new DialogOptions { BackdropClick = false, CloseOnEscapeKey = true, MaxWidth = MaxWidth.Medium, FullWidth = true };
        await dialogs.ShowAsync<ActionDialog>(title ?? $"{action.Title} {target}", parameters, options);
    }
}

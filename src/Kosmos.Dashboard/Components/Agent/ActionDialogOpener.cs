using System.Security.Claims;
using Kosmos.Dashboard.ViewModels;
using Kosmos.Recovery.Actions;
using MudBlazor;

namespace Kosmos.Dashboard.Components.Agent;

/// <summary>Opens <see cref="ActionDialog"/> for one action the same way from every place of the agent page that offers one.</summary>
public static class ActionDialogOpener
{
    public static Task OpenAsync(IDialogService dialogs, AgentRef target, ClaimsPrincipal user, ActionDefinition action, IActionForm? form)
    {
        ArgumentNullException.ThrowIfNull(dialogs);
        ArgumentNullException.ThrowIfNull(action);
        var parameters = new DialogParameters<ActionDialog>
        {
            { d => d.Target, target },
            { d => d.Kind, action.Kind },
            { d => d.User, user },
            { d => d.Form, form },
        };
        var options = new DialogOptions { BackdropClick = false, CloseOnEscapeKey = true, MaxWidth = MaxWidth.Medium, FullWidth = true };
        return dialogs.ShowAsync<ActionDialog>($"{action.Title} {target}", parameters, options);
    }
}

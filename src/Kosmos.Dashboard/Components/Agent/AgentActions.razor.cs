using System.Security.Claims;
using Kosmos.Dashboard.Security;
using Kosmos.Recovery.Actions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace Kosmos.Dashboard.Components.Agent;

/// <summary>The Restart button of an agent page; opens <see cref="ActionDialog"/>. Disabled, with the reason, for those who may not.</summary>
public sealed partial class AgentActions
{
    private ClaimsPrincipal _user = new(new ClaimsIdentity());
    private bool _canOperate;

    [Parameter, EditorRequired]
    public AgentRef Target { get; set; }

    /// <summary>Bare pods without a Deployment have nothing to roll out.</summary>
    [Parameter]
    public bool HasDeployment { get; set; } = true;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    private IAuthorizationService Authorization { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    private string? DisabledReason => ActionAvailability.Reason(_user, _canOperate, HasDeployment, ActionCatalog.Restart);

    protected override async Task OnParametersSetAsync()
    {
        _user = AuthenticationState is null ? new ClaimsPrincipal(new ClaimsIdentity()) : (await AuthenticationState).User;
        _canOperate = (await Authorization.AuthorizeAsync(_user, ActionCatalog.Restart.RequiredPolicy)).Succeeded;
    }

    private async Task OpenRestartAsync()
    {
        var parameters = new DialogParameters<ActionDialog>
        {
            { d => d.Target, Target },
            { d => d.Kind, ActionKind.Restart },
            { d => d.User, _user },
        };
        var options = new DialogOptions { BackdropClick = false, CloseOnEscapeKey = false, MaxWidth = MaxWidth.Medium, FullWidth = true };
        await Dialogs.ShowAsync<ActionDialog>($"Restart {Target}", parameters, options);
    }
}

/// <summary>Why an action button is disabled for this person, or null when it is enabled. Pure.</summary>
public static class ActionAvailability
{
    public static string? Reason(ClaimsPrincipal user, bool authorised, bool hasDeployment, ActionDefinition action)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(action);
        var verb = action.Title.ToLowerInvariant();
        if (!hasDeployment)
        {
            return $"Nothing to {verb}: this agent has no Deployment.";
        }

        if (authorised)
        {
            return null;
        }

        return user.Identity?.IsAuthenticated == true
            ? $"Your role ({KosmosRoles.All.LastOrDefault(user.IsInRole) ?? "none"}) cannot {verb} agents: that needs {KosmosRoles.Operator} or higher."
            : $"Sign in as an {KosmosRoles.Operator} to {verb} agents.";
    }
}

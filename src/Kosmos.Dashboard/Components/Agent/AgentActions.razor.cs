using System.Security.Claims;
using Kosmos.Dashboard.Security;
using Kosmos.Dashboard.ViewModels;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Live;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace Kosmos.Dashboard.Components.Agent;

/// <summary>
/// The Restart, Set resources and Export state buttons of an agent page; each opens <see cref="ActionDialog"/>. Disabled, with the reason,
/// for those who may not (both need the same policy, so one reason is shown).
/// </summary>
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

    [Inject]
    private IAgentBoard Board { get; set; } = default!;

    [Inject]
    private Microsoft.Extensions.Options.IOptions<Kosmos.Dashboard.Configuration.KosmosOptions> Options { get; set; } = default!;

    /// <summary>Kosmos:ReadOnly: no buttons at all, and the reason in their place (the server refuses anyway).</summary>
    private bool ReadOnly => Options.Value.ReadOnly;

    private string? DisabledReason => ActionAvailability.Reason(_user, _canOperate, HasDeployment, ActionCatalog.Restart);

    private string? SetResourcesDisabledReason => ActionAvailability.Reason(_user, _canOperate, HasDeployment, ActionCatalog.SetResources);

    private string? ExportDisabledReason => ActionAvailability.Reason(_user, _canOperate, HasDeployment, ActionCatalog.ExportState);

    protected override async Task OnParametersSetAsync()
    {
        _user = AuthenticationState is null ? new ClaimsPrincipal(new ClaimsIdentity()) : (await AuthenticationState).User;
        _canOperate = (await Authorization.AuthorizeAsync(_user, ActionCatalog.Restart.RequiredPolicy)).Succeeded;
    }

    private Task OpenRestartAsync() => OpenAsync(ActionCatalog.Restart, form: null);

    // The first Ready pod (the server's choice, shown in the preview): the API takes {"pod"} for another.
    private Task OpenExportAsync() => OpenAsync(ActionCatalog.ExportState, form: null);

    // The form is filled from the board as it is when the button is pressed: what the person sees as "current".
    private Task OpenSetResourcesAsync() =>
        OpenAsync(ActionCatalog.SetResources, SetResourcesForm.From(Board.GetDetail(Target.Namespace, Target.Name)));

    private async Task OpenAsync(ActionDefinition action, SetResourcesForm? form)
    {
        var parameters = new DialogParameters<ActionDialog>
        {
            { d => d.Target, Target },
            { d => d.Kind, action.Kind },
            { d => d.User, _user },
            { d => d.Form, form },
        };
        var options = new DialogOptions { BackdropClick = false, CloseOnEscapeKey = true, MaxWidth = MaxWidth.Medium, FullWidth = true };
        await Dialogs.ShowAsync<ActionDialog>($"{action.Title} {Target}", parameters, options);
    }
}

/// <summary>Why an action button is disabled for this person, or null when it is enabled. Pure.</summary>
public static class ActionAvailability
{
    public static string? Reason(ClaimsPrincipal user, bool authorised, bool hasDeployment, ActionDefinition action)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(action);
        var verb = action.AgentsVerb;
        if (!hasDeployment)
        {
            return $"Nothing to {action.Title.ToLowerInvariant()}: this agent has no Deployment.";
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

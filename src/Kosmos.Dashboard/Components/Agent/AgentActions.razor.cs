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
/// The action row of an agent page (Restart, Set resources, Set env, Export state, Reset); each opens <see cref="ActionDialog"/>.
/// Disabled, with the reason, for those who may not (all need the same policy, so one reason is shown). Restart pod is on
/// each pod's row (<see cref="RestartPodButton"/>).
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

    // The actions this row of buttons offers, and so the ones its disabled reason names (restart pod is on each pod's row).
    internal static readonly IReadOnlyList<ActionDefinition> RowActions =
        [ActionCatalog.Restart, ActionCatalog.SetResources, ActionCatalog.SetEnv, ActionCatalog.SetImage, ActionCatalog.ExportState, ActionCatalog.Reset];

    // Every action needs the same policy, so one reason, naming all of them, stands for the row of buttons.
    private string? DisabledReason => ActionAvailability.Reason(_user, _canOperate, HasDeployment, RowActions);

    protected override async Task OnParametersSetAsync()
    {
        _user = AuthenticationState is null ? new ClaimsPrincipal(new ClaimsIdentity()) : (await AuthenticationState).User;
        _canOperate = (await Authorization.AuthorizeAsync(_user, ActionCatalog.Restart.RequiredPolicy)).Succeeded;
    }

    private Task OpenRestartAsync() => OpenAsync(ActionCatalog.Restart, form: null);

    // The first Ready pod (the server's choice, shown in the preview): the API takes {"pod"} for another.
    private Task OpenExportAsync() => OpenAsync(ActionCatalog.ExportState, form: null);

    private Task OpenSetEnvAsync() =>
        OpenAsync(ActionCatalog.SetEnv, SetEnvForm.From(Board.GetDetail(Target.Namespace, Target.Name)));

    private Task OpenSetImageAsync() =>
        OpenAsync(ActionCatalog.SetImage, SetImageForm.From(Board.GetDetail(Target.Namespace, Target.Name)));

    // The form is filled from the board as it is when the button is pressed: what the person sees as "current".
    private Task OpenSetResourcesAsync() =>
        OpenAsync(ActionCatalog.SetResources, SetResourcesForm.From(Board.GetDetail(Target.Namespace, Target.Name)));

    // The claims as the board shows them when the button is pressed: the form says what deleting them loses.
    private Task OpenResetAsync() =>
        OpenAsync(ActionCatalog.Reset, ResetForm.From(Board.GetDetail(Target.Namespace, Target.Name)), typeof(ResetEditor));

    private Task OpenAsync(ActionDefinition action, IActionForm? form, Type? editor = null) =>
        ActionDialogs.ShowAsync(Dialogs, Target, action, _user, form, editor);
}

/// <summary>Why the action buttons are disabled for this person, or null when they are enabled. Pure.</summary>
public static class ActionAvailability
{
    public static string? Reason(ClaimsPrincipal user, bool authorised, bool hasDeployment, IReadOnlyList<ActionDefinition> actions)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(actions);
        if (!hasDeployment)
        {
            return "Nothing to roll out: this agent has no Deployment, so the recovery actions do not apply.";
        }

        if (authorised)
        {
            return null;
        }

        var what = string.Join(", ", actions.Select(a => a.Title.ToLowerInvariant()));
        return user.Identity?.IsAuthenticated == true
            ? $"Your role ({KosmosRoles.All.LastOrDefault(user.IsInRole) ?? "none"}) cannot run recovery actions ({what}): that needs {KosmosRoles.Operator} or higher."
            : $"Sign in as an {KosmosRoles.Operator} to run recovery actions ({what}).";
    }
}

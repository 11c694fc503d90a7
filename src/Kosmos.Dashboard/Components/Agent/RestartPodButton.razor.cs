using System.Security.Claims;
using Kosmos.Dashboard.Configuration;
using Kosmos.Dashboard.ViewModels;
using Kosmos.Recovery.Actions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace Kosmos.Dashboard.Components.Agent;

/// <summary>"Restart pod" on one pod's row: restart-pod <c>{"pod"}</c> through the action dialog (dry run, confirm, verify).</summary>
public sealed partial class RestartPodButton
{
    private ClaimsPrincipal _user = new(new ClaimsIdentity());
    private bool _canOperate;

    [Parameter, EditorRequired]
    public AgentRef Target { get; set; }

    [Parameter, EditorRequired]
    public string Pod { get; set; } = "";

    /// <summary>Bare pods without a Deployment: deleting one brings nothing back.</summary>
    [Parameter]
    public bool HasDeployment { get; set; } = true;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    private IAuthorizationService Authorization { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private IOptions<KosmosOptions> Options { get; set; } = default!;

    private string? DisabledReason => Options.Value.ReadOnly
        ? "Read-only dashboard (Kosmos:ReadOnly): no recovery actions."
        : ActionAvailability.Reason(_user, _canOperate, HasDeployment, [ActionCatalog.RestartPod]);

    protected override async Task OnParametersSetAsync()
    {
        _user = AuthenticationState is null ? new ClaimsPrincipal(new ClaimsIdentity()) : (await AuthenticationState).User;
        _canOperate = (await Authorization.AuthorizeAsync(_user, ActionCatalog.RestartPod.RequiredPolicy)).Succeeded;
    }

    private Task OpenAsync() =>
        ActionDialogs.ShowAsync(Dialogs, Target, ActionCatalog.RestartPod, _user, new PresetForm(RestartPod.Request(Pod)), title: $"Restart pod {Pod}");
}

using System.Security.Claims;
using Kosmos.Dashboard.Security;
using Kosmos.Dashboard.ViewModels;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Model;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace Kosmos.Dashboard.Components.Agent;

/// <summary>
/// Lists the agent's claims with their snapshots; with a <see cref="Target"/>, a ready snapshot of a mounted claim has
/// Restore, which opens restore-snapshot's dialog (the executor authorises, validates and asks for approval again).
/// </summary>
public sealed partial class StoragePanel
{
    private ClaimsPrincipal _user = new(new ClaimsIdentity());
    private bool _canOperate;

    [Parameter, EditorRequired]
    public IReadOnlyList<PvcSnapshot> Claims { get; set; } = [];

    [Parameter, EditorRequired]
    public IReadOnlyList<VolumeSnapshotSnapshot> Snapshots { get; set; } = [];

    [Parameter, EditorRequired]
    public DateTimeOffset Now { get; set; }

    /// <summary>The agent, to offer Restore; null shows the storage only.</summary>
    [Parameter]
    public AgentRef? Target { get; set; }

    /// <summary>The claims the agent's Deployment mounts: only their snapshots are restored into it.</summary>
    [Parameter]
    public IReadOnlyCollection<string> MountedClaims { get; set; } = [];

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    private IAuthorizationService Authorization { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        if (Target is not null && AuthenticationState is not null)
        {
            _user = (await AuthenticationState).User;
            _canOperate = (await Authorization.AuthorizeAsync(_user, ActionCatalog.RestoreSnapshot.RequiredPolicy)).Succeeded;
        }
    }

    private bool Mounted(string claim) => MountedClaims.Contains(claim);

    private string? RestoreReason(string claim) =>
        !_canOperate ? $"Restoring a snapshot needs the {KosmosRoles.Operator} role or higher (and an incident commander's approval)."
        : !Mounted(claim) ? $"The agent does not mount claim {claim}: only a snapshot of a mounted claim is restored into it."
        : null;

    private Task OpenRestoreAsync(string snapshot) => Target is { } target
        ? ActionDialogs.ShowAsync(Dialogs, target, ActionCatalog.RestoreSnapshot, _user, new PresetForm(RestoreSnapshot.Request(snapshot)))
        : Task.CompletedTask;
}

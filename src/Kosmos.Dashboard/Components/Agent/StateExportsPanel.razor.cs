using Kosmos.Dashboard.Security;
using Kosmos.Dashboard.ViewModels;
using Kosmos.Recovery.Actions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Kosmos.Dashboard.Components.Agent;

/// <summary>Lists <see cref="IStateExports"/> of one agent; Download links go to <c>GET /api/exports/{id}</c>, which authorises again.</summary>
public sealed partial class StateExportsPanel
{
    private IReadOnlyList<StateExportRow>? _rows;
    private bool _canDownload;

    [Parameter, EditorRequired]
    public AgentRef Target { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    private IStateExports Exports { get; set; } = default!;

    [Inject]
    private IAuthorizationService Authorization { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        if (AuthenticationState is not null)
        {
            _canDownload = (await Authorization.AuthorizeAsync((await AuthenticationState).User, KosmosPolicies.Operate)).Succeeded;
        }

        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var now = Time.GetUtcNow();
        _rows = [.. (await Exports.ListAsync(Target, 50, CancellationToken.None)).Select(e => StateExportRow.From(e, now))];
    }
}

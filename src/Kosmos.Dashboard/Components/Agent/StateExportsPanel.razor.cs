using Kosmos.Dashboard.Security;
using Kosmos.Dashboard.ViewModels;
using Kosmos.Recovery.Actions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;

namespace Kosmos.Dashboard.Components.Agent;

/// <summary>
/// Lists <see cref="IStateExports"/> of one agent; Download links go to <c>GET /api/exports/{id}</c>, which authorises again.
/// Import (one of these exports, or an uploaded file) opens import-state's dialog: the executor checks the document, the
/// typed name and the approval on the server.
/// </summary>
public sealed partial class StateExportsPanel
{
    private IReadOnlyList<StateExportRow>? _rows;
    private bool _canDownload;
    private string? _uploadError;
    private System.Security.Claims.ClaimsPrincipal _user = new(new System.Security.Claims.ClaimsIdentity());

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

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private Microsoft.Extensions.Options.IOptions<Kosmos.Dashboard.Configuration.KosmosOptions> Options { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        if (AuthenticationState is not null)
        {
            _user = (await AuthenticationState).User;
            _canDownload = (await Authorization.AuthorizeAsync(_user, KosmosPolicies.Operate)).Succeeded;
        }

        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var now = Time.GetUtcNow();
        _rows = [.. (await Exports.ListAsync(Target, 50, CancellationToken.None)).Select(e => StateExportRow.From(e, now))];
    }

    private Task OpenImportAsync(Guid exportId) =>
        ActionDialogs.ShowAsync(Dialogs, Target, ActionCatalog.ImportState, _user, new PresetForm(new ImportStateRequest(null, exportId.ToString("D")).ToActionRequest()));

    // The file's text goes to the executor as it is; it checks the document (size, JSON, shape, agent) before anything runs.
    private async Task UploadAsync(InputFileChangeEventArgs e)
    {
        var max = Options.Value.Actions.MaxStateBytes;
        _uploadError = null;
        if (e.File.Size > max)
        {
            _uploadError = $"{e.File.Name} is {e.File.Size} bytes, more than the {max} bytes this dashboard accepts (Kosmos:Actions:MaxStateBytes).";
            return;
        }

        using var reader = new StreamReader(e.File.OpenReadStream(max));
        var text = await reader.ReadToEndAsync();
        await ActionDialogs.ShowAsync(Dialogs, Target, ActionCatalog.ImportState, _user, new PresetForm(new ImportStateRequest(text, null).ToActionRequest()));
    }
}

using System.Security.Claims;
using Kosmos.Dashboard.Configuration;
using Kosmos.Dashboard.Security;
using Kosmos.Dashboard.ViewModels;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace Kosmos.Dashboard.Components.Agent;

/// <summary>
/// The Configuration section of the describe tab: the ConfigMaps and Secrets the agent reads (<see cref="IAgentConfiguration"/>,
/// one GET per ConfigMap when the tab is <see cref="Active"/> and again when the pod template changes, e.g. after a
/// restart), each ConfigMap key with an Edit button that opens set-config-key's dialog.
/// </summary>
public sealed partial class AgentConfiguration : IDisposable
{
    private readonly CancellationTokenSource _lifetime = new();
    private IReadOnlyList<ConfigSourceRow>? _rows;
    private PodTemplateSnapshot? _loadedFor;
    private string? _error;
    private bool _loading;
    private ClaimsPrincipal _user = new(new ClaimsIdentity());
    private bool _canOperate;

    [Parameter, EditorRequired]
    public AgentRef Target { get; set; }

    /// <summary>The Deployment's pod template: what it reads is what is listed.</summary>
    [Parameter, EditorRequired]
    public PodTemplateSnapshot Template { get; set; } = PodTemplateSnapshot.Empty;

    /// <summary>Whether the section is visible: the cluster is read only then.</summary>
    [Parameter]
    public bool Active { get; set; } = true;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    private IAgentConfiguration Configuration { get; set; } = default!;

    [Inject]
    private IAuthorizationService Authorization { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private IOptions<KosmosOptions> Options { get; set; } = default!;

    // Kosmos:ReadOnly: no Edit buttons at all, as the action row shows none (the server refuses anyway).
    private bool ReadOnly => Options.Value.ReadOnly;

    private string? EditReason => _canOperate ? null : $"Editing a ConfigMap key needs the {KosmosRoles.Operator} role or higher.";

    public void Dispose()
    {
        _lifetime.Cancel();
        _lifetime.Dispose();
    }

    protected override async Task OnParametersSetAsync()
    {
        if (AuthenticationState is not null)
        {
            _user = (await AuthenticationState).User;
            _canOperate = (await Authorization.AuthorizeAsync(_user, ActionCatalog.SetConfigKey.RequiredPolicy)).Succeeded;
        }

        if (Active && !Equals(_loadedFor, Template))
        {
            await LoadAsync();
        }
    }

    private Task ReloadAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        var template = Template;
        _loadedFor = template;
        _loading = true;
        try
        {
            var states = await Configuration.ReadAsync(Target, template, _lifetime.Token);
            _rows = ConfigurationRows.From(states);
            _error = null;
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            // Left the page.
        }
        catch (Exception ex)
        {
            _error = $"Reading the agent's configuration failed: {ex.Message}";
        }
        finally
        {
            _loading = false;
        }
    }

    private Task EditAsync(string configMap, ConfigKeyRow key) =>
        ActionDialogs.ShowAsync(Dialogs, Target, ActionCatalog.SetConfigKey, _user, SetConfigKeyForm.ForKey(configMap, key.Key, key.FullValue),
            title: $"{ActionCatalog.SetConfigKey.Title} {configMap}/{key.Key} ({Target})");
}

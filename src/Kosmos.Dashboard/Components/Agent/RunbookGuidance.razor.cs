using System.Security.Claims;
using Kosmos.Dashboard.Guidance;
using Kosmos.Dashboard.ViewModels;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Runbook;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace Kosmos.Dashboard.Components.Agent;

/// <summary>
/// The runbook section for the agent's diagnosis with the facts pulled out (<see cref="AgentGuidance"/>, the same rules the
/// hub and the HTTP API use). For a crash loop it also reads the previous run's log once per crashing container (not on
/// every change of the agent) and checks the agents the environment names.
/// </summary>
public sealed partial class RunbookGuidance
{
    private RunbookGuide? _guide;
    private LogTarget? _fetched;
    private LogTarget? _readFor;
    private IReadOnlyList<string>? _errorLines;
    private IReadOnlyList<string> _previousLogLines = [];
    private string? _previousLogError;
    private IReadOnlyList<DependencyStatus> _dependencies = [];
    private CancellationTokenSource? _fetchCancel;

    [Inject]
    private IPodLogs Logs { get; set; } = default!;

    [Inject]
    private IAgentBoard Board { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Parameter, EditorRequired]
    public AgentDetail Detail { get; set; } = default!;

    /// <summary>Where the runbook's related documents live; the file name is appended.</summary>
    [Parameter]
    public string DocsBaseUrl { get; set; } = "/assets/docs/";

    public async ValueTask DisposeAsync()
    {
        if (_fetchCancel is not null)
        {
            await _fetchCancel.CancelAsync();
            _fetchCancel.Dispose();
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        Rebuild();
        var target = _guide?.PreviousLog;
        if (target == _fetched)
        {
            return;
        }

        _fetched = target;
        _readFor = null;
        _errorLines = null;
        _previousLogLines = [];
        _previousLogError = null;
        if (_fetchCancel is not null)
        {
            await _fetchCancel.CancelAsync();
            _fetchCancel.Dispose();
            _fetchCancel = null;
        }

        if (target is null)
        {
            return;
        }

        var cancel = _fetchCancel = new CancellationTokenSource();
        LogResult result;
        try
        {
            result = await Logs.ReadAsync(Detail.Summary.Namespace, target.Pod, target.Container, previous: true, GuidanceReader.PreviousLogTail, cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            result = LogResult.Failed($"Reading the previous log failed: {ex.Message}");
        }

        if (_fetched != target)
        {
            return;
        }

        _previousLogError = result.Error;
        _previousLogLines = result.Error is null ? result.Lines : [];
        _readFor = target;
        Rebuild();
    }

    private void Rebuild()
    {
        var logRead = _fetched is not null && _fetched == _readFor;
        var guidance = AgentGuidance.Build(Detail, Time.GetUtcNow(), logRead && _previousLogError is null ? _previousLogLines : null, _previousLogError,
            (ns, name) => Board.GetDetail(ns, name)?.Summary);
        _guide = guidance.Guide;
        _dependencies = guidance.Dependencies;
        _errorLines = logRead ? guidance.ErrorLines : null;
    }

    // The dialog's form for a suggestion, pre-filled by the same rules that made the suggestion (the previous log it read
    // included); null for a suggestion the dialogs cannot take.
    private IActionForm? FormFor(SuggestedStep suggestion) => suggestion.Action switch
    {
        ActionKind.SetResources => SetResourcesForm.From(Detail),
        ActionKind.SetEnv => SetEnvForm.From(Detail, _readFor is not null && _previousLogError is null ? _previousLogLines : null),
        ActionKind.SetConfigKey => SetConfigKeyForm.FromSuggestion(suggestion.Values, suggestion.Why),
        _ => null,
    };

    private async Task OpenAsync(SuggestedStep suggestion)
    {
        if (suggestion.Action is not { } kind || FormFor(suggestion) is not { } form)
        {
            return;
        }

        var user = AuthenticationState is null ? new ClaimsPrincipal(new ClaimsIdentity()) : (await AuthenticationState).User;
        await ActionDialogs.ShowAsync(Dialogs, new AgentRef(Detail.Summary.Namespace, Detail.Summary.Name), ActionCatalog.Get(kind), user, form);
    }
}

using Kosmos.Dashboard.ViewModels;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;
using Microsoft.AspNetCore.Components;

namespace Kosmos.Dashboard.Components.Agent;

/// <summary>
/// The runbook section for the agent's diagnosis with the facts pulled out (<see cref="RunbookGuide"/>). For a crash
/// loop it also reads the previous run's log once per crashing container and checks the agents the environment names.
/// </summary>
public sealed partial class RunbookGuidance
{
    private const int PreviousLogTail = 200;

    private RunbookGuide? _guide;
    private LogTarget? _fetched;
    private IReadOnlyList<string>? _errorLines;
    private IReadOnlyList<string> _previousLogLines = [];
    private string? _previousLogError;
    private IReadOnlyList<ConfigHint> _configHints = [];
    private IReadOnlyList<DependencyStatus> _dependencies = [];
    private CancellationTokenSource? _fetchCancel;

    [Inject]
    private IPodLogs Logs { get; set; } = default!;

    [Inject]
    private IAgentBoard Board { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Parameter, EditorRequired]
    public AgentDetail Detail { get; set; } = default!;

    /// <summary>Where the runbook's related documents live; the file name is appended.</summary>
    [Parameter]
    public string DocsBaseUrl { get; set; } = "docs/";

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
        _guide = RunbookGuide.Build(Detail, Time.GetUtcNow());
        _dependencies = _guide is null
            ? []
            : [.. _guide.Dependencies.Select(d => DependencyStatus.From(d, d.Agent is null ? null : Board.GetDetail(d.Namespace!, d.Agent)?.Summary))];
        UpdateConfigHints();

        var target = _guide?.PreviousLog;
        if (target == _fetched)
        {
            return;
        }

        _fetched = target;
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
            result = await Logs.ReadAsync(Detail.Summary.Namespace, target.Pod, target.Container, previous: true, PreviousLogTail, cancel.Token);
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
        _previousLogLines = result.Lines;
        _errorLines = result.Error is null ? LogErrorLines.Pick(result.Lines) : [];
        UpdateConfigHints();
    }

    private void UpdateConfigHints()
    {
        if (_guide is null || Detail.Summary.Health.RunbookSection != Kosmos.Recovery.Health.RunbookSection.CrashLoopBackOff)
        {
            _configHints = [];
            return;
        }

        IReadOnlyList<ContainerSnapshot> containers = Detail.Deployment?.Template.Containers is { Count: > 0 } template
            ? template
            : Detail.Pods.FirstOrDefault()?.Containers ?? [];
        _configHints = ConfigHintFinder.Find(Detail.Summary.Health.Evidence, _previousLogLines, containers);
    }
}

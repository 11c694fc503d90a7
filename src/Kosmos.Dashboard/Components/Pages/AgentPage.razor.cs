using Kosmos.Dashboard.ViewModels;
using Kosmos.Recovery.Live;
using Microsoft.AspNetCore.Components;

namespace Kosmos.Dashboard.Components.Pages;

/// <summary>One agent: header with the verdict, then pods, describe, logs, recent changes, runbook guidance and storage.</summary>
public sealed partial class AgentPage
{
    private const int DescribeTab = 1;
    private const int LogsTab = 2;

    private DetailFeed? _feed;
    private string? _chosenPod;
    private int _tab;

    [Parameter]
    public string Namespace { get; set; } = "";

    [Parameter]
    public string Name { get; set; } = "";

    [Inject]
    private IAgentBoard Board { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    public async ValueTask DisposeAsync()
    {
        if (_feed is not null)
        {
            await _feed.DisposeAsync();
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        if (_feed is not null && _feed.Namespace == Namespace && _feed.Name == Name)
        {
            return;
        }

        // Another agent (navigation within the page): drop the old subscription before taking the new one.
        if (_feed is not null)
        {
            await _feed.DisposeAsync();
        }

        _chosenPod = null;
        _feed = new DetailFeed(Board, Namespace, Name, action => InvokeAsync(() =>
        {
            action();
            StateHasChanged();
        }));
    }

    private void ChoosePod(string pod) => _chosenPod = pod;

    private void ShowDescribe(string pod)
    {
        _chosenPod = pod;
        _tab = DescribeTab;
    }

    private void ShowLogs(string pod)
    {
        _chosenPod = pod;
        _tab = LogsTab;
    }
}

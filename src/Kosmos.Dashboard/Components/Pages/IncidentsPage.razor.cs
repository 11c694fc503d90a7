using Kosmos.Dashboard.Incidents;
using Kosmos.Dashboard.ViewModels;
using Kosmos.Recovery.Health;
using Kosmos.Recovery.Incidents;
using Microsoft.AspNetCore.Components;

namespace Kosmos.Dashboard.Components.Pages;

/// <summary>Every incident, live, filtered by status, agent and failure mode (Viewer and above).</summary>
public sealed partial class IncidentsPage
{
    private IncidentFeed _feed = default!;
    private IncidentFilter _filter = new();

    [Inject]
    private IncidentService Incidents { get; set; } = default!;

    private string StatusValue => _filter.Status?.ToString() ?? "All";

    public ValueTask DisposeAsync() => _feed.DisposeAsync();

    protected override void OnInitialized()
    {
        _feed = new IncidentFeed(Incidents, action => InvokeAsync(() =>
        {
            action();
            StateHasChanged();
        }));
        _feed.Start();
    }

    private void OnStatusChanged(ChangeEventArgs e) =>
        _filter = _filter with { Status = Enum.TryParse<IncidentStatus>(e.Value as string, out var status) ? status : null };

    private void OnAgentChanged(ChangeEventArgs e) => _filter = _filter with { Agent = e.Value as string };

    private void OnModeChanged(ChangeEventArgs e) =>
        _filter = _filter with { FailureMode = Enum.TryParse<HealthState>(e.Value as string, out var mode) ? mode : null };
}

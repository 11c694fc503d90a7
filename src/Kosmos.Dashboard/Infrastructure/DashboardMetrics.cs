using System.Diagnostics.Metrics;
using Kosmos.Recovery.Actions;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.SignalR;

namespace Kosmos.Dashboard.Infrastructure;

/// <summary>
/// The web app's instruments (meter <see cref="MeterName"/>), exported with the cache's (<c>Kosmos.Cluster.Watching</c>) on
/// /metrics: open hub connections and Blazor circuits, actions by kind and outcome, and how long destructive actions wait
/// for an approval. A singleton; instruments are thread-safe.
/// </summary>
public sealed class DashboardMetrics
{
    public const string MeterName = "Kosmos.Dashboard";

    private readonly Counter<long> _actions;
    private readonly Histogram<double> _approvalWait;

    public DashboardMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        HubConnections = meter.CreateUpDownCounter<long>("kosmos.hub.connections", "{connection}", "Open connections to /hubs/agents.");
        Circuits = meter.CreateUpDownCounter<long>("kosmos.circuits", "{circuit}", "Open Blazor circuits (browser tabs with a live page).");
        _actions = meter.CreateCounter<long>("kosmos.actions", "{action}", "Recovery action attempts by action and outcome (Verified, Refused, Conflict, ...), as audited.");
        // Up-down counters are exported once they have a value: start both at zero, so /metrics shows them from the start.
        HubConnections.Add(0);
        Circuits.Add(0);
        _approvalWait = meter.CreateHistogram<double>("kosmos.approval.wait", "s", "How long an action waited between asking for approval and being approved, rejected or expiring.");
    }

    public UpDownCounter<long> HubConnections { get; }

    public UpDownCounter<long> Circuits { get; }

    /// <summary>One audited attempt.</summary>
    public void RecordAction(ActionOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        _actions.Add(1, new KeyValuePair<string, object?>("action", ActionCatalog.Get(outcome.Kind).Slug), new KeyValuePair<string, object?>("outcome", outcome.Status.ToString()));
    }

    /// <summary>
    /// For the approvals flow: call when a request for approval ends, with how long it waited and how it ended
    /// (<c>approved</c>, <c>rejected</c>, <c>expired</c>, <c>cancelled</c>).
    /// </summary>
    public void RecordApprovalWait(ActionKind kind, string outcome, TimeSpan waited) =>
        _approvalWait.Record(waited.TotalSeconds, new KeyValuePair<string, object?>("action", ActionCatalog.Get(kind).Slug), new KeyValuePair<string, object?>("outcome", outcome));
}

/// <summary>Counts hub connections without touching the hub's code.</summary>
internal sealed class HubConnectionMetricsFilter(DashboardMetrics metrics) : IHubFilter
{
    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        await next(context);
        metrics.HubConnections.Add(1);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        metrics.HubConnections.Add(-1);
        await next(context, exception);
    }
}

/// <summary>Counts open circuits.</summary>
internal sealed class CircuitMetricsHandler(DashboardMetrics metrics) : CircuitHandler
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        metrics.Circuits.Add(1);
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        metrics.Circuits.Add(-1);
        return Task.CompletedTask;
    }
}

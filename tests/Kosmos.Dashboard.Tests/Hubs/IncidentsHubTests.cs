using Kosmos.Dashboard.Incidents;
using Kosmos.Dashboard.Tests.Hosting;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kosmos.Dashboard.Tests.Hubs;

/// <summary>The hub's <c>Incidents</c> stream on the real dashboard watching the demo fleet: a snapshot, then changes.</summary>
[Collection(DashboardHostCollection.Name)]
public sealed class IncidentsHubTests(DashboardHostFixture host) : IAsyncLifetime
{
    private readonly HubConnection _connection = host.NewHubConnection();

    public Task InitializeAsync() => _connection.StartAsync();

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    [Fact]
    public async Task Incidents_Connected_SnapshotFirstThenTheOomSummarizersIncidentWithItsCrash()
    {
        using var deadline = new CancellationTokenSource(DashboardHostFixture.Timeout);
        var messages = new List<IncidentStreamMessage>();
        var known = new Dictionary<Guid, IncidentMessage>();
        await foreach (var message in _connection.StreamAsync<IncidentStreamMessage>("Incidents", deadline.Token))
        {
            messages.Add(message);
            if (message.Type == "snapshot")
            {
                known.Clear();
            }

            foreach (var incident in message.Incidents)
            {
                known[incident.Id] = incident;
            }

            if (known.Values.Any(i => i.Agent == "summarizer" && i.Timeline.Any(e => e.Kind == "Crash")))
            {
                break;
            }
        }

        Assert.Equal("snapshot", messages[0].Type);
        Assert.All(messages.Skip(1), m => Assert.Equal("changes", m.Type));
        var summarizer = known.Values.Single(i => i.Agent == "summarizer" && i.Status == "Open");
        Assert.Equal(("OOMKilled", "OutOfMemory"), (summarizer.FailureMode, summarizer.RunbookSection));
        Assert.Contains(summarizer.Timeline, e => e.Kind == "Crash" && e.Text.Contains("exit code 137", StringComparison.Ordinal) && e.Category == "Evidence");
        Assert.Equal(5, summarizer.Checklist.Count);
    }
}

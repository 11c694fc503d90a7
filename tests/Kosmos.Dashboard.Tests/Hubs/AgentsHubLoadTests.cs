using Kosmos.Dashboard.Tests.Hosting;
using Kosmos.Recovery.Live;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Kosmos.Dashboard.Tests.Hubs;

/// <summary>
/// Viewers share the dashboard's one list+watch per kind: a hundred of them (hub clients and in-process subscribers standing
/// in for Blazor circuits) cost the Kubernetes API server nothing more than one does.
/// </summary>
[Collection(DashboardHostCollection.Name)]
public sealed class AgentsHubLoadTests(DashboardHostFixture host, ITestOutputHelper output)
{
    private const int HubViewers = 50;
    private const int CircuitViewers = 50;
    private static readonly TimeSpan Timeout = DashboardHostFixture.Timeout;

    [Fact]
    public async Task HundredViewers_SnapshotAndChange_NoListOrWatchRequests()
    {
        var board = host.Services.GetRequiredService<IAgentBoard>();
        await using (var one = InProcessBoardView.Start(board))
        {
            await one.WaitUntilAsync(agents => Archivist(agents) is { DesiredPods: 1 }, Timeout, "archivist at one replica");
        }

        var before = await host.GetSimStatsAsync();
        await host.ResetSimStatsAsync();
        var connections = new List<HubConnection>();
        var hubViews = new List<BoardStreamView>();
        var circuitViews = new List<InProcessBoardView>();
        try
        {
            connections.AddRange(await Task.WhenAll(Enumerable.Range(0, HubViewers).Select(async _ =>
            {
                var connection = host.NewHubConnection();
                await connection.StartAsync();
                return connection;
            })));
            hubViews.AddRange(connections.Select(BoardStreamView.Start));
            circuitViews.AddRange(Enumerable.Range(0, CircuitViewers).Select(_ => InProcessBoardView.Start(board)));
            await Task.WhenAll(hubViews.Select(v => v.WaitUntilAsync((agents, _) => agents.Count == DemoFleet.Agents.Count, Timeout, "a snapshot of the fleet")));
            await Task.WhenAll(circuitViews.Select(v => v.WaitUntilAsync(agents => agents.Count == DemoFleet.Agents.Count, Timeout, "a snapshot of the fleet")));

            await host.ScaleAsync("archivist", 2);

            await Task.WhenAll(hubViews.Select(v => v.WaitUntilAsync((agents, _) => agents.GetValueOrDefault("kosmos/archivist") is { DesiredPods: 2 }, Timeout, "archivist scaled to 2")));
            await Task.WhenAll(circuitViews.Select(v => v.WaitUntilAsync(agents => Archivist(agents) is { DesiredPods: 2 }, Timeout, "archivist scaled to 2")));

            var during = await host.GetSimStatsAsync();
            output.WriteLine($"before: {before}");
            output.WriteLine($"with {HubViewers + CircuitViewers} viewers: {during}");
            Assert.Empty(during.WithVerbs("list", "watch"));
            Assert.Equal(before.OpenWatches, during.OpenWatches);

            // All that reached the API server is kubectl's own get and patch of the deployment.
            Assert.All(during.ByResourceVerb.Keys, key => Assert.StartsWith("deployments:", key, StringComparison.Ordinal));
        }
        finally
        {
            await Task.WhenAll(hubViews.Select(v => v.DisposeAsync().AsTask()));
            await Task.WhenAll(circuitViews.Select(v => v.DisposeAsync().AsTask()));
            await Task.WhenAll(connections.Select(c => c.DisposeAsync().AsTask()));
            await host.ScaleAsync("archivist", 1);
        }
    }

    private static AgentSummary? Archivist(IReadOnlyDictionary<string, AgentSummary> agents) => agents.GetValueOrDefault("kosmos/archivist");
}

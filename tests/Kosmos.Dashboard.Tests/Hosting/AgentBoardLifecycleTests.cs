using Kosmos.Cluster.Board;
using Kosmos.Cluster.Connection;
using Kosmos.Cluster.Watching;
using Kosmos.Recovery.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kosmos.Dashboard.Tests.Hosting;

/// <summary>
/// The host may stop the board again after the container disposed it (under WebApplicationFactory both the factory and
/// Program's own RunAsync stop the host), and the container disposes it once per registration: none of that may throw.
/// </summary>
[Collection(DashboardHostCollection.Name)]
public sealed class AgentBoardLifecycleTests(DashboardHostFixture host)
{
    [Fact]
    public async Task StopAndDispose_RepeatedInAnyOrder_NoThrowAndStreamsEnd()
    {
        var board = new AgentBoard(host.Services.GetRequiredService<IClusterCache>(), host.Services.GetRequiredService<ClusterIdentity>(),
            TimeProvider.System, NullLogger<AgentBoard>.Instance);
        await board.StartAsync(CancellationToken.None);
        using var deadline = new CancellationTokenSource(DashboardHostFixture.Timeout);
        await using var updates = board.WatchAsync(deadline.Token).GetAsyncEnumerator(deadline.Token);
        Assert.True(await updates.MoveNextAsync());
        Assert.Equal(8, Assert.IsType<BoardUpdate.Snapshot>(updates.Current).Agents.Count);

        await board.StopAsync(CancellationToken.None);
        await board.DisposeAsync();
        await board.DisposeAsync();
        await board.StopAsync(CancellationToken.None);

        // A reader gets what was already queued, then the end of the stream (no resync snapshot: the board is gone).
        while (await updates.MoveNextAsync())
        {
            Assert.IsType<BoardUpdate.Changes>(updates.Current);
        }
    }
}

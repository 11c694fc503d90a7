using Kosmos.Cluster.Board;
using Kosmos.Cluster.Connection;
using Kosmos.Cluster.Tests.Watching.Support;
using Kosmos.Recovery.Live;
using Kosmos.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kosmos.Cluster.Tests.Board;

/// <summary>The board's two streams against a real cache on the simulator: their first item, their changes, their resync.</summary>
public sealed class AgentBoardWatchTests(EmptySimulatorFixture sim) : IClassFixture<EmptySimulatorFixture>
{
    private static readonly TimeSpan Timeout = CacheHarness.Timeout;

    [Fact]
    public async Task WatchAsync_ReaderFallsBehind_ChangesSoFarThenFreshSnapshotAfterResync()
    {
        await using var h = await CacheHarness.StartAsync(sim, seed: (api, ns) => api.CreatePodAsync(ns, "first", app: "first"));
        await using var board = await StartBoardAsync(h);
        using var deadline = new CancellationTokenSource(Timeout * 3);
        await using var updates = board.WatchAsync(deadline.Token).GetAsyncEnumerator(deadline.Token);

        // The snapshot is there without waiting: a page shows it in its first render.
        var first = updates.MoveNextAsync();
        Assert.True(first.IsCompletedSuccessfully);
        Assert.True(await first);
        var snapshot = Assert.IsType<BoardUpdate.Snapshot>(updates.Current);
        Assert.Equal(["first"], snapshot.Agents.Select(a => a.Name));
        Assert.False(snapshot.AfterResync);

        // One new agent per board update, unread: more than the board queues for one reader.
        const int Agents = 80;
        for (var i = 0; i < Agents; i++)
        {
            var name = $"agent-{i:D2}";
            await h.Api.CreatePodAsync(h.Namespace, name, app: name);
            await Eventually.Until(() => Task.FromResult(board.GetDetail(h.Namespace, name)), d => d is not null, Timeout, $"{name} on the board");
        }

        // What was queued comes as one catch-up update, then a fresh snapshot replaces it all.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        BoardUpdate.Snapshot? resync = null;
        while (resync is null && await updates.MoveNextAsync())
        {
            switch (updates.Current)
            {
                case BoardUpdate.Changes changes:
                    seen.UnionWith(changes.Items.Select(c => c.Key));
                    break;
                case BoardUpdate.Snapshot s:
                    resync = s;
                    break;
            }
        }

        Assert.NotNull(resync);
        Assert.True(resync.AfterResync);
        Assert.Equal(Agents + 1, resync.Agents.Count);
        Assert.InRange(seen.Count, 1, Agents - 1);

        // And the stream goes on from there.
        await h.Api.CreatePodAsync(h.Namespace, "after", app: "after");
        while (await updates.MoveNextAsync())
        {
            if (updates.Current is BoardUpdate.Changes changes && changes.Items.Any(c => c.Key == AgentKey.Of(h.Namespace, "after")))
            {
                return;
            }
        }

        Assert.Fail("the stream ended before the agent created after the resync arrived");
    }

    [Fact]
    public async Task WatchDetailAsync_AgentChangesAndGoes_CurrentThenChangesThenNull()
    {
        await using var h = await CacheHarness.StartAsync(sim, seed: (api, ns) => api.CreatePodAsync(ns, "solo", app: "solo"));
        await using var board = await StartBoardAsync(h);
        using var deadline = new CancellationTokenSource(Timeout);
        await using var details = board.WatchDetailAsync(h.Namespace, "solo", deadline.Token).GetAsyncEnumerator(deadline.Token);

        var first = details.MoveNextAsync();
        Assert.True(first.IsCompletedSuccessfully);
        Assert.True(await first);
        Assert.Equal(["solo"], details.Current!.Pods.Select(p => p.Name));

        await h.Api.CreatePodAsync(h.Namespace, "solo-2", app: "solo");
        while (await details.MoveNextAsync() && details.Current?.Pods.Count != 2)
        {
        }

        Assert.Equal(["solo", "solo-2"], details.Current!.Pods.Select(p => p.Name).Order(StringComparer.Ordinal));

        await h.Api.DeletePodAsync(h.Namespace, "solo");
        await h.Api.DeletePodAsync(h.Namespace, "solo-2");
        while (await details.MoveNextAsync() && details.Current is not null)
        {
        }

        Assert.Null(details.Current);
    }

    [Fact]
    public async Task WatchAsync_BoardStops_StreamEnds()
    {
        await using var h = await CacheHarness.StartAsync(sim);
        var board = await StartBoardAsync(h);
        using var deadline = new CancellationTokenSource(Timeout);
        await using var updates = board.WatchAsync(deadline.Token).GetAsyncEnumerator(deadline.Token);
        Assert.True(await updates.MoveNextAsync());

        await board.DisposeAsync();

        Assert.False(await updates.MoveNextAsync());
    }

    private static async Task<AgentBoard> StartBoardAsync(CacheHarness h)
    {
        var board = new AgentBoard(h.Cache, new ClusterIdentity("simulated", h.Sim.Url.ToString(), IsSimulated: true), TimeProvider.System, NullLogger<AgentBoard>.Instance);
        await board.StartAsync(CancellationToken.None);
        return board;
    }
}

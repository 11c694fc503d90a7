using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Dashboard.ViewModels;
using Kosmos.Recovery.Health;
using Kosmos.Recovery.Live;
using Kosmos.TestSupport;

namespace Kosmos.Dashboard.Tests.ViewModels;

public sealed class BoardFeedTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    // Stands in for the renderer: runs each action under one lock, as the renderer's single thread would.
    private readonly Lock _renderer = new();

    [Fact]
    public async Task Start_Snapshot_AppliedSynchronously()
    {
        var board = new FakeAgentBoard(TestData.Agent("b"), TestData.Agent("a", HealthState.OOMKilled));
        await using var feed = NewFeed(board);

        feed.Start();

        Assert.Equal(["a", "b"], feed.State.All.Select(a => a.Name));
    }

    [Fact]
    public async Task Changes_Pushed_AppliedOnTheRenderer()
    {
        var board = new FakeAgentBoard(TestData.Agent("a"));
        await using var feed = NewFeed(board);
        feed.Start();

        board.Upsert(TestData.Agent("b", HealthState.Pending));
        board.Remove(AgentKey.Of(TestData.Ns, "a"));

        await Eventually.Until(() => Names(feed) == "b", Timeout, "the pushed changes to be applied");
    }

    [Fact]
    public async Task Resynced_ChannelCompleted_ResubscribesFromFreshSnapshot()
    {
        var board = new FakeAgentBoard(TestData.Agent("a"));
        await using var feed = NewFeed(board);
        feed.Start();

        board.ResyncAll(TestData.Agent("x"), TestData.Agent("y"));

        await Eventually.Until(() => Names(feed) == "x,y", Timeout, "the fresh snapshot");
        Assert.Equal(1, feed.Resubscriptions);
        Assert.Equal(1, board.ActiveSubscriptions);
    }

    [Fact]
    public async Task StatusChanged_Raised_StatusFollows()
    {
        var board = new FakeAgentBoard();
        await using var feed = NewFeed(board);
        feed.Start();

        board.SetStatus(TestData.SyncingStatus());

        await Eventually.Until(() => !Read(() => feed.Status.IsSynced), Timeout, "the new status");
    }

    [Fact]
    public async Task DisposeAsync_Running_LoopEndsAndSubscriptionReleased()
    {
        var board = new FakeAgentBoard(TestData.Agent("a"));
        var feed = NewFeed(board);
        feed.Start();

        await feed.DisposeAsync();

        Assert.Equal(0, board.ActiveSubscriptions);
        Assert.Equal(0, board.StatusListeners);
        Assert.Null(feed.Failure);
    }

    private BoardFeed NewFeed(FakeAgentBoard board) => new(board, action =>
    {
        lock (_renderer)
        {
            action();
        }

        return Task.CompletedTask;
    });

    private string Names(BoardFeed feed) => Read(() => string.Join(",", feed.State.All.Select(a => a.Name)));

    private T Read<T>(Func<T> read)
    {
        lock (_renderer)
        {
            return read();
        }
    }
}

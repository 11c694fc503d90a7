using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Kosmos.Dashboard.ViewModels;
using Kosmos.TestSupport;

namespace Kosmos.Dashboard.Tests.ViewModels;

public sealed class LiveFeedTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly Lock _renderer = new();
    private readonly List<int> _applied = [];

    [Fact]
    public async Task Start_FirstItemReady_AppliedSynchronouslyRestOnRenderer()
    {
        var source = Channel.CreateUnbounded<int>();
        source.Writer.TryWrite(1);
        await using var feed = NewFeed(ct => ReadyFirst(1, source.Reader, ct));

        feed.Start();
        Assert.Equal([1], Applied());

        source.Writer.TryWrite(2);
        await Eventually.Until(() => Applied().Count == 2, Timeout, "the second item");
        Assert.Equal([1, 2], Applied());
    }

    [Fact]
    public async Task Start_FirstItemNotReady_AppliedOnRendererWhenItComes()
    {
        var source = Channel.CreateUnbounded<int>();
        await using var feed = NewFeed(source.Reader.ReadAllAsync);

        feed.Start();
        Assert.Empty(Applied());

        source.Writer.TryWrite(7);
        source.Writer.TryWrite(8);
        await Eventually.Until(() => Applied().Count == 2, Timeout, "both items");
        Assert.Equal([7, 8], Applied());
    }

    [Fact]
    public async Task Stream_Throws_FailureRecorded()
    {
        var source = Channel.CreateUnbounded<int>();
        await using var feed = NewFeed(source.Reader.ReadAllAsync);
        feed.Start();

        source.Writer.TryComplete(new InvalidOperationException("the board broke"));

        await Eventually.Until(() => Read(() => feed.Failure) is not null, Timeout, "the failure");
        Assert.Equal("the board broke", Read(() => feed.Failure));
    }

    [Fact]
    public async Task DisposeAsync_Waiting_StreamCancelledAndReleased()
    {
        var released = new TaskCompletionSource();
        var feed = NewFeed(ct => Endless(released, ct));
        feed.Start();

        await feed.DisposeAsync();

        Assert.True(released.Task.IsCompleted);
        Assert.Null(feed.Failure);
    }

    private static async IAsyncEnumerable<int> ReadyFirst(int first, ChannelReader<int> rest, [EnumeratorCancellation] CancellationToken ct)
    {
        yield return first;
        rest.TryRead(out _);
        await foreach (var item in rest.ReadAllAsync(ct))
        {
            yield return item;
        }
    }

    private static async IAsyncEnumerable<int> Endless(TaskCompletionSource released, [EnumeratorCancellation] CancellationToken ct)
    {
        try
        {
            yield return 0;
            await Task.Delay(System.Threading.Timeout.Infinite, ct);
        }
        finally
        {
            released.SetResult();
        }
    }

    private LiveFeed<int> NewFeed(Func<CancellationToken, IAsyncEnumerable<int>> watch) => new(watch, item => _applied.Add(item), action =>
    {
        lock (_renderer)
        {
            action();
        }

        return Task.CompletedTask;
    });

    private List<int> Applied() => Read(() => _applied.ToList());

    private T Read<T>(Func<T> read)
    {
        lock (_renderer)
        {
            return read();
        }
    }
}

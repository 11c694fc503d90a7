using Kosmos.KubeSim.Runtime;

namespace Kosmos.KubeSim.Tests.Runtime;

public sealed class ContainerLogTests
{
    [Fact]
    public async Task Follow_GetsLinesAppendedAfterSubscribing_AndEndsWhenTheInstanceEnds()
    {
        var log = new ContainerLog(TimeProvider.System);
        log.Append("before");
        var follow = log.Follow(CancellationToken.None);

        log.Append("one");
        log.Append("two");
        log.Close();
        log.Append("after the end");

        var seen = new List<string>();
        await foreach (var line in follow.WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token))
        {
            seen.Add(line.Text);
        }

        Assert.Equal(["one", "two"], seen);
        Assert.Equal(["before", "one", "two"], log.Snapshot().Select(l => l.Text));
    }

    [Fact]
    public void Append_KeepsTheLastLinesOnly()
    {
        var log = new ContainerLog(TimeProvider.System);
        for (var i = 0; i < ContainerLog.Capacity + 10; i++)
        {
            log.Append($"line {i}");
        }

        var lines = log.Snapshot();
        Assert.Equal(ContainerLog.Capacity, lines.Count);
        Assert.Equal("line 10", lines[0].Text);
    }
}

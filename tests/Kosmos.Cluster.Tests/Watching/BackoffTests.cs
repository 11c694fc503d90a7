using Kosmos.Cluster.Watching;

namespace Kosmos.Cluster.Tests.Watching;

public sealed class BackoffTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    [Fact]
    public void Next_NoJitter_DoublesUpToTheCap()
    {
        var backoff = new Backoff(Initial, Max, () => 0);

        var delays = Enumerable.Range(0, 11).Select(_ => backoff.Next().TotalMilliseconds).ToList();

        Assert.Equal([200, 400, 800, 1600, 3200, 6400, 12800, 25600, 30000, 30000, 30000], delays);
        Assert.Equal(11, backoff.Failures);
    }

    [Fact]
    public void Next_FullJitter_StretchesByAtMostAQuarterAndNeverPassesTheCap()
    {
        var backoff = new Backoff(Initial, Max, () => 0.999);

        var delays = Enumerable.Range(0, 10).Select(_ => backoff.Next()).ToList();

        Assert.InRange(delays[0].TotalMilliseconds, 249, 250);
        Assert.InRange(delays[1].TotalMilliseconds, 499, 500);
        Assert.All(delays, d => Assert.True(d <= Max));
        Assert.Equal(Max, delays[^1]);
    }

    [Fact]
    public void Reset_AfterFailures_StartsAgainFromTheInitialDelay()
    {
        var backoff = new Backoff(Initial, Max, () => 0);
        backoff.Next();
        backoff.Next();
        backoff.Next();

        backoff.Reset();

        Assert.Equal(Initial, backoff.Next());
        Assert.Equal(1, backoff.Failures);
    }

    [Theory]
    [InlineData(1_000, 1_000)]
    [InlineData(100, 200)]
    [InlineData(120_000, 30_000)]
    public void Next_RetryAfter_IsHonouredUpToTheCap(int retryAfterMs, int expectedMs)
    {
        var backoff = new Backoff(Initial, Max, () => 0);

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), backoff.Next(TimeSpan.FromMilliseconds(retryAfterMs)));
    }
}

using Kosmos.KubeSim;
using Microsoft.Extensions.Time.Testing;

namespace Kosmos.KubeSim.Tests.Control;

public class ScaledTimeProviderTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void GetUtcNow_AnyScale_IsTheInnerWallClock()
    {
        var inner = new FakeTimeProvider(Start);
        var time = new ScaledTimeProvider(inner, 60);

        inner.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(Start.AddSeconds(2), time.GetUtcNow());
    }

    [Fact]
    public async Task Delay_Scale60_FiresAfterOneSixtiethOfTheInnerTime()
    {
        var inner = new FakeTimeProvider(Start);
        var time = new ScaledTimeProvider(inner, 60);

        var delay = Task.Delay(TimeSpan.FromMinutes(1), time);
        inner.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(delay.IsCompleted);
        inner.Advance(TimeSpan.FromMilliseconds(1));

        await delay.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void GetElapsedTime_Scale60_IsSimulatedTime()
    {
        var inner = new FakeTimeProvider(Start);
        var time = new ScaledTimeProvider(inner, 60);
        var started = time.GetTimestamp();

        inner.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(TimeSpan.FromMinutes(5), time.GetElapsedTime(started));
    }

    [Fact]
    public void Scale_ChangedWhileRunning_TimestampsStayMonotonicAndUseTheNewRate()
    {
        var inner = new FakeTimeProvider(Start);
        var time = new ScaledTimeProvider(inner, 60);
        var started = time.GetTimestamp();
        inner.Advance(TimeSpan.FromSeconds(1));

        time.Scale = 1;
        inner.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.FromSeconds(61), time.GetElapsedTime(started));
    }

    [Fact]
    public void Between_Scale30_MultipliesTheWallClockGap()
    {
        var time = new ScaledTimeProvider(new FakeTimeProvider(Start), 30);

        Assert.Equal(TimeSpan.FromMinutes(1), time.Between(Start, Start.AddSeconds(2)));
    }

    [Fact]
    public void Timer_ChangedAfterCreation_ScalesTheNewPeriod()
    {
        var inner = new FakeTimeProvider(Start);
        var time = new ScaledTimeProvider(inner, 10);
        var fired = 0;
        using var timer = time.CreateTimer(_ => Interlocked.Increment(ref fired), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        timer.Change(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
        inner.Advance(TimeSpan.FromSeconds(3));

        // The fake clock runs due callbacks inside Advance: three ticks of a 1 s (inner) period.
        Assert.Equal(3, Volatile.Read(ref fired));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(10_001)]
    [InlineData(double.NaN)]
    public void Scale_OutOfRange_Throws(double scale)
    {
        var time = new ScaledTimeProvider(TimeProvider.System);

        Assert.Throws<ArgumentOutOfRangeException>(() => time.Scale = scale);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScaledTimeProvider(TimeProvider.System, scale));
    }
}

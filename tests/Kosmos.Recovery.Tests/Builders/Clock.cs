namespace Kosmos.Recovery.Tests.Builders;

/// <summary>Fixed instants: tests pass <c>now</c> explicitly, so nothing depends on the wall clock.</summary>
internal static class Clock
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset At(int minutes, int seconds = 0) => T0.AddMinutes(minutes).AddSeconds(seconds);
}

namespace Kosmos.Dashboard.Tests.Fakes;

/// <summary>A clock that says what the test says, so "5m ago" texts are exact. Timers still run on real time.</summary>
public sealed class FakeTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

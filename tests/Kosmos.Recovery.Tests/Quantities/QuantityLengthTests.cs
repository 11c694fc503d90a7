using System.Diagnostics;
using Kosmos.Recovery.Quantities;

namespace Kosmos.Recovery.Tests.Quantities;

public sealed class QuantityLengthTests
{
    [Fact]
    public void TryParse_TenMegabyteDigitString_RefusedAtOnceWithoutEchoingIt()
    {
        var huge = new string('9', 10 * 1024 * 1024);
        var started = Stopwatch.GetTimestamp();

        var parsed = Quantity.TryParse(huge, out _, out var error);

        Assert.False(parsed);
        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(1), "parsing was attempted");
        Assert.Equal($"quantities are at most {Quantity.MaxLength} characters long (this one has 10485760)", error);
    }

    [Theory]
    [InlineData(64, true)]
    [InlineData(65, false)]
    public void TryParse_AtTheCap_ParsedAboveRefused(int length, bool expected)
    {
        Assert.Equal(expected, Quantity.TryParse(new string('1', length), out _, out _));
    }
}

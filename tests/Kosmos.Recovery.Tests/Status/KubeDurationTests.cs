using Kosmos.Recovery.Status;

namespace Kosmos.Recovery.Tests.Status;

public sealed class KubeDurationTests
{
    [Theory]
    [InlineData(-3, "<invalid>")]
    [InlineData(-1, "0s")]
    [InlineData(0, "0s")]
    [InlineData(59, "59s")]
    [InlineData(119, "119s")]
    [InlineData(120, "2m")]
    [InlineData(150, "2m30s")]
    [InlineData(599, "9m59s")]
    [InlineData(600, "10m")]
    [InlineData(10_799, "179m")]
    [InlineData(10_800, "3h")]
    [InlineData(11_100, "3h5m")]
    [InlineData(28_800, "8h")]
    [InlineData(47 * 3600, "47h")]
    [InlineData(48 * 3600, "2d")]
    [InlineData(51 * 3600, "2d3h")]
    [InlineData(8 * 86_400, "8d")]
    [InlineData(729 * 86_400, "729d")]
    [InlineData(730 * 86_400, "2y")]
    [InlineData(740 * 86_400, "2y10d")]
    [InlineData(8 * 365 * 86_400, "8y")]
    public void Format_Seconds_MatchesApimachineryHumanDuration(long seconds, string expected)
    {
        Assert.Equal(expected, KubeDuration.Format(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void Format_FractionOfASecond_Truncates()
    {
        Assert.Equal("1s", KubeDuration.Format(TimeSpan.FromMilliseconds(1999)));
    }

    [Fact]
    public void Since_NoTimestamp_IsUnknown()
    {
        Assert.Equal("<unknown>", KubeDuration.Since(null, DateTimeOffset.UnixEpoch));
    }
}

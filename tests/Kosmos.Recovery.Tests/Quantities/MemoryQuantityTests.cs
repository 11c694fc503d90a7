using Kosmos.Recovery.Quantities;

namespace Kosmos.Recovery.Tests.Quantities;

public sealed class MemoryQuantityTests
{
    [Theory]
    [InlineData("512Mi", 512L * 1024 * 1024)]
    [InlineData("1Gi", 1024L * 1024 * 1024)]
    [InlineData("1.5Gi", 1536L * 1024 * 1024)]
    [InlineData("100Ki", 102400L)]
    [InlineData("500M", 500_000_000L)]
    [InlineData("2G", 2_000_000_000L)]
    [InlineData("1e9", 1_000_000_000L)]
    [InlineData("134217728", 134217728L)]
    [InlineData(" 256Mi ", 256L * 1024 * 1024)]
    public void Parse_Quantity_Bytes(string text, long expected) => Assert.Equal(expected, MemoryQuantity.Parse(text));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("lots")]
    [InlineData("12Qi")]
    [InlineData("-5Mi")]
    public void Parse_NotAQuantity_Null(string? text) => Assert.Null(MemoryQuantity.Parse(text));

    [Theory]
    [InlineData(2L * 1024 * 1024 * 1024, "2Gi")]
    [InlineData(1536L * 1024 * 1024, "1536Mi")]
    [InlineData(100L * 1024, "100Ki")]
    [InlineData(1000L, "1000")]
    public void Format_Bytes_ShortestExactBinaryForm(long bytes, string expected) => Assert.Equal(expected, MemoryQuantity.Format(bytes));

    [Theory]
    [InlineData("512Mi", "1Gi")]
    [InlineData("256Mi", "512Mi")]
    [InlineData("100Mi", "256Mi")]
    [InlineData("300Mi", "640Mi")]
    [InlineData("1Gi", "2Gi")]
    [InlineData("768Mi", "1536Mi")]
    [InlineData("1.2Gi", "2560Mi")]
    [InlineData("500M", "960Mi")]
    [InlineData("2Gi", "4Gi")]
    public void SuggestLimit_CurrentLimit_DoubledAndRoundedUp(string current, string expected) =>
        Assert.Equal(expected, MemoryQuantity.Format(MemoryQuantity.SuggestLimit(MemoryQuantity.Parse(current)!.Value)));
}

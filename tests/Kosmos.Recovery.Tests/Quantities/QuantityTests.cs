using System.Text.Json.Nodes;
using Kosmos.Recovery.Quantities;

namespace Kosmos.Recovery.Tests.Quantities;

public sealed class QuantityTests
{
    private const string RegexMessage = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

    // input, what the API server stores/prints, value in base units (as a decimal literal)
    [Theory]
    [InlineData("2Gi", "2Gi", "2147483648")]
    [InlineData("1Gi", "1Gi", "1073741824")]
    [InlineData("128Mi", "128Mi", "134217728")]
    [InlineData("1024Mi", "1Gi", "1073741824")]
    [InlineData("1000Mi", "1000Mi", "1048576000")]
    [InlineData("1.5Gi", "1536Mi", "1610612736")]
    [InlineData("0.5Gi", "512Mi", "536870912")]
    [InlineData("0.5Ki", "512", "512")]
    [InlineData("1.5", "1500m", "1.5")]
    [InlineData("500m", "500m", "0.5")]
    [InlineData("1000m", "1", "1")]
    [InlineData("0.1", "100m", "0.1")]
    [InlineData(".5", "500m", "0.5")]
    [InlineData("1e3", "1e3", "1000")]
    [InlineData("1E3", "1E3", "1000")]
    [InlineData("1e4", "10e3", "10000")]
    [InlineData("12e6", "12e6", "12000000")]
    [InlineData("1e-3", "1e-3", "0.001")]
    [InlineData("1000", "1k", "1000")]
    [InlineData("100", "100", "100")]
    [InlineData("1k", "1k", "1000")]
    [InlineData("1M", "1M", "1000000")]
    [InlineData("1E", "1E", "1000000000000000000")]
    [InlineData("1n", "1n", "0.000000001")]
    [InlineData("0.1n", "1n", "0.000000001")]
    [InlineData("1u", "1u", "0.000001")]
    [InlineData("0", "0", "0")]
    [InlineData("0Gi", "0", "0")]
    [InlineData("+1", "+1", "1")]
    [InlineData("-1", "-1", "-1")]
    [InlineData("1.0", "1", "1")]
    [InlineData("16Ei", "9223372036854775807", "9223372036854775807")]
    public void Parse_ValidQuantity_GivesServerStringAndValue(string input, string canonical, string value)
    {
        var quantity = Quantity.Parse(input);

        Assert.Equal(canonical, quantity.ToString());
        Assert.Equal(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), quantity.ToDecimal());
        Assert.True(Quantity.TryParse(input, out var again));
        Assert.Equal(quantity, again);
    }

    [Theory]
    [InlineData("", RegexMessage)]
    [InlineData("2Gx", RegexMessage)]
    [InlineData("abc", RegexMessage)]
    [InlineData("1.5.5", RegexMessage)]
    [InlineData(" 1", RegexMessage)]
    [InlineData("1 ", RegexMessage)]
    [InlineData("--1", Quantity.SuffixError)]
    [InlineData("1K", Quantity.SuffixError)]
    [InlineData("1e", Quantity.SuffixError)]
    [InlineData("1Mii", Quantity.SuffixError)]
    public void TryParse_InvalidQuantity_FailsWithServerMessage(string input, string message)
    {
        Assert.False(Quantity.TryParse(input, out _, out var error));
        Assert.Equal(message, error);
        var exception = Assert.Throws<FormatException>(() => Quantity.Parse(input));
        Assert.Equal(message, exception.Message);
    }

    /// <summary>
    /// The edges of the grammar, as <c>k8s.io/apimachinery</c>'s <c>ParseQuantity</c> reads them: input, what the API
    /// server stores (or <c>error: </c> and its message), value in base units. The parser wants no digit: a lone suffix,
    /// sign or point is zero ("Mi" is 0, as <c>kubectl create quota --hard=memory=Mi</c> shows). White space is an
    /// error here; only the JSON decoder trims it (see <see cref="Decode_TrimsLikeTheJsonDecoder"/>).
    /// QuantityKubectlTests runs every row through the real kubectl's parser.
    /// </summary>
    public static TheoryData<string, string, string?> Grammar => new()
    {
        { "Mi", "0", "0" },
        { "Ki", "0", "0" },
        { "m", "0", "0" },
        { "+", "0", "0" },
        { "-", "0", "0" },
        { ".", "0", "0" },
        { "e3", "0", "0" },
        { "00", "0", "0" },
        { "-0", "0", "0" },
        { "1.", "1.", "1" },
        { ".5", "500m", "0.5" },
        { "1e3", "1e3", "1000" },
        { "1e+3", "1e+3", "1000" },
        { "1E", "1E", "1000000000000000000" },
        { "1Ki", "1Ki", "1024" },
        { "1.Gi", "1.Gi", "1073741824" },
        { "-1", "-1", "-1" },
        { "-1Gi", "-1Gi", "-1073741824" },
        { "1.5Gi", "1536Mi", "1610612736" },
        { "0.1m", "100u", "0.0001" },
        { "0.0001n", "1n", "0.000000001" },
        { "1Ei", "1Ei", "1152921504606846976" },
        { "7Ei", "7Ei", "8070450532247928832" },
        { "1.5Ei", "1536Pi", "1729382256910270464" },
        { "8Ei", "9223372036854775807", "9223372036854775807" },
        { "-16Ei", "-9223372036854775807", "-9223372036854775807" },
        { "", "error: " + RegexMessage, null },
        { " 1", "error: " + RegexMessage, null },
        { "1 ", "error: " + RegexMessage, null },
        { "1\t", "error: " + RegexMessage, null },
        { "1ki", "error: " + Quantity.SuffixError, null },
        { "1e", "error: " + Quantity.SuffixError, null },
        { "1Gii", "error: " + Quantity.SuffixError, null },
        { "1K", "error: " + Quantity.SuffixError, null },
    };

    [Theory]
    [MemberData(nameof(Grammar))]
    public void TryParse_GrammarEdges_AreReadAsApimachineryReadsThem(string input, string stored, string? value)
    {
        var parsed = Quantity.TryParse(input, out var quantity, out var error);

        Assert.Equal(stored, parsed ? quantity.ToString() : "error: " + error);
        Assert.Equal(value, parsed ? quantity.ToDecimal().ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
    }

    [Theory]
    [InlineData(" 2Gi", "2Gi")]
    [InlineData("500m\n", "500m")]
    [InlineData("\t1e3 ", "1e3")]
    [InlineData("Mi", "0")]
    [InlineData("1 Gi", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Decode_TrimsLikeTheJsonDecoder(string? text, string? stored)
    {
        Assert.Equal(stored, Quantity.Decode(text)?.ToString());
        Assert.Equal(stored, Quantity.Decode(text is null ? null : JsonValue.Create(text))?.ToString());
    }

    [Theory]
    [InlineData("2", "2")]
    [InlineData("1.5", "1500m")]
    [InlineData("1e3", "1e3")]
    public void Decode_JsonNumber_IsReadAsItsText(string number, string stored) =>
        Assert.Equal(stored, Quantity.Decode(JsonNode.Parse(number))?.ToString());

    [Fact]
    public void Decode_NotAStringOrNumber_IsNull()
    {
        Assert.Null(Quantity.Decode(JsonNode.Parse("true")));
        Assert.Null(Quantity.Decode(JsonNode.Parse("{}")));
        Assert.Null(Quantity.Decode((JsonNode?)null));
    }

    // input, Value() (whole base units, away from zero), MilliValue()
    [Theory]
    [InlineData("500m", 1L, 500L)]
    [InlineData("2", 2L, 2000L)]
    [InlineData("1.5", 2L, 1500L)]
    [InlineData("1n", 1L, 1L)]
    [InlineData("0", 0L, 0L)]
    [InlineData("Mi", 0L, 0L)]
    [InlineData("256Mi", 268435456L, 268435456000L)]
    [InlineData("-1.5", -2L, -1500L)]
    [InlineData("8Ei", long.MaxValue, long.MaxValue)]
    [InlineData("1e30", long.MaxValue, long.MaxValue)]
    [InlineData("-1e30", long.MinValue, long.MinValue)]
    public void ValueAndMilliValue_RoundAwayFromZero_AndSaturate(string input, long value, long milli)
    {
        var quantity = Quantity.Parse(input);

        Assert.Equal((value, milli), (quantity.Value(), quantity.MilliValue()));
    }

    [Theory]
    [InlineData(734003200L, "700Mi")]
    [InlineData(1073741824L, "1Gi")]
    [InlineData(1610612736L, "1.5Gi")]
    [InlineData(100L * 1024 * 1024 + 1, "100Mi")]
    public void FormatBytes_IsTheBinaryUnitOfTheLogs(long bytes, string expected) => Assert.Equal(expected, Quantity.FormatBytes(bytes));

    [Fact]
    public void FormatError_IsTheApiServerMessage()
    {
        Assert.Equal(RegexMessage, Quantity.FormatError);
    }

    [Theory]
    [InlineData("1Gi", "1G", 1)]
    [InlineData("1000m", "1", 0)]
    [InlineData("1.5", "1500m", 0)]
    [InlineData("2Gi", "3Gi", -1)]
    [InlineData("-1", "0", -1)]
    [InlineData("100Mi", "0.1Gi", -1)]
    [InlineData("1e3", "1k", 0)]
    public void CompareTo_TwoQuantities_ComparesByValue(string left, string right, int expectedSign)
    {
        var a = Quantity.Parse(left);
        var b = Quantity.Parse(right);

        Assert.Equal(expectedSign, Math.Sign(a.CompareTo(b)));
        Assert.Equal(expectedSign == 0, a == b);
        Assert.Equal(expectedSign > 0, a > b);
        Assert.Equal(expectedSign < 0, a < b);
        if (expectedSign == 0)
        {
            Assert.Equal(a.GetHashCode(), b.GetHashCode());
        }
    }

    [Theory]
    [InlineData("2Gi", QuantityFormat.BinarySI)]
    [InlineData("500m", QuantityFormat.DecimalSI)]
    [InlineData("1e3", QuantityFormat.DecimalExponent)]
    [InlineData("0.5Ki", QuantityFormat.BinarySI)]
    public void Parse_Suffix_DecidesFormat(string input, QuantityFormat format)
    {
        Assert.Equal(format, Quantity.Parse(input).Format);
    }
}

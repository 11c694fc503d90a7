using Kosmos.KubeSim.Machinery;

namespace Kosmos.KubeSim.Tests.Machinery;

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

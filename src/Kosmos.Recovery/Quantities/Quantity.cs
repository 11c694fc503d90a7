using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kosmos.Recovery.Quantities;

/// <summary>How a quantity was written, which decides how it is printed back.</summary>
public enum QuantityFormat
{
    /// <summary>Decimal SI suffixes: n u m "" k M G T P E (e.g. <c>500m</c>, <c>1k</c>).</summary>
    DecimalSI,

    /// <summary>Binary SI suffixes: Ki Mi Gi Ti Pi Ei (e.g. <c>2Gi</c>).</summary>
    BinarySI,

    /// <summary>Decimal exponent: <c>1e3</c>, <c>12E-3</c>.</summary>
    DecimalExponent,
}

/// <summary>
/// A Kubernetes resource quantity (<c>k8s.io/apimachinery/pkg/api/resource.Quantity</c>): parsed with the same
/// grammar, rounding and error messages, and printed in the same canonical form (<c>1.5</c> → <c>1500m</c>,
/// <c>1000</c> → <c>1k</c>, <c>1024Mi</c> → <c>1Gi</c>). Values are exact; anything finer than 1n is rounded away
/// from zero to the next nano unit, and binary-suffixed values are capped at 2^63-1 as the real type does.
/// Immutable and thread-safe.
/// </summary>
/// <remarks>
/// The one quantity grammar of the solution: the simulator validates and stores quantities with it, and the dashboard and
/// the cluster actions validate what a person types with it, so both always agree with each other and with kubectl.
/// </remarks>
public readonly struct Quantity : IEquatable<Quantity>, IComparable<Quantity>
{
    /// <summary>The message the API server gives for a quantity that does not follow the grammar.</summary>
    public const string FormatError = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

    /// <summary>The message for a numeric part that cannot be read (e.g. too many digits for the fast path and the slow path).</summary>
    public const string NumericError = "unable to parse numeric part of quantity";

    /// <summary>The message for a suffix that the grammar allows but no unit matches (e.g. <c>1K</c>, <c>--1</c>).</summary>
    public const string SuffixError = "unable to parse quantity's suffix";

    private const int NanoScale = -9;
    private const int MaxInt64Digits = 18;

    private static readonly BigInteger MaxBinary = long.MaxValue;

    private static readonly Dictionary<string, int> DecimalSuffixes = new(StringComparer.Ordinal)
    {
        ["n"] = -9, ["u"] = -6, ["m"] = -3, [""] = 0, ["k"] = 3, ["M"] = 6, ["G"] = 9, ["T"] = 12, ["P"] = 15, ["E"] = 18,
    };

    private static readonly Dictionary<string, int> BinarySuffixes = new(StringComparer.Ordinal)
    {
        ["Ki"] = 10, ["Mi"] = 20, ["Gi"] = 30, ["Ti"] = 40, ["Pi"] = 50, ["Ei"] = 60,
    };

    // value = _mantissa * 10^_exponent, with _exponent >= -9.
    private readonly BigInteger _mantissa;
    private readonly int _exponent;
    private readonly string? _text;

    private Quantity(BigInteger mantissa, int exponent, QuantityFormat format, string? text)
    {
        _mantissa = mantissa;
        _exponent = exponent;
        Format = format;
        _text = text;
    }

    public QuantityFormat Format { get; }

    public bool IsZero => _mantissa.IsZero;

    /// <summary>-1, 0 or 1.</summary>
    public int Sign => _mantissa.Sign;

    /// <summary>Parses a quantity such as <c>2Gi</c>, <c>500m</c>, <c>1.5</c> or <c>1e3</c>.</summary>
    /// <exception cref="FormatException">With the API server's message (<see cref="FormatError"/>, <see cref="SuffixError"/> or <see cref="NumericError"/>).</exception>
    public static Quantity Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var quantity, out var error) ? quantity : throw new FormatException(error);
    }

    /// <summary>The longest text <see cref="TryParse(string?, out Quantity, out string?)"/> looks at; longer is refused unparsed.</summary>
    public const int MaxLength = 64;

    public static bool TryParse([NotNullWhen(true)] string? text, out Quantity quantity) => TryParse(text, out quantity, out _);

    /// <summary>
    /// <paramref name="text"/> as an error message may echo it: whole when short, otherwise its first characters, an ellipsis
    /// and the length, so that a huge input is neither sent back nor logged.
    /// </summary>
    public static string Excerpt(string? text, int max = 24)
    {
        if (text is null || text.Length <= max)
        {
            return text ?? "";
        }

        return $"{text[..max]}… ({text.Length} characters)";
    }

    /// <summary>Parses without throwing; <paramref name="error"/> is the API server's message on failure.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Quantity quantity, [NotNullWhen(false)] out string? error)
    {
        quantity = default;
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            error = FormatError;
            return false;
        }

        // Checked before any parsing: the digits go through BigInteger, whose cost grows faster than the input (a 10 MB
        // digit string took 17 s of CPU). No real quantity comes near this length; "1234567890.123456789Ei" is 22.
        if (text.Length > MaxLength)
        {
            error = $"quantities are at most {MaxLength} characters long (this one has {text.Length})";
            return false;
        }

        if (text == "0")
        {
            quantity = new Quantity(BigInteger.Zero, 0, QuantityFormat.DecimalSI, text);
            return true;
        }

        if (!Split(text, out var positive, out var num, out var denom, out var suffix))
        {
            error = FormatError;
            return false;
        }

        if (!Interpret(suffix, out var isBinary, out var suffixExponent, out var format))
        {
            error = SuffixError;
            return false;
        }

        var digits = BigInteger.Parse(num + denom, NumberStyles.None, CultureInfo.InvariantCulture);
        BigInteger mantissa;
        int exponent;
        if (isBinary)
        {
            mantissa = digits * BigInteger.Pow(2, suffixExponent);
            exponent = -denom.Length;
        }
        else
        {
            mantissa = digits;
            exponent = suffixExponent - denom.Length;
        }

        if (exponent < NanoScale)
        {
            // Round away from zero: asking for a sliver of a resource still gets you one nano unit of it.
            var divisor = BigInteger.Pow(10, NanoScale - exponent);
            var quotient = BigInteger.DivRem(mantissa, divisor, out var remainder);
            mantissa = remainder.IsZero ? quotient : quotient + 1;
            exponent = NanoScale;
        }

        if (!positive)
        {
            mantissa = -mantissa;
        }

        if (format == QuantityFormat.BinarySI)
        {
            var magnitude = BigInteger.Abs(Scaled(mantissa, exponent, 0, out _));
            if (magnitude > MaxBinary)
            {
                mantissa = positive ? MaxBinary : -MaxBinary;
                exponent = 0;
            }
            else if (!mantissa.IsZero && CompareMagnitudeToOne(mantissa, exponent) < 0)
            {
                format = QuantityFormat.DecimalSI;
            }
        }

        quantity = new Quantity(mantissa, exponent, format, KeepsOriginalText(num, denom, isBinary, suffixExponent) ? text : null);
        return true;
    }

    /// <summary>
    /// A quantity field as the API server decodes it (<c>Quantity.UnmarshalJSON</c>): a JSON string, trimmed of
    /// surrounding white space, or a JSON number. Null when the field is absent, JSON null, or not a quantity.
    /// </summary>
    public static Quantity? Decode(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.String => Decode(node.GetValue<string>()),
        JsonValueKind.Number => Decode(node.ToJsonString()),
        _ => null,
    };

    /// <summary>A quantity string as the API server decodes it: trimmed, then parsed; null when it is not a quantity.</summary>
    public static Quantity? Decode(string? text) => TryParse(text?.Trim(), out var quantity) ? quantity : null;

    /// <summary>Bytes in the binary unit people read in logs: <c>700Mi</c>, <c>1.5Gi</c>.</summary>
    public static string FormatBytes(long bytes)
    {
        const long Mi = 1024 * 1024;
        const long Gi = Mi * 1024;
        return bytes >= Gi
            ? (bytes % Gi == 0 ? $"{bytes / Gi}Gi" : string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)Gi:0.#}Gi"))
            : $"{(bytes + Mi / 2) / Mi}Mi";
    }

    /// <summary>
    /// The value in whole base units (bytes, cores), rounded away from zero, as Go's <c>Value()</c>; where Go would
    /// overflow an int64 this saturates at <see cref="long.MaxValue"/> (<see cref="long.MinValue"/>).
    /// </summary>
    public long Value() => CeilingAtScale(0);

    /// <summary>The value in thousandths (millicores for CPU), rounded away from zero, as Go's <c>MilliValue()</c>; saturating.</summary>
    public long MilliValue() => CeilingAtScale(-3);

    /// <summary>The exact value in base units (bytes, cores, ...).</summary>
    /// <exception cref="OverflowException">The value does not fit a <see cref="decimal"/>.</exception>
    public decimal ToDecimal()
    {
        if (_exponent >= 0)
        {
            return (decimal)(_mantissa * BigInteger.Pow(10, _exponent));
        }

        var value = (decimal)_mantissa;
        for (var i = 0; i < -_exponent; i++)
        {
            value /= 10m;
        }

        return value;
    }

    public int CompareTo(Quantity other)
    {
        var exponent = Math.Min(_exponent, other._exponent);
        var left = _mantissa * BigInteger.Pow(10, _exponent - exponent);
        var right = other._mantissa * BigInteger.Pow(10, other._exponent - exponent);
        return left.CompareTo(right);
    }

    /// <summary>Equal values are equal whatever their notation (<c>1</c>, <c>1000m</c>, <c>+1</c>).</summary>
    public bool Equals(Quantity other) => CompareTo(other) == 0;

    public override bool Equals(object? obj) => obj is Quantity other && Equals(other);

    public override int GetHashCode()
    {
        var (mantissa, exponent) = Normalized(_mantissa, _exponent);
        return HashCode.Combine(mantissa, exponent);
    }

    /// <summary>The string the API server stores and returns for this quantity.</summary>
    public override string ToString() => _text ?? Canonical();

    public static bool operator ==(Quantity left, Quantity right) => left.Equals(right);

    public static bool operator !=(Quantity left, Quantity right) => !left.Equals(right);

    public static bool operator <(Quantity left, Quantity right) => left.CompareTo(right) < 0;

    public static bool operator >(Quantity left, Quantity right) => left.CompareTo(right) > 0;

    public static bool operator <=(Quantity left, Quantity right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Quantity left, Quantity right) => left.CompareTo(right) >= 0;

    private string Canonical()
    {
        if (_mantissa.IsZero)
        {
            return "0";
        }

        var format = Format;
        BigInteger whole = default;
        if (format == QuantityFormat.BinarySI)
        {
            whole = Scaled(_mantissa, _exponent, 0, out var exact);
            if (BigInteger.Abs(whole) < 1024 || !exact)
            {
                format = QuantityFormat.DecimalSI;
            }
        }

        if (format == QuantityFormat.BinarySI)
        {
            var power = 0;
            while (!whole.IsZero && whole % 1024 == 0 && power < 60)
            {
                whole /= 1024;
                power += 10;
            }

            var binarySuffix = power == 0 ? "" : BinarySuffixes.First(s => s.Value == power).Key;
            return whole.ToString(CultureInfo.InvariantCulture) + binarySuffix;
        }

        var (mantissa, exponent) = Normalized(_mantissa, _exponent);
        while (exponent % 3 != 0)
        {
            mantissa *= 10;
            exponent--;
        }

        if (format == QuantityFormat.DecimalExponent)
        {
            return mantissa.ToString(CultureInfo.InvariantCulture) +
                (exponent == 0 ? "" : "e" + exponent.ToString(CultureInfo.InvariantCulture));
        }

        // Beyond exa there is no SI suffix; keep the value exact by widening the mantissa.
        if (exponent > 18)
        {
            mantissa *= BigInteger.Pow(10, exponent - 18);
            exponent = 18;
        }

        return mantissa.ToString(CultureInfo.InvariantCulture) + DecimalSuffixes.First(s => s.Value == exponent).Key;
    }

    private long CeilingAtScale(int scale)
    {
        var units = Scaled(_mantissa, _exponent, scale, out var exact);
        if (!exact)
        {
            units += _mantissa.Sign;
        }

        return units > long.MaxValue ? long.MaxValue : units < long.MinValue ? long.MinValue : (long)units;
    }

    private static (BigInteger Mantissa, int Exponent) Normalized(BigInteger mantissa, int exponent)
    {
        if (mantissa.IsZero)
        {
            return (mantissa, 0);
        }

        while (mantissa % 10 == 0)
        {
            mantissa /= 10;
            exponent++;
        }

        return (mantissa, exponent);
    }

    // mantissa * 10^exponent expressed as an integer count of 10^scale units, truncated; exact says whether nothing was lost.
    private static BigInteger Scaled(BigInteger mantissa, int exponent, int scale, out bool exact)
    {
        if (exponent >= scale)
        {
            exact = true;
            return mantissa * BigInteger.Pow(10, exponent - scale);
        }

        var result = BigInteger.DivRem(mantissa, BigInteger.Pow(10, scale - exponent), out var remainder);
        exact = remainder.IsZero;
        return result;
    }

    private static int CompareMagnitudeToOne(BigInteger mantissa, int exponent) =>
        exponent >= 0 ? 1 : BigInteger.Abs(mantissa).CompareTo(BigInteger.Pow(10, -exponent));

    // The lexer of apimachinery's parseQuantityString: sign, digits, optional fraction, then a suffix.
    private static bool Split(string text, out bool positive, out string num, out string denom, out string suffix)
    {
        positive = true;
        num = "0";
        denom = "";
        suffix = "";
        var pos = 0;
        var end = text.Length;
        if (text[0] == '-')
        {
            positive = false;
            pos++;
        }
        else if (text[0] == '+')
        {
            pos++;
        }

        while (pos < end && text[pos] == '0')
        {
            pos++;
        }

        if (pos >= end)
        {
            return true;
        }

        var start = pos;
        while (pos < end && char.IsAsciiDigit(text[pos]))
        {
            pos++;
        }

        num = pos > start ? text[start..pos] : "0";
        if (pos < end && text[pos] == '.')
        {
            pos++;
            start = pos;
            while (pos < end && char.IsAsciiDigit(text[pos]))
            {
                pos++;
            }

            denom = text[start..pos];
        }

        var suffixStart = pos;
        while (pos < end && "eEinumkKMGTP".Contains(text[pos], StringComparison.Ordinal))
        {
            pos++;
        }

        if (pos < end && (text[pos] == '-' || text[pos] == '+'))
        {
            pos++;
        }

        while (pos < end && char.IsAsciiDigit(text[pos]))
        {
            pos++;
        }

        suffix = text[suffixStart..];
        return pos >= end;
    }

    private static bool Interpret(string suffix, out bool isBinary, out int exponent, out QuantityFormat format)
    {
        isBinary = false;
        format = QuantityFormat.DecimalSI;
        if (DecimalSuffixes.TryGetValue(suffix, out exponent))
        {
            return true;
        }

        if (BinarySuffixes.TryGetValue(suffix, out exponent))
        {
            isBinary = true;
            format = QuantityFormat.BinarySI;
            return true;
        }

        format = QuantityFormat.DecimalExponent;
        // Exponents far outside what any resource uses are refused rather than materialised as huge integers.
        return suffix.Length > 1 && (suffix[0] == 'e' || suffix[0] == 'E') &&
            int.TryParse(suffix.AsSpan(1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent) &&
            exponent is >= -1000 and <= 1000;
    }

    // apimachinery keeps the caller's spelling when its fast path sees the value is already canonical;
    // that is why "+1" round-trips as "+1" while "1000" comes back as "1k".
    private static bool KeepsOriginalText(string num, string denom, bool isBinary, int suffixExponent)
    {
        var shifted = num + denom;
        int precision;
        var scale = 0;
        if (isBinary)
        {
            precision = denom.Length == 0 ? 15 - num.Length - (int)(suffixExponent * 3f / 10f) - 1 : -1;
        }
        else
        {
            scale = suffixExponent;
            precision = MaxInt64Digits - (num.Length + denom.Length);
        }

        if (precision < 0)
        {
            return false;
        }

        scale -= denom.Length;
        if (scale < NanoScale || !long.TryParse(shifted, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        var multiplier = isBinary ? BigInteger.Pow(2, suffixExponent) : BigInteger.One;
        if (value * multiplier > long.MaxValue)
        {
            return false;
        }

        return isBinary
            ? suffixExponent % 10 == 0 && (value & 0x07) != 0
            : scale % 3 == 0 && !shifted.EndsWith("000", StringComparison.Ordinal) && shifted[0] != '0';
    }
}

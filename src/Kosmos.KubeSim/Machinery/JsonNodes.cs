using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kosmos.KubeSim.Machinery;

/// <summary>Small helpers over System.Text.Json.Nodes shared by the patch and validation code.</summary>
internal static class JsonNodes
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    public static JsonValueKind KindOf(JsonNode? node) => node is null ? JsonValueKind.Null : node.GetValueKind();

    public static JsonNode? Clone(JsonNode? node) => node?.DeepClone();

    public static string ToJson(JsonNode? node) => node is null ? "null" : node.ToJsonString(Compact);

    /// <summary>JSON equality: object member order is ignored and numbers compare by value (1 == 1.0).</summary>
    public static bool DeepEquals(JsonNode? a, JsonNode? b)
    {
        var kindA = KindOf(a);
        var kindB = KindOf(b);
        if (kindA != kindB)
        {
            return false;
        }

        switch (kindA)
        {
            case JsonValueKind.Null:
            case JsonValueKind.True:
            case JsonValueKind.False:
                return true;
            case JsonValueKind.String:
                return string.Equals(a!.GetValue<string>(), b!.GetValue<string>(), StringComparison.Ordinal);
            case JsonValueKind.Number:
                return NumberEquals(a!, b!);
            case JsonValueKind.Array:
                {
                    var left = (JsonArray)a!;
                    var right = (JsonArray)b!;
                    if (left.Count != right.Count)
                    {
                        return false;
                    }

                    for (var i = 0; i < left.Count; i++)
                    {
                        if (!DeepEquals(left[i], right[i]))
                        {
                            return false;
                        }
                    }

                    return true;
                }

            case JsonValueKind.Object:
                {
                    var left = (JsonObject)a!;
                    var right = (JsonObject)b!;
                    if (left.Count != right.Count)
                    {
                        return false;
                    }

                    foreach (var (key, value) in left)
                    {
                        if (!right.TryGetPropertyValue(key, out var other) || !DeepEquals(value, other))
                        {
                            return false;
                        }
                    }

                    return true;
                }

            default:
                return false;
        }
    }

    /// <summary>The literal text of a JSON number, e.g. <c>1.5</c> or <c>3</c>.</summary>
    public static string NumberText(JsonNode number) => number.ToJsonString();

    public static bool TryGetInt64(JsonNode? node, out long value)
    {
        value = 0;
        return KindOf(node) == JsonValueKind.Number &&
            long.TryParse(node!.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    public static string? GetString(JsonNode? node) => KindOf(node) == JsonValueKind.String ? node!.GetValue<string>() : null;

    /// <summary>The string a field selector compares with: strings as-is, numbers and booleans in JSON form, anything else empty.</summary>
    public static string ScalarText(JsonNode? node) => KindOf(node) switch
    {
        JsonValueKind.String => node!.GetValue<string>(),
        JsonValueKind.Number => node!.ToJsonString(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => "",
    };

    /// <summary>The word Go's encoding/json uses for a JSON value in "cannot unmarshal X into ..." errors.</summary>
    public static string GoJsonKind(JsonNode? node) => KindOf(node) switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        _ => "null",
    };

    /// <summary>Go's <c>%q</c> for a string: double-quoted with backslash escapes.</summary>
    public static string GoQuote(string value)
    {
        var builder = new System.Text.StringBuilder(value.Length + 2);
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                default:
                    if (c < 0x20)
                    {
                        builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
        return builder.ToString();
    }

    private static bool NumberEquals(JsonNode a, JsonNode b)
    {
        var textA = a.ToJsonString();
        var textB = b.ToJsonString();
        if (textA == textB)
        {
            return true;
        }

        if (decimal.TryParse(textA, NumberStyles.Float, CultureInfo.InvariantCulture, out var decimalA) &&
            decimal.TryParse(textB, NumberStyles.Float, CultureInfo.InvariantCulture, out var decimalB))
        {
            return decimalA == decimalB;
        }

        return double.TryParse(textA, NumberStyles.Float, CultureInfo.InvariantCulture, out var doubleA) &&
            double.TryParse(textB, NumberStyles.Float, CultureInfo.InvariantCulture, out var doubleB) &&
            doubleA.Equals(doubleB);
    }
}

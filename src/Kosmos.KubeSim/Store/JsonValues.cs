using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kosmos.KubeSim.Store;

/// <summary>
/// Reads numbers and strings from JSON nodes whatever created them: a node parsed from text answers any numeric type,
/// but one created in code from an int refuses GetValue&lt;long&gt; — so never call GetValue for numbers directly.
/// </summary>
public static class JsonValues
{
    public static long? Long(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        if (value.TryGetValue<long>(out var l))
        {
            return l;
        }

        if (value.TryGetValue<int>(out var i))
        {
            return i;
        }

        if (value.TryGetValue<double>(out var d))
        {
            return (long)d;
        }

        if (value.TryGetValue<JsonElement>(out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var el))
        {
            return el;
        }

        return value.TryGetValue<string>(out var s) && long.TryParse(s, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
    }

    public static string? String(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static bool? Bool(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    /// <summary>The node at a path of object keys, or null.</summary>
    public static JsonNode? At(JsonNode? node, params string[] path)
    {
        foreach (var p in path)
        {
            node = (node as JsonObject)?[p];
        }

        return node;
    }
}

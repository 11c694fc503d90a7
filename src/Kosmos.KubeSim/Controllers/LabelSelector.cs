using System.Text.Json.Nodes;
using Kosmos.KubeSim.Store;

namespace Kosmos.KubeSim.Controllers;

/// <summary>metav1.LabelSelector semantics: matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist).</summary>
internal static class LabelSelector
{
    /// <summary>A null selector selects nothing; an empty one selects everything, as LabelSelectorAsSelector does.</summary>
    public static bool Matches(JsonNode? selector, JsonObject? labels)
    {
        if (selector is not JsonObject s)
        {
            return false;
        }

        foreach (var (key, value) in s["matchLabels"] as JsonObject ?? [])
        {
            if (JsonValues.String(labels?[key]) != JsonValues.String(value))
            {
                return false;
            }
        }

        foreach (var expression in (s["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = JsonValues.String(expression["key"]) ?? "";
            var values = (expression["values"] as JsonArray ?? []).Select(JsonValues.String).ToHashSet();
            var actual = JsonValues.String(labels?[key]);
            var ok = JsonValues.String(expression["operator"]) switch
            {
                "In" => actual is not null && values.Contains(actual),
                "NotIn" => actual is null || !values.Contains(actual),
                "Exists" => actual is not null,
                "DoesNotExist" => actual is null,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsEmpty(JsonNode? selector) =>
        selector is not JsonObject s
        || ((s["matchLabels"] as JsonObject)?.Count ?? 0) == 0 && ((s["matchExpressions"] as JsonArray)?.Count ?? 0) == 0;
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kosmos.KubeSim.Machinery;

/// <summary>
/// Builders for <see cref="FieldError"/> in the exact wording of <c>k8s.io/apimachinery/pkg/util/validation/field</c>,
/// plus Go-style renderings of bad values.
/// </summary>
internal static class Rules
{
    public static FieldError Required(string field, string detail = "") =>
        new("FieldValueRequired", field, WithDetail("Required value", detail));

    public static FieldError Invalid(string field, string shownValue, string detail) =>
        new("FieldValueInvalid", field, WithDetail($"Invalid value: {shownValue}", detail));

    public static FieldError Duplicate(string field, string shownValue) =>
        new("FieldValueDuplicate", field, $"Duplicate value: {shownValue}");

    public static FieldError NotFound(string field, string shownValue) =>
        new("FieldValueNotFound", field, $"Not found: {shownValue}");

    public static FieldError NotSupported(string field, string value, params string[] supported) =>
        new("FieldValueNotSupported", field,
            $"Unsupported value: {JsonNodes.GoQuote(value)}: supported values: {string.Join(", ", supported.Select(JsonNodes.GoQuote))}");

    public static FieldError Forbidden(string field, string detail) =>
        new("FieldValueForbidden", field, WithDetail("Forbidden", detail));

    public static FieldError TooLong(string field, int max) =>
        new("FieldValueTooLong", field, $"Too long: must have at most {max} bytes");

    /// <summary>A JSON value as Go's field errors print it: strings quoted, numbers and booleans bare.</summary>
    public static string Show(JsonNode? value) => JsonNodes.KindOf(value) switch
    {
        JsonValueKind.String => JsonNodes.GoQuote(value!.GetValue<string>()),
        JsonValueKind.Number => JsonNodes.NumberText(value!),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        _ => JsonNodes.ToJson(value),
    };

    public static string Show(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Go's <c>%#v</c> of a <c>map[string]string</c>: keys sorted, <c>(nil)</c> when absent.</summary>
    public static string ShowStringMap(JsonObject? map) => map is null
        ? "map[string]string(nil)"
        : "map[string]string{" + string.Join(", ", map.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{JsonNodes.GoQuote(p.Key)}:{JsonNodes.GoQuote(JsonNodes.ScalarText(p.Value))}")) + "}";

    /// <summary>Go's <c>%#v</c> of a <c>v1.LabelSelector</c>.</summary>
    public static string ShowLabelSelector(JsonObject selector)
    {
        var expressions = selector["matchExpressions"] is JsonArray list
            ? "[]v1.LabelSelectorRequirement{" + string.Join(", ", list.Select(e =>
                $"v1.LabelSelectorRequirement{{Key:{JsonNodes.GoQuote(JsonNodes.ScalarText(e?["key"]))}, " +
                $"Operator:{JsonNodes.GoQuote(JsonNodes.ScalarText(e?["operator"]))}, Values:{ShowStringList(e?["values"] as JsonArray)}}}")) + "}"
            : "[]v1.LabelSelectorRequirement(nil)";
        return $"v1.LabelSelector{{MatchLabels:{ShowStringMap(selector["matchLabels"] as JsonObject)}, MatchExpressions:{expressions}}}";
    }

    private static string ShowStringList(JsonArray? list) => list is null
        ? "[]string(nil)"
        : "[]string{" + string.Join(", ", list.Select(v => JsonNodes.GoQuote(JsonNodes.ScalarText(v)))) + "}";

    private static string WithDetail(string head, string detail) => detail.Length == 0 ? head : $"{head}: {detail}";
}

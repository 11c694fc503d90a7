using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kosmos.KubeSim.Machinery;

/// <summary>
/// Validates an object of a served kind the way the API server does on create, update and patch: structural
/// decoding against the <see cref="ResourceSchema"/> (unknown fields, wrong JSON types, malformed quantities) and
/// the per-kind rules of <c>pkg/apis/*/validation</c> that matter for the runbook (names, containers, images,
/// resources, selectors, volume mounts, PVC storage, ...). Pure and thread-safe.
/// </summary>
public static class Validator
{
    /// <summary>Validates <paramref name="obj"/> as a <paramref name="kind"/> (one of <see cref="ResourceSchema.All"/>).</summary>
    /// <exception cref="ArgumentException">The simulator does not serve <paramref name="kind"/>.</exception>
    public static ValidationResult Validate(string kind, JsonObject obj, ValidationMode mode)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(obj);
        var schema = ResourceSchema.Find(kind) ?? throw new ArgumentException($"no schema for kind {kind}", nameof(kind));
        var walker = new Walker(schema.IsCustomResource);
        walker.Walk(schema.Root, obj, "", "", null);
        var errors = new List<FieldError>(walker.Errors);
        errors.AddRange(ObjectRules.Check(schema, obj));
        var name = JsonNodes.GetString(obj["metadata"]?["name"]) ?? "";
        return new ValidationResult(schema, name, mode, walker.Unknown, walker.Decode, errors);
    }

    /// <summary>
    /// A copy of <paramref name="obj"/> without the fields its schema does not know, which is what a real server
    /// stores after accepting a request under <see cref="ValidationMode.Warn"/> or <see cref="ValidationMode.Ignore"/>.
    /// Unserved kinds are copied unchanged.
    /// </summary>
    public static JsonObject PruneUnknownFields(string kind, JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(obj);
        var schema = ResourceSchema.Find(kind) ?? ResourceSchema.Generic;
        return (JsonObject)Prune(schema.Root, obj)!;
    }

    private static JsonNode? Prune(SchemaNode node, JsonNode? value)
    {
        switch (node.Type, value)
        {
            case (SchemaType.Object, JsonObject map):
                {
                    var result = new JsonObject();
                    foreach (var (key, child) in map)
                    {
                        if (node.Property(key) is { } childSchema)
                        {
                            result[key] = Prune(childSchema, child);
                        }
                    }

                    return result;
                }

            case (SchemaType.Map, JsonObject map) when node.Values is not null:
                {
                    var result = new JsonObject();
                    foreach (var (key, child) in map)
                    {
                        result[key] = Prune(node.Values, child);
                    }

                    return result;
                }

            case (SchemaType.Array, JsonArray list) when node.Items is not null:
                return new JsonArray([.. list.Select(item => Prune(node.Items, item))]);
            default:
                return JsonNodes.Clone(value);
        }
    }

    /// <summary>Walks an object against its schema collecting unknown fields, decode errors and malformed quantities.</summary>
    private sealed class Walker(bool customResource)
    {
        public List<string> Unknown { get; } = [];

        public List<string> Decode { get; } = [];

        public List<FieldError> Errors { get; } = [];

        // path: the field path with indices (spec.containers[0].image); goPath: without indices, as Go's decoder prints it.
        public void Walk(SchemaNode node, JsonNode? value, string path, string goPath, string? goStruct)
        {
            if (value is null)
            {
                return;
            }

            var kind = JsonNodes.KindOf(value);
            switch (node.Type)
            {
                case SchemaType.Object:
                    {
                        if (value is not JsonObject map)
                        {
                            TypeError(node, value, path, goPath, goStruct);
                            return;
                        }

                        var structName = node.GoStructName ?? goStruct;
                        foreach (var (key, child) in map)
                        {
                            var childPath = path.Length == 0 ? key : $"{path}.{key}";
                            var childGoPath = goPath.Length == 0 ? key : $"{goPath}.{key}";
                            if (node.Property(key) is { } childSchema)
                            {
                                Walk(childSchema, child, childPath, childGoPath, structName);
                            }
                            else
                            {
                                Unknown.Add(childPath);
                            }
                        }

                        return;
                    }

                case SchemaType.Map:
                    if (value is not JsonObject entries)
                    {
                        TypeError(node, value, path, goPath, goStruct);
                        return;
                    }

                    foreach (var (key, child) in entries)
                    {
                        Walk(node.Values!, child, $"{path}[{key}]", goPath, goStruct);
                    }

                    return;
                case SchemaType.Array:
                    if (value is not JsonArray items)
                    {
                        TypeError(node, value, path, goPath, goStruct);
                        return;
                    }

                    for (var i = 0; i < items.Count; i++)
                    {
                        Walk(node.Items!, items[i], $"{path}[{i}]", goPath, goStruct);
                    }

                    return;
                case SchemaType.String:
                    if (kind != JsonValueKind.String)
                    {
                        TypeError(node, value, path, goPath, goStruct);
                    }
                    else if (node.Format == "byte" && !customResource && Base64Error(value.GetValue<string>()) is { } base64Error)
                    {
                        Decode.Add(base64Error);
                    }

                    return;
                case SchemaType.Integer:
                    if (!IsInteger(node, value))
                    {
                        TypeError(node, value, path, goPath, goStruct);
                    }

                    return;
                case SchemaType.Number:
                    if (kind != JsonValueKind.Number)
                    {
                        TypeError(node, value, path, goPath, goStruct);
                    }

                    return;
                case SchemaType.Boolean:
                    if (kind is not (JsonValueKind.True or JsonValueKind.False))
                    {
                        TypeError(node, value, path, goPath, goStruct);
                    }

                    return;
                case SchemaType.Quantity:
                    {
                        if (kind is not (JsonValueKind.String or JsonValueKind.Number))
                        {
                            TypeError(node, value, path, goPath, goStruct);
                            return;
                        }

                        var text = kind == JsonValueKind.String ? value.GetValue<string>() : JsonNodes.NumberText(value);
                        if (!Quantity.TryParse(text, out _, out var error))
                        {
                            Errors.Add(Rules.Invalid(path, kind == JsonValueKind.String ? JsonNodes.GoQuote(text) : text, error));
                        }

                        return;
                    }

                case SchemaType.IntOrString:
                    if (kind != JsonValueKind.String && !(kind == JsonValueKind.Number && JsonNodes.TryGetInt64(value, out var number) && number is >= int.MinValue and <= int.MaxValue))
                    {
                        TypeError(node, value, path, goPath, goStruct);
                    }

                    return;
                default:
                    return;
            }
        }

        private static bool IsInteger(SchemaNode node, JsonNode value)
        {
            if (!JsonNodes.TryGetInt64(value, out var number))
            {
                return false;
            }

            return node.Format != "int32" || number is >= int.MinValue and <= int.MaxValue;
        }

        private void TypeError(SchemaNode node, JsonNode value, string path, string goPath, string? goStruct)
        {
            if (customResource)
            {
                var actual = CrdType(value);
                Errors.Add(new FieldError("FieldValueTypeInvalid", path,
                    $"Invalid value: {JsonNodes.GoQuote(actual)}: {path} in body must be of type {CrdType(node)}: {JsonNodes.GoQuote(actual)}"));
                return;
            }

            var what = JsonNodes.GoJsonKind(value);
            if (what == "number" && node.Type == SchemaType.Integer)
            {
                what = "number " + JsonNodes.NumberText(value);
            }

            var field = goStruct is null ? goPath : $"{goStruct}.{goPath}";
            Decode.Add($"json: cannot unmarshal {what} into Go struct field {field} of type {node.GoTypeName}");
        }

        private static string CrdType(JsonNode value) => JsonNodes.KindOf(value) switch
        {
            JsonValueKind.Number => JsonNodes.TryGetInt64(value, out _) ? "integer" : "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Array => "array",
            JsonValueKind.Object => "object",
            _ => "string",
        };

        private static string CrdType(SchemaNode node) => node.Type switch
        {
            SchemaType.Object or SchemaType.Map => "object",
            SchemaType.Array => "array",
            SchemaType.Integer => "integer",
            SchemaType.Number => "number",
            SchemaType.Boolean => "boolean",
            _ => "string",
        };

        // encoding/base64 StdEncoding: reports the offset of the first byte it cannot use.
        private static string? Base64Error(string text)
        {
            if (Convert.TryFromBase64String(text, new byte[text.Length], out _) && !text.Any(char.IsWhiteSpace))
            {
                return null;
            }

            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                var ok = char.IsAsciiLetterOrDigit(c) || c is '+' or '/' || (c == '=' && i >= text.Length - 2);
                if (!ok)
                {
                    return $"illegal base64 data at input byte {i}";
                }
            }

            return $"illegal base64 data at input byte {text.Length / 4 * 4}";
        }
    }
}

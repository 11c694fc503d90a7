using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kosmos.KubeSim.Machinery;

/// <summary>
/// JSON Patch (RFC 6902), the <c>application/json-patch+json</c> PATCH body: an array of
/// <c>add</c>/<c>remove</c>/<c>replace</c>/<c>move</c>/<c>copy</c>/<c>test</c> operations addressed by
/// JSON Pointers (RFC 6901, <c>~0</c> = <c>~</c>, <c>~1</c> = <c>/</c>). The operations apply atomically: on
/// the first failure a <see cref="PatchException"/> names the operation and nothing is returned.
/// Pure and thread-safe; inputs are never mutated.
/// </summary>
public static class JsonPatch
{
    /// <summary>Applies <paramref name="patch"/> to a Kubernetes object; the result must still be an object.</summary>
    /// <exception cref="PatchException">Malformed patch, bad path, failed test, or a non-object result.</exception>
    public static JsonObject Apply(JsonObject original, JsonNode? patch)
    {
        ArgumentNullException.ThrowIfNull(original);
        var result = ApplyToDocument(original, patch);
        return result as JsonObject
            ?? throw new PatchException($"the patched document must be a JSON object, not {JsonNodes.GoJsonKind(result)}");
    }

    /// <summary>Applies <paramref name="patch"/> to any JSON document (the whole document may be replaced).</summary>
    /// <exception cref="PatchException">Malformed patch, bad path or failed test.</exception>
    public static JsonNode? ApplyToDocument(JsonNode? document, JsonNode? patch)
    {
        if (patch is not JsonArray operations)
        {
            throw new PatchException($"a json patch must be a JSON array of operations, not {JsonNodes.GoJsonKind(patch)}");
        }

        var root = new JsonObject { ["doc"] = JsonNodes.Clone(document) };
        for (var i = 0; i < operations.Count; i++)
        {
            if (operations[i] is not JsonObject operation)
            {
                throw new PatchException($"json patch operation {i} must be a JSON object");
            }

            ApplyOperation(root, operation, i);
        }

        var result = root["doc"];
        root.Remove("doc");
        return result;
    }

    private static void ApplyOperation(JsonObject root, JsonObject operation, int index)
    {
        var op = RequiredString(operation, "op", index);
        var path = RequiredString(operation, "path", index);
        var tokens = ParsePointer(path, index);
        switch (op)
        {
            case "add":
                Add(root, tokens, path, CloneValue(operation, index, op), op);
                break;
            case "remove":
                Remove(root, tokens, path, op);
                break;
            case "replace":
                {
                    var value = CloneValue(operation, index, op);
                    Remove(root, tokens, path, op);
                    Add(root, tokens, path, value, op);
                    break;
                }

            case "move":
                {
                    var from = RequiredString(operation, "from", index);
                    var fromTokens = ParsePointer(from, index);
                    if (path != from && path.StartsWith(from + "/", StringComparison.Ordinal))
                    {
                        throw new PatchException($"move operation does not apply: \"from\" {from} is a parent of \"path\" {path}");
                    }

                    var value = Remove(root, fromTokens, from, op);
                    Add(root, tokens, path, value, op);
                    break;
                }

            case "copy":
                {
                    var from = RequiredString(operation, "from", index);
                    var value = Get(root, ParsePointer(from, index), from, op);
                    Add(root, tokens, path, JsonNodes.Clone(value), op);
                    break;
                }

            case "test":
                {
                    if (!operation.TryGetPropertyValue("value", out var expected))
                    {
                        throw new PatchException($"json patch operation {index} (test) is missing \"value\"");
                    }

                    var actual = Get(root, tokens, path, op);
                    if (!JsonNodes.DeepEquals(actual, expected))
                    {
                        throw new PatchException($"testing value {path} failed: expected {JsonNodes.ToJson(expected)}, found {JsonNodes.ToJson(actual)}");
                    }

                    break;
                }

            default:
                throw new PatchException($"Unexpected kind: {op}");
        }
    }

    private static string RequiredString(JsonObject operation, string member, int index)
    {
        if (!operation.TryGetPropertyValue(member, out var node) || JsonNodes.KindOf(node) != JsonValueKind.String)
        {
            throw new PatchException($"json patch operation {index} is missing a string \"{member}\"");
        }

        return node!.GetValue<string>();
    }

    private static JsonNode? CloneValue(JsonObject operation, int index, string op)
    {
        if (!operation.TryGetPropertyValue("value", out var value))
        {
            throw new PatchException($"json patch operation {index} ({op}) is missing \"value\"");
        }

        return JsonNodes.Clone(value);
    }

    /// <summary>Splits a JSON Pointer into unescaped reference tokens; the root pointer is empty.</summary>
    internal static IReadOnlyList<string> ParsePointer(string pointer, int index)
    {
        if (pointer.Length == 0)
        {
            return [];
        }

        if (pointer[0] != '/')
        {
            throw new PatchException($"json patch operation {index}: path {JsonNodes.GoQuote(pointer)} is not a JSON pointer (it must start with '/')");
        }

        var tokens = pointer[1..].Split('/');
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            for (var c = 0; c < token.Length; c++)
            {
                if (token[c] == '~' && (c + 1 >= token.Length || (token[c + 1] != '0' && token[c + 1] != '1')))
                {
                    throw new PatchException($"json patch operation {index}: path {JsonNodes.GoQuote(pointer)} has an invalid escape ('~' must be followed by 0 or 1)");
                }
            }

            tokens[i] = token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
        }

        return tokens;
    }

    // The document lives under root["doc"] so that the root pointer has a parent like every other location.
    private static (JsonNode? Parent, string Token) Locate(JsonObject root, IReadOnlyList<string> tokens, string path, string op)
    {
        JsonNode? parent = root;
        var token = "doc";
        foreach (var next in tokens)
        {
            parent = Child(parent, token, path, op);
            token = next;
        }

        return (parent, token);
    }

    private static JsonNode? Child(JsonNode? node, string token, string path, string op)
    {
        switch (node)
        {
            case JsonObject obj:
                if (!obj.TryGetPropertyValue(token, out var value))
                {
                    throw new PatchException($"{op} operation does not apply: doc is missing path: {path}");
                }

                return value;
            case JsonArray array:
                {
                    var i = ArrayIndex(token, array.Count - 1, path, op);
                    return array[i];
                }

            default:
                throw new PatchException($"{op} operation does not apply: doc is missing path: {path}");
        }
    }

    private static JsonNode? Get(JsonObject root, IReadOnlyList<string> tokens, string path, string op)
    {
        var (parent, token) = Locate(root, tokens, path, op);
        return Child(parent, token, path, op);
    }

    private static void Add(JsonObject root, IReadOnlyList<string> tokens, string path, JsonNode? value, string op)
    {
        var (parent, token) = Locate(root, tokens, path, op);
        switch (parent)
        {
            case JsonObject obj:
                obj.Remove(token);
                obj[token] = value;
                break;
            case JsonArray array:
                if (token == "-")
                {
                    array.Add(value);
                }
                else
                {
                    array.Insert(ArrayIndex(token, array.Count, path, op), value);
                }

                break;
            default:
                throw new PatchException($"{op} operation does not apply: doc is missing path: {path}");
        }
    }

    private static JsonNode? Remove(JsonObject root, IReadOnlyList<string> tokens, string path, string op)
    {
        var (parent, token) = Locate(root, tokens, path, op);
        switch (parent)
        {
            case JsonObject obj:
                if (!obj.TryGetPropertyValue(token, out var value))
                {
                    throw new PatchException($"{op} operation does not apply: doc is missing key: {path}");
                }

                obj.Remove(token);
                return value;
            case JsonArray array:
                {
                    var i = ArrayIndex(token, array.Count - 1, path, op);
                    var item = array[i];
                    array.RemoveAt(i);
                    return item;
                }

            default:
                throw new PatchException($"{op} operation does not apply: doc is missing path: {path}");
        }
    }

    private static int ArrayIndex(string token, int max, string path, string op)
    {
        var wellFormed = token.Length > 0 && token.All(char.IsAsciiDigit) && (token.Length == 1 || token[0] != '0');
        if (!wellFormed || !int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            throw new PatchException($"{op} operation does not apply: {JsonNodes.GoQuote(token)} is not an array index in path {path}");
        }

        if (index > max)
        {
            throw new PatchException($"{op} operation does not apply: index {index} is out of bounds in path {path}");
        }

        return index;
    }
}

using System.Text.Json.Nodes;

namespace Kosmos.KubeSim.Api;

/// <summary>The label and field selectors of one list or watch request.</summary>
public sealed class ObjectSelectors
{
    private readonly List<(string Key, string Op, string Value)> _labels;
    private readonly List<(string Path, bool Equal, string Value)> _fields;

    private ObjectSelectors(List<(string, string, string)> labels, List<(string, bool, string)> fields)
    {
        _labels = labels;
        _fields = fields;
    }

    public static ObjectSelectors Parse(string? labelSelector, string? fieldSelector)
    {
        var labels = new List<(string, string, string)>();
        foreach (var term in Split(labelSelector))
        {
            if (term.StartsWith('!'))
            {
                labels.Add((term[1..], "!", ""));
            }
            else if (term.Split("!=") is [var k1, var v1])
            {
                labels.Add((k1.Trim(), "!=", v1.Trim()));
            }
            else if (term.Split("==") is [var k2, var v2])
            {
                labels.Add((k2.Trim(), "=", v2.Trim()));
            }
            else if (term.Split('=') is [var k3, var v3])
            {
                labels.Add((k3.Trim(), "=", v3.Trim()));
            }
            else
            {
                labels.Add((term, "exists", ""));
            }
        }

        var fields = new List<(string, bool, string)>();
        foreach (var term in Split(fieldSelector))
        {
            if (term.Split("!=") is [var k1, var v1])
            {
                fields.Add((k1, false, v1));
            }
            else if (term.Split("==") is [var k2, var v2] || term.Split('=') is [var k3, var v3] && (k2 = k3) is not null && (v2 = v3) is not null)
            {
                fields.Add((k2, true, v2));
            }
            else
            {
                throw ApiException.BadRequest($"invalid field selector: '{term}'");
            }
        }

        return new ObjectSelectors(labels, fields);
    }

    public bool Matches(JsonObject obj)
    {
        var labels = obj["metadata"]?["labels"] as JsonObject;
        foreach (var (key, op, value) in _labels)
        {
            var actual = labels?[key]?.GetValue<string>();
            var ok = op switch
            {
                "=" => actual == value,
                "!=" => actual != value,
                "!" => actual is null,
                _ => actual is not null,
            };
            if (!ok)
            {
                return false;
            }
        }

        foreach (var (path, equal, value) in _fields)
        {
            JsonNode? node = obj;
            foreach (var part in path.Split('.'))
            {
                node = (node as JsonObject)?[part];
            }

            var actual = node is JsonValue v ? v.ToString() : "";
            if ((actual == value) != equal)
            {
                return false;
            }
        }

        return true;
    }

    private static IEnumerable<string> Split(string? selector) =>
        string.IsNullOrWhiteSpace(selector) ? [] : selector.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

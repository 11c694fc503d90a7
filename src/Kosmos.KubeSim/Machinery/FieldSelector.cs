using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json.Nodes;

namespace Kosmos.KubeSim.Machinery;

/// <summary>One term of a field selector: <c>field=value</c> (or <c>==</c>) when <see cref="Equal"/>, <c>field!=value</c> otherwise.</summary>
public sealed record FieldRequirement(string Field, bool Equal, string Value)
{
    public override string ToString() => $"{Field}{(Equal ? "=" : "!=")}{FieldSelector.Escape(Value)}";
}

/// <summary>
/// A field selector (the <c>fieldSelector</c> query parameter): comma-separated <c>field=value</c>,
/// <c>field==value</c> and <c>field!=value</c> terms, ANDed, with <c>\</c> escaping <c>\</c>, <c>,</c> and <c>=</c> in values.
/// A field is a dotted path into the object (<c>metadata.name</c>, <c>status.phase</c>,
/// <c>involvedObject.uid</c>); an absent field compares as the empty string. Immutable and thread-safe.
/// </summary>
public sealed class FieldSelector
{
    private static readonly string[] CommonFields = ["metadata.name", "metadata.namespace"];

    // The fields each kind's registry accepts (pkg/registry/*/strategy.go); other fields are refused with 400.
    private static readonly Dictionary<string, HashSet<string>> SupportedByKind = new(StringComparer.Ordinal)
    {
        ["Pod"] = Fields("spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
            "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"),
        ["Event"] = Fields("involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
            "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason",
            "reportingComponent", "source", "type"),
        ["Namespace"] = Fields("status.phase"),
        ["Secret"] = Fields("type"),
        ["ReplicaSet"] = Fields("status.replicas"),
        ["Deployment"] = Fields(),
        ["PersistentVolumeClaim"] = Fields(),
        ["ConfigMap"] = Fields(),
        ["VolumeSnapshot"] = Fields(),
    };

    // Fields whose value is not simply the JSON at that path.
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["source"] = "source.component",
    };

    // Go zero values the registries print for unset scalars.
    private static readonly Dictionary<string, string> Defaults = new(StringComparer.Ordinal)
    {
        ["spec.hostNetwork"] = "false",
        ["status.replicas"] = "0",
    };

    private FieldSelector(IReadOnlyList<FieldRequirement> requirements) => Requirements = requirements;

    public static FieldSelector Everything { get; } = new([]);

    public IReadOnlyList<FieldRequirement> Requirements { get; }

    public bool IsEverything => Requirements.Count == 0;

    /// <summary>Parses a field selector; null or blank selects everything.</summary>
    /// <exception cref="FormatException">A term without an operator or a bad escape; the message is the API server's.</exception>
    public static FieldSelector Parse(string? text) =>
        TryParse(text, out var selector, out var error) ? selector : throw new FormatException(error);

    public static bool TryParse(string? text, [NotNullWhen(true)] out FieldSelector? selector, [NotNullWhen(false)] out string? error)
    {
        selector = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            selector = Everything;
            return true;
        }

        var requirements = new List<FieldRequirement>();
        foreach (var term in SplitTerms(text))
        {
            if (term.Length == 0)
            {
                continue;
            }

            if (!SplitTerm(term, out var field, out var equal, out var rawValue))
            {
                error = $"invalid selector: '{text}'; can't understand '{term}'";
                return false;
            }

            if (!TryUnescape(rawValue, out var value, out error))
            {
                return false;
            }

            requirements.Add(new FieldRequirement(field, equal, value));
        }

        selector = new FieldSelector(requirements);
        return true;
    }

    /// <summary>
    /// The first field the given kind does not support as a selector, or null when all are supported (or the kind
    /// is not one the simulator knows). The API server answers <c>400 BadRequest</c> with
    /// <c>field label not supported: &lt;field&gt;</c>.
    /// </summary>
    public string? FirstUnsupportedField(string kind)
    {
        if (!SupportedByKind.TryGetValue(kind, out var supported))
        {
            return null;
        }

        return Requirements.Select(r => r.Field).FirstOrDefault(f => !CommonFields.Contains(f) && !supported.Contains(f));
    }

    public bool Matches(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        foreach (var requirement in Requirements)
        {
            var actual = ValueOf(obj, requirement.Field);
            if (string.Equals(actual, requirement.Value, StringComparison.Ordinal) != requirement.Equal)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The value a selector compares for <paramref name="field"/> (empty when absent).</summary>
    public static string ValueOf(JsonObject obj, string field)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(field);
        var path = Aliases.GetValueOrDefault(field, field);
        JsonNode? node = obj;
        foreach (var part in path.Split('.'))
        {
            node = (node as JsonObject)?[part];
        }

        return node is null && Defaults.TryGetValue(field, out var zero) ? zero : JsonNodes.ScalarText(node);
    }

    public override string ToString() => string.Join(",", Requirements);

    internal static string Escape(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '\\' or ',' or '=')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    private static HashSet<string> Fields(params string[] fields) => new(fields, StringComparer.Ordinal);

    private static List<string> SplitTerms(string text)
    {
        var terms = new List<string>();
        var start = 0;
        var escaped = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (escaped)
            {
                escaped = false;
            }
            else if (text[i] == '\\')
            {
                escaped = true;
            }
            else if (text[i] == ',')
            {
                terms.Add(text[start..i]);
                start = i + 1;
            }
        }

        terms.Add(text[start..]);
        return terms;
    }

    // The first unescaped "!=", "==" or "=" splits the term.
    private static bool SplitTerm(string term, out string field, out bool equal, out string value)
    {
        field = "";
        value = "";
        equal = true;
        var escaped = false;
        for (var i = 0; i < term.Length; i++)
        {
            if (escaped)
            {
                escaped = false;
                continue;
            }

            if (term[i] == '\\')
            {
                escaped = true;
                continue;
            }

            foreach (var op in (string[])["!=", "==", "="])
            {
                if (string.CompareOrdinal(term, i, op, 0, op.Length) == 0)
                {
                    field = term[..i];
                    equal = op != "!=";
                    value = term[(i + op.Length)..];
                    return true;
                }
            }
        }

        return false;
    }

    private static bool TryUnescape(string raw, out string value, [NotNullWhen(false)] out string? error)
    {
        error = null;
        var builder = new StringBuilder(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '\\')
            {
                if (i + 1 >= raw.Length || raw[i + 1] is not ('\\' or ',' or '='))
                {
                    value = "";
                    error = $"invalid field selector: invalid escape sequence: {raw[i..Math.Min(raw.Length, i + 2)]}";
                    return false;
                }

                builder.Append(raw[++i]);
                continue;
            }

            if (c is ',' or '=')
            {
                value = "";
                error = $"invalid field selector: unescaped character '{c}'";
                return false;
            }

            builder.Append(c);
        }

        value = builder.ToString();
        return true;
    }
}

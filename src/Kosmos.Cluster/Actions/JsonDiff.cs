using System.Text.Json;
using System.Text.Json.Nodes;
using Kosmos.Recovery.Actions;

namespace Kosmos.Cluster.Actions;

/// <summary>
/// The fields that differ between two versions of a Kubernetes object, as before → after lines with kubectl-style paths
/// (<c>spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"]</c>). Bookkeeping the server changes on
/// every write (resourceVersion, managedFields) and status are left out: a preview shows what the caller asked for.
/// </summary>
public static class JsonDiff
{
    private static readonly string[] Ignored = ["metadata.resourceVersion", "metadata.managedFields", "status"];

    public static IReadOnlyList<ChangeLine> Compare(JsonNode? before, JsonNode? after)
    {
        var old = Flatten(before);
        var now = Flatten(after);
        return [.. old.Keys.Union(now.Keys)
            .Where(path => !Ignored.Any(i => path == i || path.StartsWith(i + ".", StringComparison.Ordinal) || path.StartsWith(i + "[", StringComparison.Ordinal)))
            .Where(path => old.GetValueOrDefault(path) != now.GetValueOrDefault(path))
            .Order(StringComparer.Ordinal)
            .Select(path => new ChangeLine(path, old.GetValueOrDefault(path), now.GetValueOrDefault(path)))];
    }

    private static Dictionary<string, string> Flatten(JsonNode? node)
    {
        var leaves = new Dictionary<string, string>(StringComparer.Ordinal);
        Walk(node, "", leaves);
        return leaves;
    }

    private static void Walk(JsonNode? node, string path, Dictionary<string, string> leaves)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    Walk(child, Child(path, key), leaves);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(array[i], $"{path}[{i}]", leaves);
                }

                break;
            case JsonValue value:
                leaves[path] = value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
                break;
        }
    }

    private static string Child(string path, string key)
    {
        var simple = key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
        return simple
            ? (path.Length == 0 ? key : path + "." + key)
            : path + "[" + JsonSerializer.Serialize(key) + "]";
    }
}

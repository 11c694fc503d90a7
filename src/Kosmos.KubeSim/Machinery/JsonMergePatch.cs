using System.Text.Json.Nodes;

namespace Kosmos.KubeSim.Machinery;

/// <summary>
/// JSON Merge Patch (RFC 7386), the <c>application/merge-patch+json</c> PATCH body: objects merge member by
/// member, <c>null</c> deletes a member, and anything else (arrays included) replaces the target wholesale.
/// Pure and thread-safe; inputs are never mutated.
/// </summary>
public static class JsonMergePatch
{
    /// <summary>Applies <paramref name="patch"/> to a Kubernetes object.</summary>
    /// <exception cref="PatchException">The patch is not a JSON object (it would replace the object with a non-object).</exception>
    public static JsonObject Apply(JsonObject original, JsonNode? patch)
    {
        ArgumentNullException.ThrowIfNull(original);
        if (patch is not JsonObject)
        {
            throw new PatchException($"a merge patch for an object must be a JSON object, not {JsonNodes.GoJsonKind(patch)}");
        }

        return (JsonObject)ApplyToDocument(original, patch)!;
    }

    /// <summary>The RFC 7386 <c>MergePatch(Target, Patch)</c> function over any JSON document.</summary>
    public static JsonNode? ApplyToDocument(JsonNode? target, JsonNode? patch) =>
        Merge(JsonNodes.Clone(target), patch);

    // target is owned (already cloned); patch is only read.
    private static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return JsonNodes.Clone(patch);
        }

        var result = target as JsonObject ?? [];
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
                continue;
            }

            result.TryGetPropertyValue(name, out var existing);
            result.Remove(name);
            result[name] = Merge(existing, value);
        }

        return result;
    }
}

using System.Text.Json.Nodes;
using Kosmos.KubeSim.Store;

namespace Kosmos.KubeSim.Api;

/// <summary>Adapter between the HTTP layer and the patch algorithms (Machinery).</summary>
internal static class PatchEngine
{
    public static JsonObject MergePatch(JsonObject current, JsonNode? patch) => (JsonObject)Merge(current.DeepClone(), patch)!;

    public static JsonObject StrategicMerge(ResourceKind kind, JsonObject current, JsonNode? patch) => MergePatch(current, patch);

    public static JsonObject JsonPatch(JsonObject current, JsonNode? patch) =>
        throw new ApiException(415, "UnsupportedMediaType", "json patch is not supported yet");

    public static JsonObject ServerSideApply(ResourceKind kind, JsonObject current, JsonObject applied) => MergePatch(current, applied);

    private static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = Merge(result[key]?.DeepClone(), value);
            }
        }

        return result;
    }
}

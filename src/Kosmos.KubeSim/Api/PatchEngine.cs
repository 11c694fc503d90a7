using System.Text.Json.Nodes;
using Kosmos.KubeSim.Machinery;
using Kosmos.KubeSim.Store;

namespace Kosmos.KubeSim.Api;

/// <summary>Adapter between the HTTP layer and the patch algorithms (Machinery); a bad patch is a 422 with the algorithm's words.</summary>
internal static class PatchEngine
{
    public static JsonObject MergePatch(JsonObject current, JsonNode? patch) => Guard(() => JsonMergePatch.Apply(current, patch));

    public static JsonObject StrategicMerge(ResourceKind kind, JsonObject current, JsonNode? patch) =>
        Guard(() => StrategicMergePatch.Apply(current, patch, SchemaOf(kind)));

    public static JsonObject JsonPatch(JsonObject current, JsonNode? patch) => Guard(() => Machinery.JsonPatch.Apply(current, patch));

    /// <summary>
    /// Server-side apply, simplified: the applied configuration is merged into the live object with the schema's merge keys
    /// (fields owned by other managers are kept; field ownership and conflicts are not tracked).
    /// </summary>
    public static JsonObject ServerSideApply(ResourceKind kind, JsonObject current, JsonObject applied) =>
        Guard(() => StrategicMergePatch.Apply(current, applied, SchemaOf(kind)));

    private static ResourceSchema SchemaOf(ResourceKind kind) => ResourceSchema.Find(kind.Kind) ?? ResourceSchema.Generic;

    private static JsonObject Guard(Func<JsonObject> apply)
    {
        try
        {
            return apply();
        }
        catch (PatchException ex)
        {
            throw new ApiException(422, "Invalid", ex.Message);
        }
    }
}

using System.Text.Json.Nodes;
using Kosmos.KubeSim.Manifests;
using Kosmos.KubeSim.Store;

namespace Kosmos.KubeSim.Api;

public enum PatchKind
{
    Strategic,
    Merge,
    Json,
    Apply,
}

/// <summary>Applies a PATCH body of any supported content type to an object.</summary>
public static class PatchDispatcher
{
    public static PatchKind ParseContentType(string? contentType, ResourceKind kind)
    {
        var media = (contentType ?? "").Split(';')[0].Trim();
        var patchKind = media switch
        {
            "application/strategic-merge-patch+json" => PatchKind.Strategic,
            "application/merge-patch+json" => PatchKind.Merge,
            "application/json-patch+json" => PatchKind.Json,
            "application/apply-patch+yaml" or "application/apply-patch+cbor" => PatchKind.Apply,
            _ => throw new ApiException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json"),
        };
        if (patchKind == PatchKind.Strategic && kind.Group == "snapshot.storage.k8s.io")
        {
            // Custom resources have no Go struct to carry merge keys: the real server refuses strategic merge for them.
            throw new ApiException(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
        }

        return patchKind;
    }

    /// <summary>Parses an apply body: YAML (JSON is YAML too).</summary>
    public static JsonObject ParseApplyBody(string body)
    {
        try
        {
            return YamlJson.ParseAll(body).SingleOrDefault() as JsonObject
                ?? throw ApiException.BadRequest("error decoding YAML: the body must be a single object");
        }
        catch (FormatException ex)
        {
            throw ApiException.BadRequest(ex.Message);
        }
    }

    public static JsonObject Apply(ResourceKind kind, JsonObject current, PatchKind patchKind, string body)
    {
        try
        {
            return patchKind switch
            {
                PatchKind.Json => PatchEngine.JsonPatch(current, HttpJson.ParseOrThrow(body)),
                PatchKind.Merge => PatchEngine.MergePatch(current, HttpJson.ParseOrThrow(body)),
                PatchKind.Strategic => PatchEngine.StrategicMerge(kind, current, HttpJson.ParseOrThrow(body)),
                _ => PatchEngine.ServerSideApply(kind, current, ParseApplyBody(body)),
            };
        }
        catch (ApiException)
        {
            throw;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: {ex.Message}");
        }
    }
}

using System.Text.Json.Nodes;
using Kosmos.KubeSim.Machinery;

namespace Kosmos.KubeSim.Api;

/// <summary>Adapter to the OpenAPI v3 documents kubectl apply reads (generated in Machinery from the same schemas as validation).</summary>
internal static class OpenApi
{
    public static JsonNode? Get(string path) => OpenApiDocuments.TryGet(path, out var json) && json is not null ? JsonNode.Parse(json) : null;
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Kosmos.KubeSim.Api;

internal static class HttpJson
{
    public const string Json = "application/json";
    public const string TableContentType = "application/json;as=Table;v=v1;g=meta.k8s.io";

    public static async Task WriteAsync(HttpContext http, int statusCode, JsonNode body, string contentType = Json)
    {
        http.Response.StatusCode = statusCode;
        http.Response.ContentType = contentType;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body);
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
    }

    public static async Task<string> ReadBodyAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(http.RequestAborted);
    }

    public static JsonNode? ParseOrThrow(string body)
    {
        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException ex)
        {
            throw ApiException.BadRequest($"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml; error: {ex.Message}");
        }
    }

    public static bool WantsTable(HttpRequest request) =>
        request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);

    /// <summary>Kubernetes query booleans: <c>watch=false</c> is sent explicitly by some clients, so the value counts, not the presence.</summary>
    public static bool QueryFlag(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var v) && (v.ToString() is "true" or "1" or "True");

    public static string? Query(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var v) && v.Count > 0 && !string.IsNullOrEmpty(v[0]) ? v[0] : null;
}

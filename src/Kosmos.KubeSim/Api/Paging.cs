using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Kosmos.KubeSim.Store;
using Microsoft.AspNetCore.Http;

namespace Kosmos.KubeSim.Api;

/// <summary>
/// limit/continue paging. The continue token carries the list's resourceVersion and the last key served; later
/// pages are served from the current state after that key (objects are ordered by namespace and name), as a seek into the
/// store: a page costs its own objects, not the ones before it.
/// </summary>
internal static class Paging
{
    /// <summary>The page the request's <c>limit</c> and <c>continue</c> ask for, its resourceVersion and the next page's token.</summary>
    public static (IReadOnlyList<JsonObject> Page, long ResourceVersion, string? Continue) List(
        ObjectStore store, ResourceKind kind, string? ns, Func<JsonObject, bool> filter, HttpRequest request)
    {
        var limit = HttpJson.Query(request, "limit") is { } l && int.TryParse(l, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : int.MaxValue;
        var after = HttpJson.Query(request, "continue") is { } token ? Decode(token) : ((string Ns, string Name)?)null;
        var (page, rv, more) = store.ListPage(kind, ns, filter, after, limit);
        return (page, rv, more ? Encode(rv, Key(page[^1])) : null);
    }

    // NUL separates namespace and name: it cannot occur in either, and sorts before every character they may hold.
    private static string Key(JsonObject o) => $"{o["metadata"]?["namespace"]}\0{o["metadata"]?["name"]}";

    private static string Encode(long rv, string key) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{rv.ToString(CultureInfo.InvariantCulture)}|{key}"));

    private static (string Ns, string Name) Decode(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var key = text[(text.IndexOf('|', StringComparison.Ordinal) + 1)..];
            var split = key.IndexOf('\0', StringComparison.Ordinal);
            return split < 0 ? ("", key) : (key[..split], key[(split + 1)..]);
        }
        catch (FormatException)
        {
            throw ApiException.BadRequest("continue key is not valid: illegal base64 data");
        }
    }
}

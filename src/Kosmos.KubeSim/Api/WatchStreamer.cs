using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kosmos.KubeSim.Control;
using Kosmos.KubeSim.Store;
using Microsoft.AspNetCore.Http;

namespace Kosmos.KubeSim.Api;

/// <summary>Settings of API watches.</summary>
public sealed class WatchOptions
{
    /// <summary>How often a watch that asked for bookmarks gets one (a real server: about a minute).</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Events a watch may fall behind before it is cut off.</summary>
    public int BufferCapacity { get; set; } = 10_000;
}

/// <summary>
/// One watch response: chunked HTTP, one JSON event per line, flushed per event. Replays history from the requested
/// resourceVersion; an expired version is answered with an ERROR event carrying a 410 Status, as a real server does.
/// Every byte written counts in <see cref="SimulatorStats.BytesServed"/>: for a watching client, events are the traffic.
/// </summary>
internal sealed class WatchStreamer(ObjectStore store, TimeProvider time, WatchOptions options, SimulatorStats stats)
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public async Task StreamAsync(HttpContext http, ResourceKind kind, string? ns, ObjectSelectors selectors)
    {
        var request = http.Request;
        var asTable = HttpJson.WantsTable(request);
        var bookmarks = HttpJson.QueryFlag(request, "allowWatchBookmarks");
        long? fromRv = HttpJson.Query(request, "resourceVersion") is { } rvText
            ? long.TryParse(rvText, CultureInfo.InvariantCulture, out var rv) ? rv : throw ApiException.BadRequest($"invalid resource version: {rvText}")
            : null;
        var timeout = HttpJson.Query(request, "timeoutSeconds") is { } t && int.TryParse(t, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromMinutes(30);

        http.Response.StatusCode = 200;
        http.Response.ContentType = asTable ? HttpJson.TableContentType : HttpJson.Json;
        http.Response.Headers.CacheControl = "no-cache, private";
        WatchSubscription subscription;
        try
        {
            subscription = store.Watch(kind, ns, fromRv, options.BufferCapacity);
        }
        catch (ApiException ex) when (ex.Code == 410)
        {
            await WriteEventAsync(http, stats, "ERROR", ex.ToStatus());
            return;
        }

        using var watchScope = subscription;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        cts.CancelAfter(timeout);
        await http.Response.StartAsync(cts.Token);

        // Flush the headers now: a client waiting for its first event (kubectl delete --wait) must see the stream is open.
        await http.Response.Body.FlushAsync(cts.Token);
        var sentColumns = false;
        var lastRv = fromRv ?? 0;
        try
        {
            var reader = subscription.Events;
            var waitForEvent = reader.WaitToReadAsync(cts.Token).AsTask();
            while (true)
            {
                if (bookmarks)
                {
                    var bookmarkDue = Task.Delay(options.BookmarkInterval, time, cts.Token);
                    if (await Task.WhenAny(waitForEvent, bookmarkDue) == bookmarkDue)
                    {
                        // Read the version first, then check nothing is queued: any event at or below that version was
                        // queued before it was read, so a bookmark never runs ahead of an undelivered event.
                        var current = store.CurrentResourceVersion;
                        if (!reader.TryPeek(out _))
                        {
                            await WriteEventAsync(http, stats, "BOOKMARK", Bookmark(kind, Math.Max(lastRv, current)));
                        }

                        continue;
                    }
                }

                if (!await waitForEvent)
                {
                    return; // the store ended this watch (dropped, or the client fell behind): the client re-watches.
                }

                while (reader.TryRead(out var e))
                {
                    lastRv = e.ResourceVersion;
                    if (!selectors.Matches(e.Object))
                    {
                        continue;
                    }

                    JsonNode payload = e.Object;
                    if (asTable)
                    {
                        var table = TableConverter.ToTable(kind, [e.Object], e.ResourceVersion, time.GetUtcNow(), includeFullObject: false);
                        if (sentColumns)
                        {
                            table["columnDefinitions"] = new JsonArray();
                        }

                        sentColumns = true;
                        payload = table;
                    }

                    await WriteEventAsync(http, stats, e.WireType, payload);
                }

                waitForEvent = reader.WaitToReadAsync(cts.Token).AsTask();
            }
        }
        catch (OperationCanceledException)
        {
            // Client went away or timeoutSeconds elapsed: ending the stream is the answer.
        }
    }

    private static JsonObject Bookmark(ResourceKind kind, long rv) => new()
    {
        ["kind"] = kind.Kind,
        ["apiVersion"] = kind.ApiVersion,
        ["metadata"] = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture) },
    };

    private static async Task WriteEventAsync(HttpContext http, SimulatorStats stats, string type, JsonNode payload)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["type"] = type, ["object"] = payload.DeepClone() });
        stats.CountBytes(bytes.Length + NewLine.Length);
        await http.Response.Body.WriteAsync(bytes);
        await http.Response.Body.WriteAsync(NewLine);
        await http.Response.Body.FlushAsync();
    }
}

using System.Globalization;
using System.Text;
using Kosmos.KubeSim.Runtime;
using Microsoft.AspNetCore.Http;

namespace Kosmos.KubeSim.Api;

/// <summary>GET pods/P/log: text/plain, with previous, tailLines, sinceSeconds, timestamps and follow (flushed per line).</summary>
internal sealed class LogStreamer(IPodRuntime runtime, TimeProvider time)
{
    public async Task StreamAsync(HttpContext http, string ns, string pod, string? container)
    {
        var request = http.Request;
        var previous = HttpJson.QueryFlag(request, "previous");
        var follow = HttpJson.QueryFlag(request, "follow") && !previous;
        var timestamps = HttpJson.QueryFlag(request, "timestamps");
        IEnumerable<LogLine> lines = runtime.ReadLog(ns, pod, container, previous);
        if (HttpJson.Query(request, "sinceSeconds") is { } since && long.TryParse(since, CultureInfo.InvariantCulture, out var s))
        {
            var cutoff = time.GetUtcNow().AddSeconds(-s);
            lines = lines.Where(l => l.Time >= cutoff);
        }

        if (HttpJson.Query(request, "tailLines") is { } tail && int.TryParse(tail, CultureInfo.InvariantCulture, out var n) && n >= 0)
        {
            lines = lines.TakeLast(n);
        }

        // Start following before writing the backlog, so no line falls between the two.
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        var live = follow ? runtime.FollowLog(ns, pod, container, cts.Token).GetAsyncEnumerator(cts.Token) : null;
        http.Response.StatusCode = 200;
        http.Response.ContentType = "text/plain";
        var body = http.Response.Body;
        foreach (var line in lines)
        {
            await body.WriteAsync(Format(line, timestamps), http.RequestAborted);
        }

        if (live is null)
        {
            return;
        }

        await body.FlushAsync(http.RequestAborted);
        try
        {
            await using (live)
            {
                while (await live.MoveNextAsync())
                {
                    await body.WriteAsync(Format(live.Current, timestamps), http.RequestAborted);
                    await body.FlushAsync(http.RequestAborted);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The client stopped following.
        }
    }

    private static byte[] Format(LogLine line, bool timestamps) => Encoding.UTF8.GetBytes(
        timestamps
            ? $"{line.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'00Z'", CultureInfo.InvariantCulture)} {line.Text}\n"
            : line.Text + "\n");
}

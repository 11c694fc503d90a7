using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using Kosmos.Recovery.Live;
using Microsoft.Extensions.Logging;

namespace Kosmos.Cluster.Logs;

/// <summary>Reads container logs from the API server on demand. Thread-safe; holds no state but the client.</summary>
public sealed partial class ClusterPodLogs(IKubernetes client, ILogger<ClusterPodLogs> logger) : IPodLogs
{
    public async Task<LogResult> ReadAsync(string ns, string pod, string container, bool previous, int tailLines, CancellationToken ct)
    {
        try
        {
            await using var stream = await client.CoreV1.ReadNamespacedPodLogAsync(pod, ns, container: container, previous: previous,
                tailLines: tailLines > 0 ? tailLines : null, cancellationToken: ct);
            using var reader = new StreamReader(stream);
            var lines = new List<string>();
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                lines.Add(line);
            }

            return new LogResult(lines, null);
        }
        catch (HttpOperationException ex)
        {
            var message = StatusMessage(ex) ?? $"the API server answered {(int)ex.Response.StatusCode}";
            if (previous && ex.Response.StatusCode == HttpStatusCode.BadRequest)
            {
                // The server's 'previous terminated container "agent" in pod "x" not found', said as a person would: the
                // container has not crashed or restarted (the panel checks first; this is the race where it just did).
                return LogResult.Failed($"No previous run: container {container} of pod {pod} has not crashed or restarted, so there is only the current run.");
            }

            LogReadRefused(logger, ns, pod, container, previous, message);
            return LogResult.Failed(message);
        }
        catch (HttpRequestException ex)
        {
            LogUnreachable(logger, ex, ns, pod);
            return LogResult.Failed($"The API server could not be reached: {ex.Message}");
        }
    }

    public async IAsyncEnumerable<string> FollowAsync(string ns, string pod, string container, [EnumeratorCancellation] CancellationToken ct)
    {
        // tailLines 0: only what is written from now on; the panel already shows the backlog it read.
        var stream = await client.CoreV1.ReadNamespacedPodLogAsync(pod, ns, container: container, follow: true, tailLines: 0, cancellationToken: ct);
        await using (stream)
        {
            using var reader = new StreamReader(stream);
            while (!ct.IsCancellationRequested)
            {
                string? line;
                try
                {
                    line = await reader.ReadLineAsync(ct);
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }

                if (line is null)
                {
                    yield break;
                }

                yield return line;
            }
        }
    }

    private static string? StatusMessage(HttpOperationException ex)
    {
        try
        {
            using var doc = JsonDocument.Parse(ex.Response.Content ?? "");
            return doc.RootElement.TryGetProperty("message", out var m) ? m.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading logs of {Namespace}/{Pod} container {Container} (previous: {Previous}) failed: {Message}")]
    private static partial void LogReadRefused(ILogger logger, string @namespace, string pod, string container, bool previous, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading logs of {Namespace}/{Pod} failed: the API server could not be reached")]
    private static partial void LogUnreachable(ILogger logger, Exception ex, string @namespace, string pod);
}

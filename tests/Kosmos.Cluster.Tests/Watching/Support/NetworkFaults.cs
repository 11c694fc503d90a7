using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;

namespace Kosmos.Cluster.Tests.Watching.Support;

/// <summary>
/// The network between the cache under test and the simulator, as a handler in the cache's own KubernetesClient: it can
/// hold new requests (a partition: the cache cannot reach the server while the test changes things), freeze open watch
/// streams (a half-open connection: no bytes, no close), answer one resource with 403 (what an RBAC-restricted server
/// says; the simulator has no authorization), and records every request with its answer.
/// </summary>
public sealed class NetworkFaults : DelegatingHandler
{
    private readonly Lock _gate = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly List<FreezableStream> _watchStreams = [];
    private TaskCompletionSource _open = CompletedGate();
    private int _held;
    private string? _forbiddenResource;

    public NetworkFaults()
        : base(new SocketsHttpHandler())
    {
    }

    /// <summary>Requests waiting at a closed gate now.</summary>
    public int Held => Volatile.Read(ref _held);

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>New requests wait until <see cref="Release"/> (requests already under way are not affected).</summary>
    public void Hold()
    {
        lock (_gate)
        {
            if (_open.Task.IsCompleted)
            {
                _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    public void Release()
    {
        lock (_gate)
        {
            _open.TrySetResult();
        }
    }

    /// <summary>Answers every request for <paramref name="resource"/> (a plural, e.g. <c>replicasets</c>) with 403 Forbidden; null lifts it.</summary>
    public void Forbid(string? resource) => Volatile.Write(ref _forbiddenResource, resource);

    /// <summary>Open watch streams stop delivering anything (and never end by themselves); new watches are unaffected.</summary>
    public int FreezeOpenWatches()
    {
        lock (_gate)
        {
            var open = _watchStreams.Where(s => !s.IsDisposed).ToList();
            foreach (var stream in open)
            {
                stream.Freeze();
            }

            _watchStreams.Clear();
            return open.Count;
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Task open;
        lock (_gate)
        {
            open = _open.Task;
        }

        if (!open.IsCompleted)
        {
            Interlocked.Increment(ref _held);
            try
            {
                await open.WaitAsync(cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _held);
            }
        }

        var uri = request.RequestUri!;
        var sentAt = Stopwatch.GetTimestamp();
        var isWatch = uri.Query.Contains("watch=true", StringComparison.Ordinal);
        HttpResponseMessage response;
        if (Volatile.Read(ref _forbiddenResource) is { } forbidden && uri.AbsolutePath.EndsWith("/" + forbidden, StringComparison.Ordinal))
        {
            response = Forbidden(request, forbidden);
        }
        else
        {
            response = await base.SendAsync(request, cancellationToken);
        }

        _requests.Enqueue(new RecordedRequest(uri.AbsolutePath, uri.Query, isWatch, (int)response.StatusCode, sentAt, Stopwatch.GetTimestamp()));
        if (isWatch && response.IsSuccessStatusCode)
        {
            var stream = new FreezableStream(await response.Content.ReadAsStreamAsync(cancellationToken));
            var content = new StreamContent(stream);
            foreach (var header in response.Content.Headers)
            {
                content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Content = content;
            lock (_gate)
            {
                _watchStreams.RemoveAll(s => s.IsDisposed);
                _watchStreams.Add(stream);
            }
        }

        return response;
    }

    private static HttpResponseMessage Forbidden(HttpRequestMessage request, string resource)
    {
        var body = $$"""
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"{{resource}} is forbidden: User \"system:serviceaccount:kosmos:dashboard\" cannot list resource \"{{resource}}\"","reason":"Forbidden","details":{"kind":"{{resource}}"},"code":403}
            """;
        return new HttpResponseMessage(HttpStatusCode.Forbidden)
        {
            RequestMessage = request,
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
    }

    private static TaskCompletionSource CompletedGate()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }
}

/// <summary>One request the cache made and the status it got. Timestamps are <see cref="Stopwatch"/> ticks.</summary>
public sealed record RecordedRequest(string Path, string Query, bool IsWatch, int StatusCode, long SentAt, long AnsweredAt)
{
    public string Resource => Path[(Path.LastIndexOf('/') + 1)..];
}

/// <summary>A response stream that can be made to go quiet, like a connection whose peer vanished.</summary>
internal sealed class FreezableStream(Stream inner) : Stream
{
    private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _frozen;

    public bool IsDisposed => _disposed.Task.IsCompleted;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public void Freeze() => _frozen = true;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_frozen)
        {
            var read = inner.ReadAsync(buffer, cancellationToken).AsTask();
            await Task.WhenAny(read, _disposed.Task);
            if (!_frozen && read.IsCompleted)
            {
                return await read;
            }

            // Frozen meanwhile: whatever arrived is lost, as on a dead connection.
            _ = read.ContinueWith(t => t.Exception, TaskScheduler.Default);
        }

        await _disposed.Task.WaitAsync(cancellationToken);
        return 0;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _disposed.TrySetResult();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using k8s;

namespace Kosmos.Cluster.Exec;

/// <summary>What a command run in a container answered: its exit code, its stdout bytes and its stderr text.</summary>
public sealed record ExecResult(int ExitCode, byte[] Stdout, string Stderr)
{
    public string StdoutText => Encoding.UTF8.GetString(Stdout);

    /// <summary>stderr, else stdout, trimmed and cut to a length a message can carry.</summary>
    public string Message
    {
        get
        {
            var text = (Stderr.Trim().Length > 0 ? Stderr : StdoutText).Trim();
            return text.Length > 400 ? text[..400] + "…" : text;
        }
    }
}

/// <summary>The output went past the limit the caller set; the command was abandoned.</summary>
public sealed class ExecOutputTooLargeException(long limit) : Exception($"the command wrote more than {limit} bytes to stdout")
{
    public long Limit { get; } = limit;
}

/// <summary>
/// <c>kubectl exec</c> through KubernetesClient: one command in one container over the API server's exec WebSocket
/// (<c>v5.channel.k8s.io</c>, so stdin can be closed as kubectl 1.30+ does and a command reading it to the end ends).
/// A singleton; thread-safe; every call opens its own connection.
/// </summary>
public sealed class PodExec(IKubernetes client)
{
    /// <summary>The channel protocol with a close-stdin signal; the .NET client's default (v4) has none.</summary>
    public const string ChannelProtocol = "v5.channel.k8s.io";

    /// <summary>
    /// Runs <paramref name="command"/> (no shell unless the command is one) and waits for it to end. <paramref name="stdin"/>,
    /// when given, is written and then closed. Stdout beyond <paramref name="maxStdoutBytes"/> abandons the command with
    /// <see cref="ExecOutputTooLargeException"/>. API errors (404 pod, 400 container) surface as the client's exceptions.
    /// </summary>
    public async Task<ExecResult> RunAsync(string ns, string pod, string container, IReadOnlyList<string> command, byte[]? stdin,
        long maxStdoutBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        using var socket = await client.WebSocketNamespacedPodExecAsync(pod, ns, command, container,
            stderr: true, stdin: stdin is not null, stdout: true, tty: false, webSocketSubProtocol: ChannelProtocol,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        using var demuxer = new StreamDemuxer(socket, StreamType.RemoteCommand);
        demuxer.Start();
        using var stdout = demuxer.GetStream(ChannelIndex.StdOut, null);
        using var stderr = demuxer.GetStream(ChannelIndex.StdErr, null);
        using var status = demuxer.GetStream(ChannelIndex.Error, null);
        var readOut = ReadBoundedAsync(stdout, maxStdoutBytes, cancellationToken);
        var readErr = ReadBoundedAsync(stderr, 64 * 1024, cancellationToken);
        var readStatus = ReadBoundedAsync(status, 64 * 1024, cancellationToken);
        if (stdin is not null)
        {
            // Chunks well under a WebSocket frame limit, then the v5 close-stdin signal (EOF for the command).
            for (var offset = 0; offset < stdin.Length; offset += 32 * 1024)
            {
                await demuxer.Write(ChannelIndex.StdIn, stdin, offset, Math.Min(32 * 1024, stdin.Length - offset), cancellationToken).ConfigureAwait(false);
            }

            await demuxer.CloseChannel(ChannelIndex.StdIn, cancellationToken).ConfigureAwait(false);
        }

        // The status channel ends the exec: its one message carries the exit code, then the server closes the socket.
        var statusBytes = await readStatus.ConfigureAwait(false);
        var output = await readOut.ConfigureAwait(false);
        var errors = await readErr.ConfigureAwait(false);
        if (socket.State == WebSocketState.Open)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None).ConfigureAwait(false);
        }

        return new ExecResult(ExitCode(statusBytes), output, Encoding.UTF8.GetString(errors));
    }

    /// <summary>Opens <paramref name="command"/> (a shell) with a TTY and stdin. API errors surface as the client's exceptions.</summary>
    public async Task<ExecShell> OpenShellAsync(string ns, string pod, string container, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var socket = await client.WebSocketNamespacedPodExecAsync(pod, ns, command, container,
            stderr: true, stdin: true, stdout: true, tty: true, webSocketSubProtocol: ChannelProtocol,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        var demuxer = new StreamDemuxer(socket, StreamType.RemoteCommand);
        demuxer.Start();
        return new ExecShell(socket, demuxer);
    }

    /// <summary>The exit code in a v4/v5 status message: 0 for Success, the NonZeroExitCode cause, else 1.</summary>
    public static int ExitCode(byte[] status)
    {
        if (status.Length == 0)
        {
            // The server closed without a status: the command did not run to its end.
            return -1;
        }

        using var document = JsonDocument.Parse(status);
        var root = document.RootElement;
        if (root.TryGetProperty("status", out var state) && state.GetString() == "Success")
        {
            return 0;
        }

        if (root.TryGetProperty("details", out var details) && details.TryGetProperty("causes", out var causes))
        {
            foreach (var cause in causes.EnumerateArray())
            {
                if (cause.TryGetProperty("reason", out var reason) && reason.GetString() == "ExitCode"
                    && int.TryParse(cause.GetProperty("message").GetString(), System.Globalization.CultureInfo.InvariantCulture, out var code))
                {
                    return code;
                }
            }
        }

        return 1;
    }

    private static async Task<byte[]> ReadBoundedAsync(Stream stream, long limit, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new ExecOutputTooLargeException(limit);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}

/// <summary>
/// An interactive shell in a container (<c>kubectl exec -it &lt;pod&gt; -- /bin/sh</c>): a TTY, so stderr arrives merged
/// into <see cref="Output"/>. Write keystrokes with <see cref="WriteAsync"/>, resize with <see cref="ResizeAsync"/>;
/// <see cref="Output"/> ends when the shell exits or the connection drops. Writes must not overlap (one writer).
/// </summary>
public sealed class ExecShell : IAsyncDisposable
{
    private readonly WebSocket _socket;
    private readonly StreamDemuxer _demuxer;

    internal ExecShell(WebSocket socket, StreamDemuxer demuxer)
    {
        _socket = socket;
        _demuxer = demuxer;
        Output = demuxer.GetStream(ChannelIndex.StdOut, null);
    }

    public Stream Output { get; }

    public Task WriteAsync(byte[] data, int count, CancellationToken ct) => _demuxer.Write(ChannelIndex.StdIn, data, 0, count, ct);

    public Task ResizeAsync(int columns, int rows, CancellationToken ct)
    {
        var size = JsonSerializer.SerializeToUtf8Bytes(new { Width = columns, Height = rows });
        return _demuxer.Write(ChannelIndex.Resize, size, 0, size.Length, ct);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The pod side is gone already: nothing to close.
        }

        Output.Dispose();
        _demuxer.Dispose();
        _socket.Dispose();
    }
}

using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text.Json;
using Kosmos.KubeSim.Exec.Io;
using Microsoft.Extensions.Logging;

namespace Kosmos.KubeSim.Exec.Protocol;

/// <summary>
/// One accepted exec WebSocket: demultiplexes the client's stdin / resize / close-signal messages, multiplexes the
/// command's stdout / stderr into binary channel messages as they are written, and ends with one status message and
/// a normal close. Lifetime: one <see cref="RunAsync"/>, then disposed by its handler (RunAsync returns only after the
/// receive loop has ended, so nothing touches the session's lock or token source after that).
/// </summary>
internal sealed partial class ExecWebSocketSession : IDisposable
{
    private const int MaxFramePayload = 32 * 1024;
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(5);

    // client-go's v5 WebSocket executor (kubectl 1.30-1.32) starts reading before it has created its streams and drops
    // messages for streams it does not know yet ("Unknown stream id 1, discarding message"), losing output or even the
    // status (kubectl then fails with "closed all streams"). Newer client-go waits for its streams first. A real
    // kubelet never answers that fast; neither do we: the command starts after a container-runtime-like latency.
    private static readonly TimeSpan V5StartLatency = TimeSpan.FromMilliseconds(100);

    // How long to wait for the client's close frame after ours. kubectl answers at once, but dropping the connection
    // earlier risks a reset that destroys data the client has received but not yet read (the status). The .NET client
    // never answers (it leaves its socket to the GC), so this is also how long such an exec lingers: the caller's
    // token (pod gone, server stopping) cuts it short.
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    private readonly WebSocket _socket;
    private readonly int _version;
    private readonly ExecStreams _streams;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Pipe _stdin = new(new PipeOptions(pauseWriterThreshold: 4 * 1024 * 1024, resumeWriterThreshold: 2 * 1024 * 1024));
    private readonly CancellationTokenSource _clientGone = new();
    private bool _stdinCompleted;

    public ExecWebSocketSession(WebSocket socket, string protocol, ExecStreams streams, ILogger logger)
    {
        _socket = socket;
        _version = ChannelProtocol.VersionOf(protocol);
        _streams = streams;
        _logger = logger;
    }

    /// <summary>The last size a tty client reported (v3 and later), if any.</summary>
    public (int Width, int Height)? TerminalSize { get; private set; }

    public async Task RunAsync(ExecCommandRunner runner, ExecContext context, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var receiving = ReceiveLoopAsync();
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _clientGone.Token);

        Stream stdin = _streams.Stdin ? _stdin.Reader.AsStream() : Stream.Null;
        Stream stdout = _streams.Stdout ? new ChannelWriteStream(this, ChannelProtocol.Stdout, lifetime.Token) : Stream.Null;
        Stream stderr = _streams.Tty ? stdout
            : _streams.Stderr ? new ChannelWriteStream(this, ChannelProtocol.Stderr, lifetime.Token)
            : Stream.Null;

        byte[]? status = null;
        try
        {
            if (_version >= 5)
            {
                await Task.Delay(V5StartLatency, lifetime.Token).ConfigureAwait(false);
            }

            var exitCode = await runner.RunAsync(context, command, new ExecIo(stdin, stdout, stderr, _streams.Tty), lifetime.Token).ConfigureAwait(false);
            LogFinished(context.PodName, context.ContainerName, exitCode);
            status = exitCode == 0 ? ExecStatus.Success() : _version >= 4 ? ExecStatus.NonZeroExit(command, exitCode) : ExecStatus.Text(ExecStatus.NonZeroExitMessage(command, exitCode));
            if (_version < 4 && exitCode == 0)
            {
                status = null; // before v4 the error channel carries only errors
            }
        }
        catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
        {
            LogAbandoned(context.PodName, context.ContainerName, _clientGone.IsCancellationRequested ? "the client went away" : "the exec was cancelled");
        }
        catch (IOException) when (_clientGone.IsCancellationRequested)
        {
            LogAbandoned(context.PodName, context.ContainerName, "the client went away");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(e, context.PodName, context.ContainerName);
            var message = $"error executing command [{string.Join(' ', command)}]: {e.Message}";
            status = _version >= 4 ? ExecStatus.InternalError(message) : ExecStatus.Text(message);
        }
        finally
        {
            await _stdin.Reader.CompleteAsync().ConfigureAwait(false);
        }

        await FinishAsync(status, receiving, cancellationToken).ConfigureAwait(false);

        // FinishAsync saw the receive loop end or aborted the socket, which ends it now; its own failures are its
        // business (it catches what a dropped connection throws), but it must be over before the session is disposed.
        await receiving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose()
    {
        _sendLock.Dispose();
        _clientGone.Dispose();
    }

    /// <summary>Sends one channel message; large payloads go as several (each starting with the channel byte).</summary>
    internal async ValueTask SendAsync(byte channel, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(payload.Length, MaxFramePayload) + 1);
        try
        {
            do
            {
                var count = Math.Min(payload.Length, MaxFramePayload);
                buffer[0] = channel;
                payload.Span[..count].CopyTo(buffer.AsSpan(1));
                await _socket.SendAsync(buffer.AsMemory(0, count + 1), WebSocketMessageType.Binary, endOfMessage: true, cancellationToken).ConfigureAwait(false);
                payload = payload[count..];
            }
            while (payload.Length > 0);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException)
        {
            _clientGone.Cancel();
            throw new IOException("The exec client disconnected.", e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _sendLock.Release();
        }
    }

    private async Task FinishAsync(byte[]? status, Task receiving, CancellationToken cancellationToken)
    {
        var serverCancelled = cancellationToken.IsCancellationRequested;
        try
        {
            using (var sending = new CancellationTokenSource(SendTimeout))
            {
                if (!_clientGone.IsCancellationRequested && _socket.State == WebSocketState.Open)
                {
                    if (status is not null)
                    {
                        await SendAsync(ChannelProtocol.Error, status, sending.Token).ConfigureAwait(false);
                    }

                    // Close the output side only: the client answers with its own close frame, which ends the receive loop.
                    await _socket.CloseOutputAsync(
                        serverCancelled && status is null ? WebSocketCloseStatus.EndpointUnavailable : WebSocketCloseStatus.NormalClosure,
                        serverCancelled && status is null ? "exec cancelled" : null,
                        sending.Token).ConfigureAwait(false);
                }
                else if (_socket.State == WebSocketState.CloseReceived)
                {
                    // The client closed first: complete its handshake.
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, sending.Token).ConfigureAwait(false);
                }
            }

            // When the exec was cancelled in the first place, the client still gets its chance to read the close frame.
            using var waiting = serverCancelled ? new CancellationTokenSource() : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            waiting.CancelAfter(CloseHandshakeTimeout);
            await receiving.WaitAsync(waiting.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            // The client did not complete the close handshake in time, or is already gone: drop the connection.
            _socket.Abort();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        await Task.Yield();
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        byte? channel = null;
        var control = new MemoryStream();
        try
        {
            while (true)
            {
                // No token: cancelling a pending receive aborts the socket. The loop ends with the client's close frame,
                // or with an exception when the connection drops or FinishAsync aborts it. Pings are answered inside.
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                var data = buffer.AsMemory(0, result.Count);
                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    if (channel is null && data.Length > 0)
                    {
                        channel = data.Span[0];
                        data = data[1..];
                    }

                    if (channel is { } current)
                    {
                        await DispatchAsync(current, data, result.EndOfMessage, control).ConfigureAwait(false);
                    }
                }

                if (result.EndOfMessage)
                {
                    channel = null;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // Connection dropped or aborted.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            await CompleteStdinAsync().ConfigureAwait(false);

            // Whether the client closed first or acknowledged our close: from here on nobody is listening, so a
            // command that is still running is stopped and nothing more is sent.
            await _clientGone.CancelAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask DispatchAsync(byte channel, ReadOnlyMemory<byte> data, bool endOfMessage, MemoryStream control)
    {
        switch (channel)
        {
            case ChannelProtocol.Stdin when _streams.Stdin && !_stdinCompleted:
                if (data.Length > 0)
                {
                    await _stdin.Writer.WriteAsync(data).ConfigureAwait(false);
                }

                break;
            case ChannelProtocol.Resize when _version >= 3:
            case ChannelProtocol.Close when _version >= 5:
                control.Write(data.Span);
                if (!endOfMessage)
                {
                    break;
                }

                var message = control.ToArray();
                control.SetLength(0);
                if (channel == ChannelProtocol.Close)
                {
                    if (message.Contains(ChannelProtocol.Stdin))
                    {
                        await CompleteStdinAsync().ConfigureAwait(false);
                    }
                }
                else
                {
                    TerminalSize = ParseSize(message) ?? TerminalSize;
                }

                break;
        }
    }

    private async ValueTask CompleteStdinAsync()
    {
        if (!_stdinCompleted)
        {
            _stdinCompleted = true;
            await _stdin.Writer.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static (int Width, int Height)? ParseSize(byte[] message)
    {
        try
        {
            using var document = JsonDocument.Parse(message);
            var root = document.RootElement;
            return root.TryGetProperty("Width", out var width) && root.TryGetProperty("Height", out var height)
                ? (width.GetInt32(), height.GetInt32())
                : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Exec in {Pod}/{Container} exited with {ExitCode}")]
    private partial void LogFinished(string pod, string container, int exitCode);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Exec in {Pod}/{Container} stopped: {Reason}")]
    private partial void LogAbandoned(string pod, string container, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Exec in {Pod}/{Container} failed")]
    private partial void LogFailed(Exception exception, string pod, string container);

    /// <summary>A command's stdout or stderr: each write becomes channel messages right away.</summary>
    private sealed class ChannelWriteStream(ExecWebSocketSession session, byte channel, CancellationToken lifetime) : WriteOnlyStream
    {
        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (buffer.Length == 0)
            {
                return;
            }

            using var linked = CancellationTokenSource.CreateLinkedTokenSource(lifetime, cancellationToken);
            await session.SendAsync(channel, buffer, linked.Token).ConfigureAwait(false);
        }
    }
}

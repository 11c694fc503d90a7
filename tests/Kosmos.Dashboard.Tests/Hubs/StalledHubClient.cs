using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace Kosmos.Dashboard.Tests.Hubs;

/// <summary>
/// A hand-written SignalR client (JSON protocol over a WebSocket) that starts streams and then never reads its socket again,
/// like a wallboard whose tab froze. Its TCP receive buffer is kept small, so what the server sends soon backs up on the
/// server's side. The .NET HubConnection cannot play this part: it reads the socket eagerly into an unbounded queue.
/// </summary>
public sealed class StalledHubClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';

    private readonly ClientWebSocket _webSocket = new();
    private readonly SocketsHttpHandler _handler;
    private Socket? _socket;

    private StalledHubClient()
    {
        _handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = 4096 };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }

                _socket = socket;
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
    }

    /// <summary>Bytes the server has delivered into this client's socket that it has not read.</summary>
    public int UnreadBytes => _socket?.Available ?? 0;

    /// <summary>Connects straight over WebSockets (no negotiate) and completes the SignalR handshake.</summary>
    public static async Task<StalledHubClient> ConnectAsync(Uri hubUrl, CancellationToken ct)
    {
        var client = new StalledHubClient();
        try
        {
            var ws = new UriBuilder(hubUrl) { Scheme = hubUrl.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" }.Uri;
            await client._webSocket.ConnectAsync(ws, new HttpMessageInvoker(client._handler, disposeHandler: false), ct);
            await client.SendAsync("""{"protocol":"json","version":1}""", ct);

            // The handshake answer is "{}" then the separator; anything else carries an error.
            var buffer = new byte[1024];
            var received = await client._webSocket.ReceiveAsync(buffer, ct);
            var answer = Encoding.UTF8.GetString(buffer, 0, received.Count);
            if (answer != "{}" + RecordSeparator)
            {
                throw new InvalidOperationException($"SignalR handshake failed: {answer}");
            }

            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts <paramref name="count"/> server-to-client streams of <paramref name="target"/>, none of which will be read.</summary>
    public async Task StartStreamsAsync(string target, int count, CancellationToken ct)
    {
        for (var i = 0; i < count; i++)
        {
            await SendAsync($$"""{"type":4,"invocationId":"{{i}}","target":"{{target}}","arguments":[]}""", ct);
        }
    }

    public ValueTask DisposeAsync()
    {
        // No close handshake: that would need reading; the server sees the connection reset and ends its streams.
        _webSocket.Abort();
        _webSocket.Dispose();
        _handler.Dispose();
        return ValueTask.CompletedTask;
    }

    private Task SendAsync(string message, CancellationToken ct) =>
        _webSocket.SendAsync(Encoding.UTF8.GetBytes(message + RecordSeparator), WebSocketMessageType.Text, endOfMessage: true, ct);
}

using System.Net.WebSockets;
using System.Text;

namespace Kosmos.KubeSim.Tests.Exec;

/// <summary>A bare remotecommand client over ClientWebSocket, to look at the wire protocol message by message.</summary>
internal sealed class ExecWebSocketClient : IDisposable
{
    private readonly Dictionary<byte, MemoryStream> _channels = [];

    private ExecWebSocketClient(ClientWebSocket socket) => Socket = socket;

    public ClientWebSocket Socket { get; }

    /// <summary>Every received message as (channel, payload), in order.</summary>
    public List<(byte Channel, byte[] Payload)> Messages { get; } = [];

    public static async Task<ExecWebSocketClient> ConnectAsync(string serverUrl, string pod, string query, string[] protocols, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        foreach (var protocol in protocols)
        {
            socket.Options.AddSubProtocol(protocol);
        }

        configure?.Invoke(socket.Options);
        var uri = new Uri(serverUrl.Replace("http://", "ws://", StringComparison.Ordinal) + $"/api/v1/namespaces/kosmos/pods/{pod}/exec?{query}");
        using var timeout = new CancellationTokenSource(ExecTestSupport.TestTimeout);
        await socket.ConnectAsync(uri, timeout.Token);
        return new ExecWebSocketClient(socket);
    }

    public string Text(byte channel) => _channels.TryGetValue(channel, out var data) ? Encoding.UTF8.GetString(data.ToArray()) : string.Empty;

    public async Task SendAsync(byte channel, byte[] payload)
    {
        using var timeout = new CancellationTokenSource(ExecTestSupport.TestTimeout);
        await Socket.SendAsync((byte[])[channel, .. payload], WebSocketMessageType.Binary, endOfMessage: true, timeout.Token);
    }

    public Task SendTextAsync(byte channel, string text) => SendAsync(channel, Encoding.UTF8.GetBytes(text));

    /// <summary>Receives messages until <paramref name="condition"/> holds; false when the server closed first.</summary>
    public async Task<bool> ReceiveUntilAsync(Func<ExecWebSocketClient, bool> condition)
    {
        using var timeout = new CancellationTokenSource(ExecTestSupport.TestTimeout);
        var buffer = new byte[128 * 1024];
        while (!condition(this))
        {
            var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await Socket.ReceiveAsync(buffer, timeout.Token);
                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return false;
            }

            Assert.Equal(WebSocketMessageType.Binary, result.MessageType);
            var bytes = message.ToArray();
            Messages.Add((bytes[0], bytes[1..]));
            if (!_channels.TryGetValue(bytes[0], out var channel))
            {
                _channels[bytes[0]] = channel = new MemoryStream();
            }

            channel.Write(bytes, 1, bytes.Length - 1);
        }

        return true;
    }

    /// <summary>Receives everything up to the server's close frame, then completes the close handshake.</summary>
    public async Task<WebSocketCloseStatus?> ReceiveToCloseAsync()
    {
        Assert.False(await ReceiveUntilAsync(_ => false));
        using var timeout = new CancellationTokenSource(ExecTestSupport.TestTimeout);
        await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        return Socket.CloseStatus;
    }

    public void Dispose() => Socket.Dispose();
}

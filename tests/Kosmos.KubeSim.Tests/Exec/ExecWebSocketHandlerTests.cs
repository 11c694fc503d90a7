using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Kosmos.KubeSim.Exec;
using static Kosmos.KubeSim.Tests.Exec.ExecTestSupport;

namespace Kosmos.KubeSim.Tests.Exec;

/// <summary>The remotecommand WebSocket protocol, message by message, over a real loopback socket.</summary>
public sealed class ExecWebSocketHandlerTests : IAsyncLifetime
{
    private const string V5 = "v5.channel.k8s.io";
    private const string V4 = "v4.channel.k8s.io";

    private ExecTestHost _host = null!;
    private ExecContext _pod = null!;

    public async Task InitializeAsync()
    {
        _host = await ExecTestHost.StartAsync();
        // Real time: these tests are about WebSocket pings and timeouts while a command (sleep) runs.
        _pod = CreateContext(StateVolume("c-1"), time: TimeProvider.System);
        _host.AddPod(_pod);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task PlainHttpRequest_Gets400StatusNamingWebSocket()
    {
        using var http = new HttpClient { BaseAddress = new Uri(_host.Url), Timeout = TestTimeout };

        var get = await http.GetAsync($"/api/v1/namespaces/kosmos/pods/{PodName}/exec?command=ls&stdout=true");
        using var spdy = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/namespaces/kosmos/pods/{PodName}/exec?command=ls&stdout=true");
        spdy.Headers.Add("X-Stream-Protocol-Version", "v4.channel.k8s.io");
        var post = await http.SendAsync(spdy);

        foreach (var response in new[] { get, post })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal(("Status", "Failure", "BadRequest", 400), ((string?)status["kind"], (string?)status["status"], (string?)status["reason"], (int?)status["code"]));
            Assert.Contains("only over WebSocket", (string?)status["message"]);
        }
    }

    [Fact]
    public async Task UnsupportedSubprotocol_IsRefused()
    {
        var error = await Assert.ThrowsAsync<WebSocketException>(() =>
            ExecWebSocketClient.ConnectAsync(_host.Url, PodName, "command=ls&stdout=true", ["base64.channel.k8s.io"]));

        Assert.Contains("400", error.Message);
    }

    [Fact]
    public async Task V5_StdinThenCloseSignal_CommandSeesEndOfInputAndSucceeds()
    {
        using var client = await ExecWebSocketClient.ConnectAsync(_host.Url, PodName, "command=cat&stdin=true&stdout=true&stderr=true", [V5]);
        Assert.Equal(V5, client.Socket.SubProtocol);

        await client.SendTextAsync(0, "hello ");
        await client.SendTextAsync(0, "world");
        await client.SendAsync(255, [0]);
        var close = await client.ReceiveToCloseAsync();

        Assert.Equal("hello world", client.Text(1));
        Assert.Equal("""{"metadata":{},"status":"Success"}""", client.Text(3));
        Assert.Single(client.Messages, m => m.Channel == 3);
        Assert.Equal(3, client.Messages[^1].Channel);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, close);
    }

    [Fact]
    public async Task V4_NonZeroExit_StatusCarriesExitCodeCause()
    {
        using var client = await ExecWebSocketClient.ConnectAsync(_host.Url, PodName, "command=sh&command=-c&command=echo+oops+%3E%262%3B+exit+42&stdout=1&stderr=1", [V4]);

        await client.ReceiveToCloseAsync();

        Assert.Equal("oops\n", client.Text(2));
        var status = JsonNode.Parse(client.Text(3))!;
        Assert.Equal("Failure", (string?)status["status"]);
        Assert.Equal("NonZeroExitCode", (string?)status["reason"]);
        Assert.Equal("command terminated with non-zero exit code: error executing command [sh -c echo oops >&2; exit 42], exit code 42", (string?)status["message"]);
        var cause = status["details"]!["causes"]![0]!;
        Assert.Equal(("ExitCode", "42"), ((string?)cause["reason"], (string?)cause["message"]));
    }

    [Fact]
    public async Task Output_IsStreamedAsProduced()
    {
        using var client = await ExecWebSocketClient.ConnectAsync(_host.Url, PodName, "command=sh&command=-c&command=echo+first%3B+cat&stdin=true&stdout=true&stderr=true", [V5]);

        // "first" arrives while the command still waits for stdin: nothing is held back until the end.
        Assert.True(await client.ReceiveUntilAsync(c => c.Text(1) == "first\n"));
        Assert.DoesNotContain(client.Messages, m => m.Channel == 3);

        await client.SendTextAsync(0, "second\n");
        Assert.True(await client.ReceiveUntilAsync(c => c.Text(1) == "first\nsecond\n"));
        await client.SendAsync(255, [0]);
        await client.ReceiveToCloseAsync();

        Assert.Equal("""{"metadata":{},"status":"Success"}""", client.Text(3));
    }

    [Fact]
    public async Task LargeOutput_ArrivesIntactInBoundedMessages()
    {
        var content = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 40_000).Select(i => $"line {i}\n")));
        _pod.FileSystem.WriteFile("/tmp/big.log", content);
        using var client = await ExecWebSocketClient.ConnectAsync(_host.Url, PodName, "command=cat&command=%2Ftmp%2Fbig.log&stdout=true&stderr=true", [V4]);

        await client.ReceiveToCloseAsync();

        Assert.Equal(Encoding.UTF8.GetString(content), client.Text(1));
        Assert.All(client.Messages, m => Assert.True(m.Payload.Length <= 32 * 1024));
    }

    [Fact]
    public async Task Tty_EverythingOnStdoutWithTerminalNewlines()
    {
        using var client = await ExecWebSocketClient.ConnectAsync(_host.Url, PodName, "command=%2Fbin%2Fsh&stdin=true&stdout=true&stderr=true&tty=true", [V5]);

        await client.SendTextAsync(4, """{"Width":120,"Height":40}""");
        Assert.True(await client.ReceiveUntilAsync(c => c.Text(1) == "$ "));
        await client.SendTextAsync(0, "cat /nope\r");
        Assert.True(await client.ReceiveUntilAsync(c => c.Text(1).EndsWith("directory\r\n$ ", StringComparison.Ordinal)));
        await client.SendTextAsync(0, "exit\r");
        await client.ReceiveToCloseAsync();

        Assert.Equal("$ cat /nope\r\ncat: /nope: No such file or directory\r\n$ exit\r\n", client.Text(1));
        Assert.DoesNotContain(client.Messages, m => m.Channel == 2);
        Assert.Equal("1", (string?)JsonNode.Parse(client.Text(3))!["details"]!["causes"]![0]!["message"]);
    }

    [Fact]
    public async Task StdoutNotRequested_IsNotSent()
    {
        using var client = await ExecWebSocketClient.ConnectAsync(_host.Url, PodName, "command=sh&command=-c&command=echo+out%3B+echo+err+%3E%262&stdout=false&stderr=true", [V5]);

        await client.ReceiveToCloseAsync();

        Assert.DoesNotContain(client.Messages, m => m.Channel == 1);
        Assert.Equal("err\n", client.Text(2));
    }

    [Fact]
    public async Task ServerPings_AreAnsweredWhileTheCommandRuns()
    {
        // The client pings every 100 ms and gives up after 500 ms without a pong (as kubectl does, only faster).
        using var client = await ExecWebSocketClient.ConnectAsync(_host.Url, PodName, "command=sleep&command=1.5&stdout=true&stderr=true", [V5], o =>
        {
            o.KeepAliveInterval = TimeSpan.FromMilliseconds(100);
            o.KeepAliveTimeout = TimeSpan.FromMilliseconds(500);
        });

        var close = await client.ReceiveToCloseAsync();

        Assert.Equal(WebSocketCloseStatus.NormalClosure, close);
        Assert.Equal("""{"metadata":{},"status":"Success"}""", client.Text(3));
    }

    [Fact]
    public async Task ClientAbort_StopsTheCommand()
    {
        var client = await ExecWebSocketClient.ConnectAsync(_host.Url, PodName, "command=sleep&command=600&stdout=true&stderr=true", [V5]);

        client.Socket.Abort();
        client.Dispose();

        var finished = await _host.CompletedExecs.Reader.ReadAsync().AsTask().WaitAsync(TestTimeout);
        Assert.Equal(["sleep", "600"], finished);
    }

    [Fact]
    public async Task ClientClose_IsAnsweredAndStopsTheCommand()
    {
        using var client = await ExecWebSocketClient.ConnectAsync(_host.Url, PodName, "command=sh&stdin=true&stdout=true&stderr=true", [V4]);
        using var timeout = new CancellationTokenSource(TestTimeout);

        await client.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);

        Assert.Equal(WebSocketState.Closed, client.Socket.State);
        await _host.CompletedExecs.Reader.ReadAsync().AsTask().WaitAsync(TestTimeout);
    }

    [Fact]
    public async Task PodGoingAway_ClosesWith1001AndNoStatus()
    {
        using var client = await ExecWebSocketClient.ConnectAsync(_host.Url, PodName, "command=sleep&command=600&stdout=true&stderr=true", [V5]);

        await _host.StopExecsAsync(PodName);
        var close = await client.ReceiveToCloseAsync();

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, close);
        Assert.Empty(client.Messages);
    }

    [Fact]
    public async Task LegacyChannelProtocol_ErrorChannelIsPlainTextAndOnlyOnFailure()
    {
        using var ok = await ExecWebSocketClient.ConnectAsync(_host.Url, PodName, "command=true&stdout=true", ["channel.k8s.io"]);
        using var failed = await ExecWebSocketClient.ConnectAsync(_host.Url, PodName, "command=false&stdout=true", ["channel.k8s.io"]);

        await ok.ReceiveToCloseAsync();
        await failed.ReceiveToCloseAsync();

        Assert.Empty(ok.Messages);
        Assert.Equal("command terminated with non-zero exit code: error executing command [false], exit code 1", failed.Text(3));
    }
}

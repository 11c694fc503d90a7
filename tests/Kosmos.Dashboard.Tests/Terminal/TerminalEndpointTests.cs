using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Kosmos.Dashboard.Security;
using Kosmos.Dashboard.Terminal;
using Kosmos.Dashboard.Tests.Hosting;
using Kosmos.Recovery.Live;
using Kosmos.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Kosmos.Dashboard.Tests.Terminal;

/// <summary>The browser terminal's WebSocket on the real dashboard: who may open one, from where, and what is audited.</summary>
[Collection(DashboardHostCollection.Name)]
public sealed class TerminalEndpointTests(DashboardHostFixture host)
{
    [Fact]
    public async Task Operator_ShellInAPod_ListsTheConversations_ThenAuditedWithByteCounts()
    {
        var pod = await ReadyPodAsync("archivist");
        var cookies = await SignInAsync("ada", KosmosRoles.Operator);
        var tab = Guid.NewGuid().ToString();
        using var socket = await ConnectAsync(cookies, pod, tab, host.BaseAddress.GetLeftPart(UriPartial.Authority));

        // A second session from the same tab while this one is open is refused.
        using var second = await GetAsync(cookies, $"/terminal/kosmos/{pod}?tab={tab}", host.BaseAddress.GetLeftPart(UriPartial.Authority));
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);

        await SendAsync(socket, "ls /var/lib/kosmos/conversations\r");
        var screen = await ReadUntilAsync(socket, text => text.Contains(".json", StringComparison.Ordinal));
        Assert.Matches(@"conv-[0-9a-f]+-1\.json", screen);
        await SendAsync(socket, "exit\r");
        await ReadUntilClosedAsync(socket);

        var sessions = host.Services.GetRequiredService<TerminalSessions>();
        var entry = await Eventually.Until(async () => (await sessions.RecentAsync(50, CancellationToken.None)).FirstOrDefault(s => s.Pod == pod && s.User == "ada" && s.EndedAt is not null),
            e => e is not null, DashboardHostFixture.Timeout, "the session's end in the audit");
        Assert.Equal((KosmosRoles.Operator, "kosmos", "agent", "the shell ended"), (entry!.Role, entry.Namespace, entry.Container, entry.EndReason));
        Assert.Equal("ls /var/lib/kosmos/conversations\r".Length + "exit\r".Length, entry.BytesIn);
        Assert.True(entry.BytesOut > 0);
    }

    [Fact]
    public async Task Operator_BrowserSendsClose_HandshakeCompletesAndTheSessionEndsAudited()
    {
        var pod = await ReadyPodAsync("archivist");
        var cookies = await SignInAsync("bea", KosmosRoles.Operator);
        var tab = Guid.NewGuid().ToString();
        using var socket = await ConnectAsync(cookies, pod, tab, host.BaseAddress.GetLeftPart(UriPartial.Authority));
        await SendAsync(socket, "echo ready\r");
        await ReadUntilAsync(socket, text => text.Contains("ready", StringComparison.Ordinal));

        // The browser closes the tab's terminal (xterm's socket.close()): the server must answer its Close frame.
        using var timeout = new CancellationTokenSource(DashboardHostFixture.Timeout);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "closed by the page", timeout.Token);

        Assert.Equal(WebSocketState.Closed, socket.State);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
        var sessions = host.Services.GetRequiredService<TerminalSessions>();
        var entry = await Eventually.Until(async () => (await sessions.RecentAsync(50, CancellationToken.None)).FirstOrDefault(s => s.Pod == pod && s.User == "bea" && s.EndReason == "the browser closed the terminal"),
            e => e is not null, DashboardHostFixture.Timeout, "the session's end in the audit");
        Assert.Equal("echo ready\r".Length, entry!.BytesIn);

        // The tab may open a new session at once: the old one is over.
        using var again = await ConnectAsync(cookies, pod, tab, host.BaseAddress.GetLeftPart(UriPartial.Authority));
        Assert.Equal(WebSocketState.Open, again.State);
        await again.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
    }

    [Fact]
    public async Task Operator_SignsOutInAnotherTab_TheOpenShellIsClosedAndAudited()
    {
        var pod = await ReadyPodAsync("archivist");
        var cookies = await SignInAsync("cleo", KosmosRoles.Operator);
        using var socket = await ConnectAsync(cookies, pod, Guid.NewGuid().ToString(), host.BaseAddress.GetLeftPart(UriPartial.Authority));
        await SendAsync(socket, "echo ready\r");
        await ReadUntilAsync(socket, text => text.Contains("ready", StringComparison.Ordinal));

        using (var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress })
        using (var signOut = await client.PostAsync(new Uri("/signout", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        }

        // The server closes the shell: the socket's next read is the Close frame, with the reason.
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(DashboardHostFixture.Timeout);
        WebSocketReceiveResult frame;
        do
        {
            frame = await socket.ReceiveAsync(buffer, timeout.Token);
        }
        while (frame.MessageType != WebSocketMessageType.Close);
        Assert.Equal("signed out", socket.CloseStatusDescription);
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "ok", timeout.Token);
        var sessions = host.Services.GetRequiredService<TerminalSessions>();
        await Eventually.Until(async () => (await sessions.RecentAsync(50, CancellationToken.None)).FirstOrDefault(s => s.Pod == pod && s.User == "cleo" && s.EndReason == "signed out"),
            e => e is not null, DashboardHostFixture.Timeout, "the session's end in the audit");
    }

    [Fact]
    public async Task Viewer_Refused403BeforeAnyExec()
    {
        var pod = await ReadyPodAsync("archivist");
        var cookies = await SignInAsync("victor", KosmosRoles.Viewer);
        await host.ResetSimStatsAsync();

        using var response = await GetAsync(cookies, $"/terminal/kosmos/{pod}?tab=t1", host.BaseAddress.GetLeftPart(UriPartial.Authority));
        var refusedSocket = await Assert.ThrowsAsync<WebSocketException>(() => ConnectAsync(cookies, pod, "t2", host.BaseAddress.GetLeftPart(UriPartial.Authority)));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("victor (Viewer) may not open a terminal", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("403", refusedSocket.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await host.GetSimStatsAsync()).Count("pods", "exec"));
    }

    [Theory]
    [InlineData("https://evil.example", HttpStatusCode.Forbidden, "Origin mismatch")]
    [InlineData("", HttpStatusCode.Forbidden, "Origin mismatch")]
    public async Task Operator_FromAnotherOrigin_Refused(string origin, HttpStatusCode code, string message)
    {
        var pod = await ReadyPodAsync("archivist");
        var cookies = await SignInAsync("ada", KosmosRoles.Operator);

        using var response = await GetAsync(cookies, $"/terminal/kosmos/{pod}?tab=t3", origin);

        Assert.Equal(code, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operator_PodOfNoAgent_404()
    {
        var cookies = await SignInAsync("ada", KosmosRoles.Operator);

        using var response = await GetAsync(cookies, "/terminal/kosmos/nobody-123?tab=t4", host.BaseAddress.GetLeftPart(UriPartial.Authority));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<string> ReadyPodAsync(string agent)
    {
        var board = host.Services.GetRequiredService<IAgentBoard>();
        await Eventually.Until(() => board.GetDetail("kosmos", agent)?.Pods.Any(p => p.IsReady && !p.IsTerminating) == true,
            DashboardHostFixture.Timeout, $"a ready pod of {agent}");
        return board.GetDetail("kosmos", agent)!.Pods.First(p => p.IsReady && !p.IsTerminating).Name;
    }

    private async Task<CookieContainer> SignInAsync(string name, string role)
    {
        var cookies = new CookieContainer();
        using var client = DemoSignIn.NewClient(host.BaseAddress, cookies);
        using var response = await DemoSignIn.PostFormAsync(client, new Dictionary<string, string> { ["name"] = name, ["role"] = role, ["returnUrl"] = "/" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return cookies;
    }

    private async Task<HttpResponseMessage> GetAsync(CookieContainer cookies, string path, string origin)
    {
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (origin.Length > 0)
        {
            request.Headers.Add("Origin", origin);
        }

        return await client.SendAsync(request);
    }

    private async Task<ClientWebSocket> ConnectAsync(CookieContainer cookies, string pod, string tab, string origin)
    {
        var socket = new ClientWebSocket();
        socket.Options.Cookies = cookies;
        socket.Options.SetRequestHeader("Origin", origin);
        var uri = new Uri(host.BaseAddress, $"terminal/kosmos/{pod}?tab={tab}");
        using var timeout = new CancellationTokenSource(DashboardHostFixture.Timeout);
        try
        {
            await socket.ConnectAsync(new UriBuilder(uri) { Scheme = "ws" }.Uri, timeout.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return socket;
    }

    private static Task SendAsync(ClientWebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Binary, true, CancellationToken.None);

    private static async Task<string> ReadUntilAsync(ClientWebSocket socket, Func<string, bool> done)
    {
        using var timeout = new CancellationTokenSource(DashboardHostFixture.Timeout);
        var text = new StringBuilder();
        var buffer = new byte[8192];
        while (!done(text.ToString()))
        {
            var frame = await socket.ReceiveAsync(buffer, timeout.Token);
            Assert.NotEqual(WebSocketMessageType.Close, frame.MessageType);
            text.Append(Encoding.UTF8.GetString(buffer, 0, frame.Count));
        }

        return text.ToString();
    }

    private static async Task ReadUntilClosedAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(DashboardHostFixture.Timeout);
        var buffer = new byte[8192];
        while ((await socket.ReceiveAsync(buffer, timeout.Token)).MessageType != WebSocketMessageType.Close)
        {
        }
    }
}

using System.Net.WebSockets;
using System.Text.Json;
using Kosmos.Cluster.Exec;
using Kosmos.Dashboard.Security;
using Kosmos.Recovery.Live;
using Microsoft.AspNetCore.Authorization;

namespace Kosmos.Dashboard.Terminal;

/// <summary>
/// The browser terminal, the runbook's <c>kubectl exec -it &lt;pod&gt; -- /bin/sh</c>: <c>GET /terminal/{ns}/{pod}?tab=...</c>
/// upgraded to a WebSocket on the dashboard's own origin, proxied to the pod's exec (TTY, <c>v5.channel.k8s.io</c>) through
/// KubernetesClient. Binary frames carry keystrokes and output; a text frame <c>{"cols":n,"rows":m}</c> resizes.
/// Refused before any upgrade (and before the cluster is asked): 404 when off (<c>Kosmos:Terminal:Enabled</c>), 403 from
/// another origin, 401/403 below Operator, 404 for a pod that is not an agent's Ready pod, 409 when the tab has a session.
/// Start, end, pod, user and byte counts are audited; a session idle for <c>Kosmos:Terminal:IdleTimeoutSeconds</c> is closed.
/// </summary>
public static partial class TerminalEndpoint
{
    public const string Shell = "/bin/sh";

    public static void MapTerminal(this IEndpointRouteBuilder app) => app.Map("/terminal/{ns}/{pod}", HandleAsync);

    private static async Task HandleAsync(HttpContext http, string ns, string pod, TerminalPolicy policy, IAuthorizationService authorization,
        IAgentBoard board, PodExec exec, TerminalSessions sessions, SessionRegistry signIns, TimeProvider time, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("Kosmos.Dashboard.Terminal");
        if (!policy.Enabled)
        {
            await RefuseAsync(http, StatusCodes.Status404NotFound, "The browser terminal is off here (Kosmos:Terminal:Enabled).");
            return;
        }

        if (!SameOrigin(http.Request))
        {
            await RefuseAsync(http, StatusCodes.Status403Forbidden, "The terminal only accepts connections from the dashboard's own pages (Origin mismatch).");
            return;
        }

        var user = http.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            await RefuseAsync(http, StatusCodes.Status401Unauthorized, "Sign in as an Operator to open a terminal.");
            return;
        }

        var role = KosmosRoles.All.LastOrDefault(user.IsInRole) ?? "none";
        if (!(await authorization.AuthorizeAsync(user, KosmosPolicies.Operate)).Succeeded)
        {
            LogRefused(logger, user.Identity.Name, role, ns, pod);
            await RefuseAsync(http, StatusCodes.Status403Forbidden, $"{user.Identity.Name} ({role}) may not open a terminal: that needs the {KosmosRoles.Operator} role or higher.");
            return;
        }

        var target = board.GetDetail(ns, AgentOf(board, ns, pod) ?? "")?.Pods.FirstOrDefault(p => p.Name == pod);
        if (target is null || !target.IsReady || target.IsTerminating)
        {
            await RefuseAsync(http, StatusCodes.Status404NotFound, $"Pod {ns}/{pod} is not a Ready pod of an agent on the board.");
            return;
        }

        var tab = http.Request.Query["tab"].ToString();
        if (string.IsNullOrWhiteSpace(tab) || tab.Length > 100)
        {
            await RefuseAsync(http, StatusCodes.Status400BadRequest, "The terminal needs the tab id (?tab=...).");
            return;
        }

        var id = Guid.NewGuid();
        if (!sessions.TryClaim(tab, id))
        {
            await RefuseAsync(http, StatusCodes.Status409Conflict, "This tab has a terminal open already: one session per tab.");
            return;
        }

        try
        {
            if (!http.WebSockets.IsWebSocketRequest)
            {
                await RefuseAsync(http, StatusCodes.Status400BadRequest, "The terminal speaks WebSocket only.");
                return;
            }

            var container = target.Containers.Count > 0 ? target.Containers[0].Name : "agent";
            // An open shell must not outlive the sign-in that opened it (signed out in any tab).
            var signedOut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var signOut = signIns.WhenEnded(user, () => signedOut.TrySetResult());
            await RunAsync(http, id, user.Identity.Name ?? "?", role, ns, pod, container, policy, exec, sessions, signedOut.Task, time, logger);
        }
        finally
        {
            sessions.Release(tab, id);
        }
    }

    private static async Task RunAsync(HttpContext http, Guid id, string user, string role, string ns, string pod, string container,
        TerminalPolicy policy, PodExec exec, TerminalSessions sessions, Task signedOut, TimeProvider time, ILogger logger)
    {
        ExecShell shell;
        try
        {
            shell = await exec.OpenShellAsync(ns, pod, container, [Shell], http.RequestAborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await RefuseAsync(http, StatusCodes.Status502BadGateway, $"The cluster refused the exec into {ns}/{pod}: {ex.Message}");
            return;
        }

        await using (shell)
        {
            using var browser = await http.WebSockets.AcceptWebSocketAsync();
            await sessions.StartedAsync(id, user, role, ns, pod, container);
            LogStarted(logger, id, user, role, ns, pod, container);
            var counters = new Counters(time.GetTimestamp());
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
            var toPod = ToPodAsync(browser, shell, counters, time, stop.Token);
            var toBrowser = ToBrowserAsync(browser, shell, counters, time, stop.Token);
            var idle = IdleAsync(counters, policy.IdleTimeout, time, stop.Token);
            var first = await Task.WhenAny(toPod, toBrowser, idle, signedOut);
            var reason = first == signedOut ? "signed out"
                : first == idle ? $"idle for {policy.IdleTimeout.TotalSeconds:0}s"
                : first == toBrowser ? "the shell ended"
                : "the browser closed the terminal";
            if (browser.State == WebSocketState.CloseReceived)
            {
                // The browser closed: answer its Close frame, or its CloseAsync waits for one that never comes.
                try
                {
                    using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await browser.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, reason, closing.Token);
                }
                catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
                {
                    // The browser is gone.
                }
            }
            else if (browser.State == WebSocketState.Open)
            {
                // Close first and let the browser answer: cancelling the pending receive would abort the socket instead.
                try
                {
                    using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await browser.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, reason, closing.Token);
                    await Task.WhenAny(toPod, Task.Delay(TimeSpan.FromSeconds(5), time, closing.Token));
                }
                catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
                {
                    // The browser is gone.
                }
            }

            await stop.CancelAsync();
            await Task.WhenAll(Quietly(toPod), Quietly(idle));

            // A read of the pod's output may not heed cancellation: closing the exec ends it; bounded all the same, so a
            // session always ends and is audited.
            await shell.DisposeAsync();
            await Quietly(toBrowser.WaitAsync(TimeSpan.FromSeconds(5), time));

            await sessions.EndedAsync(id, counters.In, counters.Out, reason);
            LogEnded(logger, id, user, ns, pod, counters.In, counters.Out, reason);
        }
    }

    private static async Task ToPodAsync(WebSocket browser, ExecShell shell, Counters counters, TimeProvider time, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var frame = await browser.ReceiveAsync(buffer, ct);
            if (frame.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            counters.Touch(time.GetTimestamp());
            if (frame.MessageType == WebSocketMessageType.Text)
            {
                // Only resizes come as text; anything else is ignored rather than typed into the shell.
                if (Resize.Parse(buffer.AsSpan(0, frame.Count)) is { } size)
                {
                    await shell.ResizeAsync(size.Cols, size.Rows, ct);
                }

                continue;
            }

            Interlocked.Add(ref counters.In, frame.Count);
            await shell.WriteAsync(buffer, frame.Count, ct);
        }
    }

    private static async Task ToBrowserAsync(WebSocket browser, ExecShell shell, Counters counters, TimeProvider time, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await shell.Output.ReadAsync(buffer, ct)) > 0)
        {
            counters.Touch(time.GetTimestamp());
            Interlocked.Add(ref counters.Out, read);
            await browser.SendAsync(buffer.AsMemory(0, read), WebSocketMessageType.Binary, true, ct);
        }
    }

    private static async Task IdleAsync(Counters counters, TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        while (true)
        {
            var left = timeout - time.GetElapsedTime(counters.LastActivity);
            if (left <= TimeSpan.Zero)
            {
                return;
            }

            await Task.Delay(left, time, ct);
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException or TimeoutException)
        {
            // The session is ending: a pump cut short is expected.
        }
    }

    /// <summary>A WebSocket from a page of another site carries that site's Origin: only this dashboard's own is accepted.</summary>
    public static bool SameOrigin(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var origin = request.Headers.Origin.ToString();
        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
    }

    private static string? AgentOf(IAgentBoard board, string ns, string pod)
    {
        // Pods carry their agent's name in the app label; the board is the authority on which pods are agents'.
        var dash = pod.Length;
        while ((dash = pod.LastIndexOf('-', dash - 1)) > 0)
        {
            var candidate = pod[..dash];
            if (board.GetDetail(ns, candidate)?.Pods.Any(p => p.Name == pod) == true)
            {
                return candidate;
            }
        }

        return null;
    }

    private static async Task RefuseAsync(HttpContext http, int code, string detail)
    {
        http.Response.StatusCode = code;
        await http.Response.WriteAsJsonAsync(new { status = code, detail }, http.RequestAborted);
    }

    private sealed class Counters(long started)
    {
        public long In;
        public long Out;
        private long _lastActivity = started;

        public long LastActivity => Interlocked.Read(ref _lastActivity);

        public void Touch(long now) => Interlocked.Exchange(ref _lastActivity, now);
    }

    private sealed record Resize(int Cols, int Rows)
    {
        public static Resize? Parse(ReadOnlySpan<byte> json)
        {
            try
            {
                using var document = JsonDocument.Parse(json.ToArray());
                return document.RootElement.TryGetProperty("cols", out var c) && document.RootElement.TryGetProperty("rows", out var r)
                    && c.TryGetInt32(out var cols) && r.TryGetInt32(out var rows) && cols is > 0 and < 1000 && rows is > 0 and < 1000
                    ? new Resize(cols, rows)
                    : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Terminal {SessionId} opened by {User} ({Role}) in {Namespace}/{Pod} container {Container}")]
    private static partial void LogStarted(ILogger logger, Guid sessionId, string user, string role, string @namespace, string pod, string container);

    [LoggerMessage(Level = LogLevel.Information, Message = "Terminal {SessionId} of {User} in {Namespace}/{Pod} ended ({Reason}): {BytesIn} bytes in, {BytesOut} bytes out")]
    private static partial void LogEnded(ILogger logger, Guid sessionId, string user, string @namespace, string pod, long bytesIn, long bytesOut, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Terminal refused: {User} ({Role}) may not open a shell in {Namespace}/{Pod}")]
    private static partial void LogRefused(ILogger logger, string? user, string role, string @namespace, string pod);
}

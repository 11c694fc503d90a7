using Kosmos.KubeSim.Exec.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kosmos.KubeSim.Exec;

/// <summary>
/// The HTTP side of <c>GET /api/v1/namespaces/NS/pods/P/exec?command=..&amp;container=C&amp;stdin=..&amp;stdout=..&amp;stderr=..&amp;tty=..</c>:
/// the Kubernetes remotecommand WebSocket protocol (subprotocols <c>v5.channel.k8s.io</c> as kubectl 1.30+ speaks it,
/// <c>v4.channel.k8s.io</c> as the .NET client does, and the older <c>v3</c>/<c>v2</c>/<c>channel.k8s.io</c>).
/// </summary>
/// <remarks>
/// <para>Requires <c>app.UseWebSockets()</c> in the pipeline. SPDY (what kubectl falls back to when the upgrade is
/// refused) is not supported.</para>
/// <para>Wire format: binary messages whose first byte is the channel — 0 stdin, 1 stdout, 2 stderr, 3 status (one
/// message at the end), 4 terminal resize; with v5 the client sends <c>FF 00</c> to close stdin. Output is sent as the
/// command produces it. Pings are answered throughout.</para>
/// </remarks>
public static class ExecWebSocketHandler
{
    /// <summary>The subprotocols served, preferred first.</summary>
    public static IReadOnlyList<string> SupportedProtocols => ChannelProtocol.Supported;

    /// <summary>
    /// Answers an exec request: upgrades to a WebSocket, runs <paramref name="command"/> with
    /// <see cref="ExecCommandRunner.Default"/>, streams its output, sends the exit status and closes the socket.
    /// The caller resolves the pod and container first (and answers 404/400 itself); this method answers 400 with a
    /// Kubernetes Status body when the request is not a WebSocket upgrade, offers no supported subprotocol, has no
    /// command, or attaches no stream.
    /// </summary>
    /// <param name="http">The request; nothing must have been written to its response yet.</param>
    /// <param name="context">The container to run in.</param>
    /// <param name="command">The argv (<see cref="ExecStreams.CommandFromQuery"/>).</param>
    /// <param name="streams">The attached streams (<see cref="ExecStreams.FromQuery"/>).</param>
    /// <param name="cancellationToken">
    /// Stops the command and closes the socket (1001) — e.g. the pod was deleted or the server is stopping. Pass a token
    /// linked to <c>HttpContext.RequestAborted</c>, the pod's lifetime and <c>IHostApplicationLifetime.ApplicationStopping</c>.
    /// A client that disconnects stops the command too; that is not an error.
    /// </param>
    /// <returns>
    /// Completes when the exchange is over and the socket closed. A client that does not answer the close frame (the
    /// .NET client never does) is dropped after 5 s, or as soon as <paramref name="cancellationToken"/> fires.
    /// Does not throw for client disconnects or cancellation.
    /// </returns>
    public static async Task HandleAsync(HttpContext http, ExecContext context, IReadOnlyList<string> command, ExecStreams streams, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(streams);

        if (!http.WebSockets.IsWebSocketRequest)
        {
            await RefuseAsync(
                http,
                "Upgrade request required: this simulated API server supports exec only over WebSocket (subprotocols "
                + string.Join(", ", ChannelProtocol.Supported) + "), not SPDY",
                cancellationToken).ConfigureAwait(false);
            return;
        }

        if (command.Count == 0 || string.IsNullOrEmpty(command[0]))
        {
            await RefuseAsync(http, "you must specify at least one command for the container", cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!streams.AnyAttached)
        {
            await RefuseAsync(http, "you must specify at least 1 of stdin, stdout, stderr", cancellationToken).ConfigureAwait(false);
            return;
        }

        var requested = http.WebSockets.WebSocketRequestedProtocols;
        var protocol = requested.Count == 0 ? ChannelProtocol.V1 : requested.FirstOrDefault(ChannelProtocol.Supported.Contains);
        if (protocol is null)
        {
            await RefuseAsync(
                http,
                $"none of the requested WebSocket subprotocols ({string.Join(", ", requested)}) is supported; use one of {string.Join(", ", ChannelProtocol.Supported)}",
                cancellationToken).ConfigureAwait(false);
            return;
        }

        var logger = http.RequestServices?.GetService<ILoggerFactory>()?.CreateLogger(typeof(ExecWebSocketHandler).FullName!) ?? NullLogger.Instance;
        using var socket = await http.WebSockets.AcceptWebSocketAsync(
            new WebSocketAcceptContext { SubProtocol = requested.Count == 0 ? null : protocol }).ConfigureAwait(false);
        using var session = new ExecWebSocketSession(socket, protocol, streams, logger);
        await session.RunAsync(ExecCommandRunner.Default, context, command, cancellationToken).ConfigureAwait(false);
    }

    private static async Task RefuseAsync(HttpContext http, string message, CancellationToken cancellationToken)
    {
        http.Response.StatusCode = StatusCodes.Status400BadRequest;
        http.Response.ContentType = "application/json";
        await http.Response.Body.WriteAsync(ExecStatus.HttpError(StatusCodes.Status400BadRequest, "BadRequest", message), cancellationToken).ConfigureAwait(false);
    }
}

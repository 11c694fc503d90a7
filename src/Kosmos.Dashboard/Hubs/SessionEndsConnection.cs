using Kosmos.Dashboard.Security;
using Microsoft.AspNetCore.SignalR;

namespace Kosmos.Dashboard.Hubs;

/// <summary>
/// Drops a hub connection when the sign-in session it was opened with ends (signed out in any tab): a connection keeps
/// the principal it started with, so without this a signed-out person's open page or script kept receiving live state.
/// Registered for <see cref="AgentsHub"/> (a Blazor circuit turns signed-out through its state provider). Connections
/// opened without a session (demo mode, anonymous viewers) are left alone.
/// </summary>
public sealed class SessionEndsConnection(SessionRegistry sessions) : IHubFilter
{
    private static readonly object Subscription = new();

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.Context.User?.FindFirst(SessionRegistry.Claim)?.Value is { } sid)
        {
            var connection = context.Context;
            void OnEnded(string id)
            {
                if (string.Equals(id, sid, StringComparison.Ordinal))
                {
                    connection.Abort();
                }
            }

            sessions.Ended += OnEnded;
            connection.Items[Subscription] = (Action<string>)OnEnded;
        }

        await next(context);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.Context.Items.TryGetValue(Subscription, out var handler) && handler is Action<string> onEnded)
        {
            sessions.Ended -= onEnded;
        }

        await next(context, exception);
    }
}

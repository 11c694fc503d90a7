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
        var connection = context.Context;
        if (connection.User is { } user)
        {
            connection.Items[Subscription] = sessions.WhenEnded(user, connection.Abort);
        }

        await next(context);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.Context.Items.TryGetValue(Subscription, out var subscription) && subscription is IDisposable watching)
        {
            watching.Dispose();
        }

        await next(context, exception);
    }
}

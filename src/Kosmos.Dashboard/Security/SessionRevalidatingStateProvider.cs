using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace Kosmos.Dashboard.Security;

/// <summary>
/// A Blazor circuit's sign-in state, kept in step with <see cref="SessionRegistry"/>: a page left open after its person
/// signed out in another tab turns signed-out at once (the registry's <see cref="SessionRegistry.Ended"/>), and one whose
/// session went idle past the timeout within <see cref="RevalidationInterval"/>; before, it showed live data for as long
/// as the circuit lived. Every mutation checks the session itself anyway (<see cref="LiveSessionRequirement"/>).
/// </summary>
public sealed class SessionRevalidatingStateProvider : RevalidatingServerAuthenticationStateProvider
{
    private static readonly Task<AuthenticationState> SignedOut = Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity())));

    private readonly SessionRegistry _sessions;
    private volatile string? _sessionId;

    public SessionRevalidatingStateProvider(ILoggerFactory loggers, SessionRegistry sessions)
        : base(loggers)
    {
        _sessions = sessions;
        _sessions.Ended += OnSessionEnded;
        AuthenticationStateChanged += OnStateChanged;
    }

    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(30);

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authenticationState);
        return Task.FromResult(!_sessions.HasEnded(authenticationState.User));
    }

    protected override void Dispose(bool disposing)
    {
        _sessions.Ended -= OnSessionEnded;
        AuthenticationStateChanged -= OnStateChanged;
        base.Dispose(disposing);
    }

    // The circuit's user arrives through SetAuthenticationState (from the first request); remember its session id.
    private void OnStateChanged(Task<AuthenticationState> state) =>
        state.ContinueWith(
            done => _sessionId = done.IsCompletedSuccessfully ? done.Result.User.FindFirst(SessionRegistry.Claim)?.Value : null,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private void OnSessionEnded(string id)
    {
        if (string.Equals(id, _sessionId, StringComparison.Ordinal))
        {
            _sessionId = null;
            SetAuthenticationState(SignedOut);
        }
    }
}

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
    private IDisposable? _watching;

    public SessionRevalidatingStateProvider(ILoggerFactory loggers, SessionRegistry sessions)
        : base(loggers)
    {
        _sessions = sessions;
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
        AuthenticationStateChanged -= OnStateChanged;
        Interlocked.Exchange(ref _watching, null)?.Dispose();
        base.Dispose(disposing);
    }

    // The circuit's user arrives through SetAuthenticationState (from the first request): follow that user's session.
    private void OnStateChanged(Task<AuthenticationState> state) =>
        state.ContinueWith(
            done => Interlocked.Exchange(ref _watching, done.IsCompletedSuccessfully
                ? _sessions.WhenEnded(done.Result.User, () => SetAuthenticationState(SignedOut))
                : null)?.Dispose(),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}

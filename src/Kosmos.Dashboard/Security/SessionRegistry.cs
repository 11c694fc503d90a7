using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;

namespace Kosmos.Dashboard.Security;

/// <summary>
/// The server-side half of a sign-in: every session cookie carries a random session id (claim <see cref="Claim"/>), and the
/// cookie is honoured only while that id is live here. Signing out ends the id, so a copy of the cookie taken before
/// sign-out stops working on its next request; a session unused for the idle timeout ends by itself. A singleton;
/// thread-safe. In memory on purpose: a restart signs everyone out (as the data-protection keys of a pod without a key
/// volume would anyway), and one replica is what the audit database supports.
/// </summary>
public sealed class SessionRegistry(TimeProvider time)
{
    /// <summary>The cookie claim that names the session.</summary>
    public const string Claim = "kosmos:sid";

    /// <summary>A session not used for this long is over (as the cookie's sliding expiry).</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromHours(8);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastSeen = new(StringComparer.Ordinal);

    /// <summary>Live sessions now.</summary>
    public int Count => _lastSeen.Count;

    /// <summary>Starts a session and returns its id (128 random bits).</summary>
    public string Start()
    {
        Prune();
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _lastSeen[id] = time.GetUtcNow();
        return id;
    }

    /// <summary>True, and the idle clock restarted, when <paramref name="id"/> is a live session; false when it ended or never was.</summary>
    public bool Touch(string? id)
    {
        if (id is null || !_lastSeen.TryGetValue(id, out var lastSeen))
        {
            return false;
        }

        var now = time.GetUtcNow();
        if (now - lastSeen > IdleTimeout)
        {
            _lastSeen.TryRemove(id, out _);
            return false;
        }

        _lastSeen[id] = now;
        return true;
    }

    /// <summary>
    /// True when <paramref name="user"/> came from a session cookie whose session is over (signed out elsewhere, or idle
    /// too long). A Blazor circuit or hub connection keeps the principal it started with, so every mutation asks this too.
    /// </summary>
    public bool HasEnded(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirst(Claim)?.Value is { } id && !IsLive(id);
    }

    /// <summary>The sentence a person gets for a mutation refused because their session ended.</summary>
    public static string EndedMessage(string who) =>
        $"{who}: this session has ended (signed out, or unused for {IdleTimeout.TotalHours:0} h). Sign in again; nothing was changed.";

    private bool IsLive(string id) =>
        _lastSeen.TryGetValue(id, out var lastSeen) && time.GetUtcNow() - lastSeen <= IdleTimeout;

    /// <summary>Raised with a session's id when it is signed out, so open circuits of that session can turn signed-out at once.</summary>
    public event Action<string>? Ended;

    /// <summary>
    /// Calls <paramref name="ended"/> once <paramref name="user"/>'s session is signed out, until the returned subscription
    /// is disposed; a principal without a session (demo viewer, anonymous) never ends, and gets a subscription that does nothing.
    /// The one way a live connection (a circuit, a hub connection, a terminal) follows its sign-in.
    /// </summary>
    public IDisposable WhenEnded(ClaimsPrincipal user, Action ended)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(ended);
        return user.FindFirst(Claim)?.Value is { } sid ? new Subscription(this, sid, ended) : NoSubscription.Instance;
    }

    /// <summary>Ends the session: every copy of its cookie is refused from now on.</summary>
    public void End(string? id)
    {
        if (id is not null && _lastSeen.TryRemove(id, out _))
        {
            Ended?.Invoke(id);
        }
    }

    private void Prune()
    {
        var now = time.GetUtcNow();
        foreach (var (id, lastSeen) in _lastSeen)
        {
            if (now - lastSeen > IdleTimeout)
            {
                _lastSeen.TryRemove(id, out _);
            }
        }
    }

    private sealed class Subscription : IDisposable
    {
        private readonly SessionRegistry _registry;
        private readonly string _sid;
        private readonly Action _ended;

        public Subscription(SessionRegistry registry, string sid, Action ended)
        {
            (_registry, _sid, _ended) = (registry, sid, ended);
            _registry.Ended += OnEnded;
        }

        public void Dispose() => _registry.Ended -= OnEnded;

        private void OnEnded(string id)
        {
            if (string.Equals(id, _sid, StringComparison.Ordinal))
            {
                _ended();
            }
        }
    }

    private sealed class NoSubscription : IDisposable
    {
        public static NoSubscription Instance { get; } = new();

        public void Dispose()
        {
        }
    }
}

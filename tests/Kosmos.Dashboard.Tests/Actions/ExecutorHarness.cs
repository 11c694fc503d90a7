using System.Security.Claims;
using Kosmos.Dashboard.Actions;
using Kosmos.Dashboard.Approvals;
using Kosmos.Dashboard.Audit;
using Kosmos.Dashboard.Configuration;
using Kosmos.Dashboard.Security;
using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Recovery.Actions;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Kosmos.Dashboard.Tests.Actions;

/// <summary>
/// The real executor with the real authorization policies (AddKosmosAuth) and the real SQLite audit in a temp file, over a
/// fake restart, set-resources, reset and set-config-key handlers and a fake board holding memory-agent (with a Deployment, OOM-killed at 512Mi).
/// </summary>
public sealed class ExecutorHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kosmos-audit-test-");

    public ExecutorHarness(TimeProvider? time = null, bool breakGlass = false)
    {
        Time = time ?? TimeProvider.System;
        Board.SetDetail(TestData.OomDetail());
        DatabasePath = Path.Combine(_folder.FullName, "audit.db");
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(Time);
        services.AddKosmosAuth(new AuthSettings());
        services.AddKosmosAudit(new AuditSettings { ConnectionString = $"Data Source={DatabasePath}" }, _folder.FullName);
        _services = services.BuildServiceProvider();
        using (var db = _services.GetRequiredService<IDbContextFactory<AuditDbContext>>().CreateDbContext())
        {
            db.Database.EnsureCreated();
        }

        Audit = _services.GetRequiredService<IAuditLog>();
        Approvals = new ApprovalStore(_services.GetRequiredService<IDbContextFactory<AuditDbContext>>(), Time);
        var authorization = _services.GetRequiredService<IAuthorizationService>();
        Executor = new ActionExecutor(authorization, [Handler, SetResources, Reset, SetConfigKey], Board, Audit,
            Options.Create(new KosmosOptions { Actions = { VerifyTimeoutSeconds = 5 }, Approvals = { ExpiryMinutes = 15, BreakGlass = breakGlass } }), Time,
            NullLogger<ActionExecutor>.Instance, [Observer], Lifetime, Events, Activity, Approvals);
        Sessions = _services.GetRequiredService<SessionRegistry>();
        ApprovalService = new ApprovalService(Approvals, Executor, authorization, Lifetime, Time, NullLogger<ApprovalService>.Instance, Sessions);
    }

    public static AgentRef Agent { get; } = new(TestData.Ns, "memory-agent");

    public string DatabasePath { get; }

    public FakeAgentBoard Board { get; } = new();

    /// <summary>What the executor told its observers, in order.</summary>
    public RecordingActionObserver Observer { get; } = new();

    public FakeActionHandler Handler { get; } = new();

    public FakeActionHandler SetResources { get; } = new() { Definition = ActionCatalog.SetResources };

    /// <summary>A reset (typed confirmation and approval required) that does what the fake restart does.</summary>
    public FakeActionHandler Reset { get; } = new() { Definition = ActionCatalog.Reset };

    /// <summary>A set config key that plans with the real kubectl form of the request (a hidden value for a secret-looking key).</summary>
    public FakeActionHandler SetConfigKey { get; } = new() { Definition = ActionCatalog.SetConfigKey };

    public TimeProvider Time { get; }

    public ApprovalStore Approvals { get; }

    public ApprovalService ApprovalService { get; }

    public IAuditLog Audit { get; }

    /// <summary>The host's lifetime as the executor sees it: <see cref="FakeLifetime.StopApplication"/> is a SIGTERM.</summary>
    public FakeLifetime Lifetime { get; } = new();

    public FakeActionEvents Events { get; } = new();

    public ActionActivityHub Activity { get; } = new();

    public ActionExecutor Executor { get; }

    public static ClaimsPrincipal User(string name, string role) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], CookieAuthenticationDefaults.AuthenticationScheme));

    public static ClaimsPrincipal Anonymous { get; } = new(new ClaimsIdentity());

    /// <summary>The sessions the policies check (the cookie handler's <see cref="SessionRegistry"/>).</summary>
    public SessionRegistry Sessions { get; }

    /// <summary>A user as a cookie sign-in makes them: with a live session id, and an issuer subject when given.</summary>
    public ClaimsPrincipal SignedIn(string name, string role, string? subject = null)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, name), new(ClaimTypes.Role, role), new(SessionRegistry.Claim, Sessions.Start()) };
        if (subject is not null)
        {
            claims.AddRange([new Claim("iss", "https://issuer.test"), new Claim("sub", subject)]);
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }

    public Task<ActionOutcome> RestartAsync(ClaimsPrincipal user, AgentRef? target = null, CancellationToken ct = default) =>
        Executor.ExecuteAsync(user, ActionKind.Restart, target ?? Agent, new Precondition("41"), progress: null, ct);

    /// <summary>Reads the audit back through a brand-new store on the same file, as a restarted dashboard would.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ReadAuditFromFileAsync()
    {
        var services = new ServiceCollection();
        services.AddKosmosAudit(new AuditSettings { ConnectionString = $"Data Source={DatabasePath};Pooling=False" }, _folder.FullName);
        await using var provider = services.BuildServiceProvider();
        return await provider.GetRequiredService<IAuditLog>().RecentAsync(50, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }
}

/// <summary>Keeps what the executor tells it: starts and outcomes, in order.</summary>
public sealed class RecordingActionObserver : IActionObserver
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<object> _seen = new();

    public IReadOnlyList<object> Seen => [.. _seen];

    public void ActionStarted(ActionStart start) => _seen.Enqueue(start);

    public void ActionFinished(ActionOutcome outcome) => _seen.Enqueue(outcome);
}

/// <summary>An <see cref="Microsoft.Extensions.Hosting.IHostApplicationLifetime"/> whose stopping token the test fires.</summary>
public sealed class FakeLifetime : Microsoft.Extensions.Hosting.IHostApplicationLifetime, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    public CancellationToken ApplicationStarted => CancellationToken.None;

    public CancellationToken ApplicationStopping => _stopping.Token;

    public CancellationToken ApplicationStopped => CancellationToken.None;

    public void StopApplication() => _stopping.Cancel();

    public void Dispose() => _stopping.Dispose();
}

/// <summary>Records the Kubernetes Events the executor would write, in order.</summary>
public sealed class FakeActionEvents : IActionEvents
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<(AgentRef Target, string Message)> _events = new();

    public IReadOnlyList<(AgentRef Target, string Message)> Recorded => [.. _events];

    public Task RecordAsync(AgentRef target, string message, CancellationToken cancellationToken)
    {
        _events.Enqueue((target, message));
        return Task.CompletedTask;
    }
}

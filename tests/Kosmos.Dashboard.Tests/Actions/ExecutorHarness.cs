using System.Security.Claims;
using Kosmos.Dashboard.Actions;
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
/// fake restart and set-resources handlers and a fake board holding memory-agent (with a Deployment, OOM-killed at 512Mi).
/// </summary>
public sealed class ExecutorHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kosmos-audit-test-");

    public ExecutorHarness()
    {
        Board.SetDetail(TestData.OomDetail());
        DatabasePath = Path.Combine(_folder.FullName, "audit.db");
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddKosmosAuth(new AuthSettings());
        services.AddKosmosAudit(new AuditSettings { ConnectionString = $"Data Source={DatabasePath}" }, _folder.FullName);
        _services = services.BuildServiceProvider();
        using (var db = _services.GetRequiredService<IDbContextFactory<AuditDbContext>>().CreateDbContext())
        {
            db.Database.EnsureCreated();
        }

        Audit = _services.GetRequiredService<IAuditLog>();
        Executor = new ActionExecutor(_services.GetRequiredService<IAuthorizationService>(), [Handler, SetResources], Board, Audit,
            Options.Create(new KosmosOptions { Actions = { VerifyTimeoutSeconds = 5 } }), TimeProvider.System, NullLogger<ActionExecutor>.Instance, [Observer]);
    }

    public static AgentRef Agent { get; } = new(TestData.Ns, "memory-agent");

    public string DatabasePath { get; }

    public FakeAgentBoard Board { get; } = new();

    /// <summary>What the executor told its observers, in order.</summary>
    public RecordingActionObserver Observer { get; } = new();

    public FakeActionHandler Handler { get; } = new();

    public FakeActionHandler SetResources { get; } = new() { Definition = ActionCatalog.SetResources };

    public IAuditLog Audit { get; }

    public ActionExecutor Executor { get; }

    public static ClaimsPrincipal User(string name, string role) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], CookieAuthenticationDefaults.AuthenticationScheme));

    public static ClaimsPrincipal Anonymous { get; } = new(new ClaimsIdentity());

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

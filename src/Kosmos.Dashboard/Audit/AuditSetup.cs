using Kosmos.Dashboard.Configuration;
using Kosmos.Recovery.Actions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kosmos.Dashboard.Audit;

/// <summary>The audit store: SQLite at Kosmos:Audit:ConnectionString (default under the content root), schema created at start.</summary>
public static class AuditSetup
{
    public static IServiceCollection AddKosmosAudit(this IServiceCollection services, AuditSettings settings, string contentRoot)
    {
        var connectionString = ConnectionString(settings, contentRoot);
        services.AddDbContextFactory<AuditDbContext>(o => o.UseSqlite(connectionString));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IAuditLog, SqliteAuditLog>();
        services.AddSingleton<IStateExports, SqliteStateExports>();
        services.AddHostedService<AuditSchema>();
        return services;
    }

    /// <summary>The configured connection string, or the default file; the file's folder is created when missing.</summary>
    public static string ConnectionString(AuditSettings settings, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = new SqliteConnectionStringBuilder(settings.ConnectionString ?? "");
        if (string.IsNullOrWhiteSpace(builder.DataSource))
        {
            builder.DataSource = Path.Combine(contentRoot, "App_Data", "kosmos-audit.db");
        }

        if (builder.DataSource != ":memory:" && Path.GetDirectoryName(Path.GetFullPath(builder.DataSource)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        return builder.ToString();
    }
}

/// <summary>
/// Before the dashboard serves its first request: creates the audit schema, brings a database from an earlier version up to
/// the current model (<see cref="AuditSchemaUpgrade"/>), and marks the actions a stopped dashboard left unfinished as
/// Interrupted.
/// </summary>
internal sealed partial class AuditSchema(IDbContextFactory<AuditDbContext> contexts, IAuditLog audit, ILogger<AuditSchema> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            if (!await db.Database.EnsureCreatedAsync(cancellationToken))
            {
                var added = await AuditSchemaUpgrade.AddMissingAsync(db, cancellationToken);
                if (added.Count > 0)
                {
                    LogUpgraded(added);
                }
            }
        }

        if (audit is SqliteAuditLog sqlite && await sqlite.InterruptUnfinishedAsync(cancellationToken) is > 0 and var interrupted)
        {
            LogInterrupted(interrupted);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // A list is written comma-separated by the logging formatter, and only when the level is on.
    [LoggerMessage(Level = LogLevel.Information, Message = "Audit database brought up to date: added {Added}")]
    private partial void LogUpgraded(IReadOnlyList<string> added);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} action(s) were still running when the dashboard last stopped; marked Interrupted (see the audit)")]
    private partial void LogInterrupted(int count);
}

using Kosmos.Dashboard.Configuration;
using Kosmos.Recovery.Actions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Kosmos.Dashboard.Audit;

/// <summary>The audit store: SQLite at Kosmos:Audit:ConnectionString (default under the content root), schema created at start.</summary>
public static class AuditSetup
{
    public static IServiceCollection AddKosmosAudit(this IServiceCollection services, AuditSettings settings, string contentRoot)
    {
        var connectionString = ConnectionString(settings, contentRoot);
        services.AddDbContextFactory<AuditDbContext>(o => o.UseSqlite(connectionString));
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

/// <summary>Creates the audit schema before the dashboard serves its first request.</summary>
internal sealed class AuditSchema(IDbContextFactory<AuditDbContext> contexts) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Database.EnsureCreatedAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

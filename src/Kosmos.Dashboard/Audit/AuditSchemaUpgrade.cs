using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Kosmos.Dashboard.Audit;

/// <summary>
/// Brings an existing SQLite database up to the current EF Core model without migrations: every table and index the model
/// has and the database lacks is created (EF's own create script, made <c>IF NOT EXISTS</c>), and every missing column is
/// added (<c>ALTER TABLE … ADD COLUMN</c>; a required column gets the type's empty default, so old rows stay readable).
/// Additive only: nothing is renamed or dropped. Generic: a new entity or property on <see cref="AuditDbContext"/> needs no code here.
/// </summary>
public static class AuditSchemaUpgrade
{
    /// <summary>Adds what is missing; returns what it added ("table approvals", "column audit.PlanJson"), empty when nothing was.</summary>
    public static async Task<IReadOnlyList<string>> AddMissingAsync(DbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var added = new List<string>();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var tables = await ExistingTablesAsync(connection, cancellationToken);
            foreach (var statement in Statements(db.Database.GenerateCreateScript()))
            {
                var safe = IfNotExists(statement);
                if (safe.StartsWith("CREATE TABLE", StringComparison.OrdinalIgnoreCase) && TableOf(safe) is { } table && !tables.Contains(table))
                {
                    added.Add("table " + table);
                }

                await db.Database.ExecuteSqlRawAsync(safe, cancellationToken);
            }

            foreach (var entity in db.Model.GetEntityTypes())
            {
                if (entity.GetTableName() is not { } table)
                {
                    continue;
                }

                var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
                var columns = await ColumnsAsync(connection, table, cancellationToken);
                foreach (var property in entity.GetProperties())
                {
                    if (property.GetColumnName(store) is not { } column || columns.Contains(column))
                    {
                        continue;
                    }

                    var type = property.GetColumnType();
                    var definition = $"\"{column}\" {type}" + (property.IsNullable ? "" : $" NOT NULL DEFAULT {EmptyDefault(type)}");
#pragma warning disable EF1002 // Names come from the model, not from input.
                    await db.Database.ExecuteSqlRawAsync($"ALTER TABLE \"{table}\" ADD COLUMN {definition}", cancellationToken);
#pragma warning restore EF1002
                    added.Add($"column {table}.{column}");
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return added;
    }

    private static IEnumerable<string> Statements(string script) => script
        .Split(";", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Where(s => s.StartsWith("CREATE", StringComparison.OrdinalIgnoreCase));

    private static string IfNotExists(string statement)
    {
        foreach (var head in new[] { "CREATE TABLE ", "CREATE UNIQUE INDEX ", "CREATE INDEX " })
        {
            if (statement.StartsWith(head, StringComparison.OrdinalIgnoreCase) && !statement.Contains("IF NOT EXISTS", StringComparison.OrdinalIgnoreCase))
            {
                return head + "IF NOT EXISTS " + statement[head.Length..];
            }
        }

        return statement;
    }

    private static string? TableOf(string createTable)
    {
        var start = createTable.IndexOf('"', StringComparison.Ordinal);
        var end = start < 0 ? -1 : createTable.IndexOf('"', start + 1);
        return end > start ? createTable[(start + 1)..end] : null;
    }

    private static string EmptyDefault(string type) =>
        type.Contains("TEXT", StringComparison.OrdinalIgnoreCase) || type.Contains("CHAR", StringComparison.OrdinalIgnoreCase) ? "''" : "0";

    private static async Task<HashSet<string>> ExistingTablesAsync(DbConnection connection, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
        return await ReadNamesAsync(command, 0, ct);
    }

    private static async Task<HashSet<string>> ColumnsAsync(DbConnection connection, string table, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA table_info(\"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\")";
        return await ReadNamesAsync(command, 1, ct);
    }

    private static async Task<HashSet<string>> ReadNamesAsync(DbCommand command, int column, CancellationToken ct)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            names.Add(reader.GetString(column));
        }

        return names;
    }
}

using Kosmos.Recovery.Actions;

namespace Kosmos.Dashboard.Tests.Fakes;

/// <summary>An audit that answers with the entries the test gives it (newest first) and keeps what is written.</summary>
public sealed class FakeAuditLog : IAuditLog
{
    public List<AuditEntry> Entries { get; } = [];

    public Task WriteAsync(ActionOutcome outcome, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<AuditEntry>> RecentAsync(int count, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AuditEntry>>([.. Entries.Take(count)]);

    public Task<AuditEntry?> FindAsync(Guid actionId, CancellationToken cancellationToken) =>
        Task.FromResult(Entries.FirstOrDefault(e => e.ActionId == actionId));
}

using System.Collections.Concurrent;
using Kosmos.Recovery.Incidents;

namespace Kosmos.Dashboard.Tests.Fakes;

/// <summary>An <see cref="IIncidentStore"/> in memory, for component tests that need an incident service but no database.</summary>
public sealed class InMemoryIncidentStore : IIncidentStore
{
    private readonly ConcurrentDictionary<Guid, Incident> _incidents = new();

    public Task<IReadOnlyList<Incident>> LoadAsync(int resolved, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Incident>>([.. _incidents.Values]);

    public Task SaveAsync(Incident incident, IReadOnlyList<TimelineEntry> added, CancellationToken cancellationToken)
    {
        _incidents[incident.Id] = incident;
        return Task.CompletedTask;
    }
}

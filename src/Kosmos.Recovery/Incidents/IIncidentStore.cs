namespace Kosmos.Recovery.Incidents;

/// <summary>
/// Where incidents are kept across restarts (the audit database in the dashboard). Lifetime: a singleton; thread-safe, but the
/// incident service is its only writer and calls it from one loop, in order.
/// </summary>
public interface IIncidentStore
{
    /// <summary>Every open incident and the most recent <paramref name="resolved"/> resolved ones, with their timelines and ticks.</summary>
    Task<IReadOnlyList<Incident>> LoadAsync(int resolved, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="incident"/> as it is now: its header and ticks replaced, <paramref name="added"/> appended to its
    /// stored timeline (the entries made since the last save).
    /// </summary>
    Task SaveAsync(Incident incident, IReadOnlyList<TimelineEntry> added, CancellationToken cancellationToken);
}

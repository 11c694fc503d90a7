using Kosmos.Recovery.Actions;

namespace Kosmos.Cluster.Actions;

/// <summary>A journal that records nothing: a multi-step action applied without the executor (tests, replays).</summary>
internal sealed class NoJournal : IStepJournal
{
    public static NoJournal Instance { get; } = new();

    public Task StartingAsync(int index, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task DoneAsync(int index, string detail, CancellationToken cancellationToken) => Task.CompletedTask;
}

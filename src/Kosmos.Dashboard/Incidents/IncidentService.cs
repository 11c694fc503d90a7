using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Kosmos.Dashboard.Configuration;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Health;
using Kosmos.Recovery.Incidents;
using Kosmos.Recovery.Live;
using Microsoft.Extensions.Options;

namespace Kosmos.Dashboard.Incidents;

/// <summary>
/// Every incident, kept current from the shared board (no API-server traffic of its own, except reading a crashed
/// container's previous logs once per crash), the executor (actions) and the approval service (approvals), persisted in
/// the audit database and published to every viewer. A singleton and hosted service.
/// </summary>
/// <remarks>
/// Threading: every change runs on one loop, in order (<see cref="_inbox"/>), so the rules see one incident at a time and
/// the store is written in order; reads (<see cref="List"/>, <see cref="Get"/>, <see cref="WatchAsync"/>) take an
/// immutable snapshot and are thread-safe. Observer calls from the executor and the approval service only queue work.
/// </remarks>
public sealed partial class IncidentService(
    IAgentBoard board,
    IPodLogs logs,
    IIncidentStore store,
    IOptions<KosmosOptions> options,
    TimeProvider time,
    ILogger<IncidentService> logger) : IHostedService, IActionObserver, IApprovalObserver, IAsyncDisposable
{
    private const int KeepResolved = 500;
    private const int SubscriberCapacity = 256;
    private static readonly TimeSpan GateInterval = TimeSpan.FromSeconds(1);

    private readonly Channel<Func<Task>> _inbox = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private readonly List<Channel<Incident>> _subscribers = [];
    private readonly Dictionary<string, AgentSummary> _agents = [];
    private readonly CancellationTokenSource _stopping = new();
    private ImmutableDictionary<Guid, Incident> _incidents = ImmutableDictionary<Guid, Incident>.Empty;
    private Task _work = Task.CompletedTask;
    private int _stopped;

    private IncidentSettings Settings => options.Value.Incidents;

    private TimeSpan Settle => TimeSpan.FromSeconds(Settings.SettleSeconds);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var incident in await store.LoadAsync(KeepResolved, cancellationToken))
        {
            _incidents = _incidents.SetItem(incident.Id, incident);
        }

        var ct = _stopping.Token;
        _work = Task.WhenAll(
            Task.Run(() => RunInboxAsync(ct), CancellationToken.None),
            Task.Run(() => FollowBoardAsync(ct), CancellationToken.None),
            Task.Run(() => TickGatesAsync(ct), CancellationToken.None));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            await _stopping.CancelAsync();
            _inbox.Writer.TryComplete();
            lock (_gate)
            {
                foreach (var s in _subscribers)
                {
                    s.Writer.TryComplete();
                }
            }
        }

        try
        {
            await _work.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the loops end by cancellation.
        }
        catch (Exception ex)
        {
            // A loop that failed has nothing left to stop: say so, but never fail the host's shutdown (SIGTERM exits 0).
            LogWorkFailed(ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _stopping.Dispose();
    }

    /// <summary>Incidents, newest detection first; only those with <paramref name="status"/> when given.</summary>
    public IReadOnlyList<Incident> List(IncidentStatus? status = null) =>
        [.. _incidents.Values.Where(i => status is null || i.Status == status).OrderByDescending(i => i.DetectedAt)];

    public Incident? Get(Guid id) => _incidents.GetValueOrDefault(id);

    /// <summary>The agent's open incident, if any.</summary>
    public Incident? OpenFor(string ns, string name) => _incidents.Values.FirstOrDefault(i => i.IsOpen && i.Namespace == ns && i.Agent == name);

    /// <summary>
    /// Every incident now (a snapshot), then each incident again whenever it changes, until <paramref name="ct"/> fires.
    /// A reader that falls <see cref="SubscriberCapacity"/> changes behind gets a fresh snapshot instead of the changes it missed.
    /// </summary>
    public async IAsyncEnumerable<IncidentUpdate> WatchAsync([EnumeratorCancellation] CancellationToken ct)
    {
        while (!ct.IsCancellationRequested && _stopped == 0)
        {
            var channel = Channel.CreateBounded<Incident>(new BoundedChannelOptions(SubscriberCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
            IReadOnlyList<Incident> snapshot;
            lock (_gate)
            {
                _subscribers.Add(channel);
                snapshot = List();
            }

            try
            {
                yield return new IncidentUpdate(snapshot, null);
                while (await channel.Reader.WaitToReadAsync(ct))
                {
                    while (channel.Reader.TryRead(out var incident))
                    {
                        yield return new IncidentUpdate(null, incident);
                    }
                }
            }
            finally
            {
                lock (_gate)
                {
                    _subscribers.Remove(channel);
                }
            }
        }
    }

    /// <summary>Opens an incident by hand for an agent on the board that has none open.</summary>
    public Task<IncidentResult> OpenAsync(string ns, string name, string by, string? note, CancellationToken ct) => RunAsync(async () =>
    {
        if (OpenFor(ns, name) is { } open)
        {
            return IncidentResult.Refused($"Agent {ns}/{name} already has an open incident ({open.Id:D}, since {open.DetectedAt.UtcDateTime:u}); follow that one.");
        }

        if (board.GetDetail(ns, name) is not { } detail)
        {
            return IncidentResult.Refused($"There is no agent {ns}/{name} on the board.");
        }

        var incident = IncidentRules.Open(Guid.NewGuid(), detail.Summary, by, note, time.GetUtcNow());
        incident = IncidentRules.Observe(incident, detail.Summary, detail, time.GetUtcNow());
        await CommitAsync(null, incident, detail);
        return IncidentResult.Ok(incident);
    }, ct);

    public Task<IncidentResult> TickAsync(Guid id, ChecklistItem item, string by, CancellationToken ct) =>
        ChangeAsync(id, incident => IncidentRules.Tick(incident, item, by, time.GetUtcNow(), Settle), ct);

    public Task<IncidentResult> ResolveAsync(Guid id, string? rootCause, string by, CancellationToken ct) =>
        ChangeAsync(id, incident => IncidentRules.Resolve(incident, rootCause, by, time.GetUtcNow()), ct);

    public void ActionStarted(ActionStart start) =>
        Post(() => ApplyToOpenAsync(start.Target, incident => IncidentRules.ActionStarted(incident, start)));

    public void ActionFinished(ActionOutcome outcome) =>
        Post(() => ApplyToOpenAsync(outcome.Target, incident => IncidentRules.ActionFinished(incident, outcome)));

    public void ApprovalChanged(ApprovalNotice notice) =>
        Post(() => ApplyToOpenAsync(notice.Target, incident => IncidentRules.Approval(incident, notice)));

    private Task<IncidentResult> ChangeAsync(Guid id, Func<Incident, IncidentResult> change, CancellationToken ct) => RunAsync(async () =>
    {
        if (Get(id) is not { } incident)
        {
            return IncidentResult.Refused($"There is no incident {id:D}.");
        }

        var result = change(incident);
        if (result.Incident is { } next)
        {
            await CommitAsync(incident, next, null);
        }

        return result;
    }, ct);

    private async Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken ct)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(async () =>
        {
            try
            {
                done.TrySetResult(await work());
            }
            catch (Exception ex)
            {
                done.TrySetException(ex);
            }
        });
        return await done.Task.WaitAsync(ct);
    }

    private void Post(Func<Task> work)
    {
        if (!_inbox.Writer.TryWrite(work))
        {
            LogDropped();
        }
    }

    private async Task RunInboxAsync(CancellationToken ct)
    {
        await foreach (var work in _inbox.Reader.ReadAllAsync(ct))
        {
            try
            {
                await work();
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                LogWorkFailed(ex);
            }
        }
    }

    private async Task FollowBoardAsync(CancellationToken ct)
    {
        // One stream: a snapshot, then changes, and a fresh snapshot after a resync (which replaces what we knew).
        await foreach (var update in board.WatchAsync(ct))
        {
            switch (update)
            {
                case BoardUpdate.Snapshot snapshot:
                    // _agents belongs to the inbox's one reader: what vanished is worked out there, not here.
                    Post(() => ObserveAsync(snapshot.Agents, [.. _agents.Keys.Except(snapshot.Agents.Select(a => a.Key))]));
                    break;
                case BoardUpdate.Changes changes:
                    var batch = changes.Items;
                    Post(() => ObserveAsync([.. batch.OfType<BoardChange.Upsert>().Select(u => u.Agent)], [.. batch.OfType<BoardChange.Removed>().Select(r => r.AgentKey)]));
                    break;
            }
        }
    }

    private async Task TickGatesAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(GateInterval, time);
        while (await timer.WaitForNextTickAsync(ct))
        {
            Post(CheckGatesAsync);
        }
    }

    private async Task ObserveAsync(IReadOnlyList<AgentSummary> upserts, IReadOnlyList<string> removed)
    {
        foreach (var key in removed)
        {
            _agents.Remove(key);
        }

        foreach (var agent in upserts)
        {
            _agents[agent.Key] = agent;
            var open = OpenFor(agent.Namespace, agent.Name);
            if (open is null && !IncidentRules.ShouldOpen(agent, hasOpenIncident: false))
            {
                continue;
            }

            var detail = board.GetDetail(agent.Namespace, agent.Name);
            var now = time.GetUtcNow();
            var incident = open ?? IncidentRules.Open(Guid.NewGuid(), agent, Checklist.Dashboard, null, now);
            var next = IncidentRules.Observe(incident, agent, detail, now);
            if (open is null || !next.Equals(open))
            {
                if (open is null)
                {
                    LogOpened(next.Id, next.AgentKey, next.FailureMode, next.Summary);
                }

                await CommitAsync(open, next, detail);
            }
        }
    }

    private async Task CheckGatesAsync()
    {
        foreach (var incident in _incidents.Values.Where(i => i.IsOpen && i.VerifiedAt is null))
        {
            var next = IncidentRules.CheckGate(incident, _agents.GetValueOrDefault(incident.AgentKey), time.GetUtcNow(), Settle);
            if (!next.Equals(incident))
            {
                LogVerified(next.Id, next.AgentKey);
                await CommitAsync(incident, next, null);
            }
        }
    }

    private async Task ApplyToOpenAsync(AgentRef target, Func<Incident, Incident> change)
    {
        if (OpenFor(target.Namespace, target.Name) is { } incident && change(incident) is var next && !next.Equals(incident))
        {
            await CommitAsync(incident, next, null);
        }
    }

    // Stores, publishes, and reads the logs of every crash the change recorded (the cluster keeps only the last run's).
    private async Task CommitAsync(Incident? before, Incident after, AgentDetail? detail)
    {
        var added = IncidentRules.Added(before, after);
        _incidents = _incidents.SetItem(after.Id, after);
        try
        {
            await store.SaveAsync(after, added, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogSaveFailed(ex, after.Id);
        }

        Publish(after);
        if (detail is null)
        {
            return;
        }

        var crashes = AgentFindings.Crashes(detail).ToDictionary(c => c.Ref);
        foreach (var entry in added.Where(e => e.Kind == TimelineKind.Crash && e.Ref is not null))
        {
            if (crashes.TryGetValue(entry.Ref!, out var crash))
            {
                _ = CaptureLogsAsync(after.Id, after.Namespace, crash);
            }
        }
    }

    private async Task CaptureLogsAsync(Guid id, string ns, CrashFact crash)
    {
        LogResult result;
        try
        {
            result = await logs.ReadAsync(ns, crash.Pod, crash.Container, crash.Previous, Settings.LogLines, _stopping.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception ex)
        {
            result = LogResult.Failed(ex.Message);
        }

        Post(async () =>
        {
            if (Get(id) is { } incident && IncidentRules.LogsCaptured(incident, crash, result, time.GetUtcNow()) is var next && !next.Equals(incident))
            {
                await CommitAsync(incident, next, null);
            }
        });
    }

    private void Publish(Incident incident)
    {
        lock (_gate)
        {
            for (var i = _subscribers.Count - 1; i >= 0; i--)
            {
                // A reader this far behind gets a fresh snapshot (its loop subscribes again) rather than holding the rest up.
                if (!_subscribers[i].Writer.TryWrite(incident))
                {
                    _subscribers[i].Writer.TryComplete();
                    _subscribers.RemoveAt(i);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Incident {IncidentId} opened for {Agent}: {FailureMode} — {Summary}")]
    private partial void LogOpened(Guid incidentId, string agent, HealthState failureMode, string summary);

    [LoggerMessage(Level = LogLevel.Information, Message = "Incident {IncidentId} of {Agent}: the verification gate holds")]
    private partial void LogVerified(Guid incidentId, string agent);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store incident {IncidentId}; it is kept in memory only")]
    private partial void LogSaveFailed(Exception ex, Guid incidentId);

    [LoggerMessage(Level = LogLevel.Error, Message = "An incident update failed")]
    private partial void LogWorkFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An incident update arrived after the incident service stopped and was dropped")]
    private partial void LogDropped();
}

/// <summary>One item of <see cref="IncidentService.WatchAsync"/>: a snapshot of every incident, or one incident that changed.</summary>
public sealed record IncidentUpdate(IReadOnlyList<Incident>? Snapshot, Incident? Changed);

using System.Collections.Immutable;
using Kosmos.Dashboard.Incidents;
using Kosmos.Recovery.Incidents;

namespace Kosmos.Dashboard.ViewModels;

/// <summary>
/// Keeps every incident current from <see cref="IncidentService.WatchAsync"/> for one component: the snapshot at
/// <see cref="Start"/>, then each change handed to <c>onRenderer</c> (which runs it on the renderer and re-renders, as for
/// <see cref="BoardFeed"/>). Dispose to cancel the loop and wait for it.
/// </summary>
public sealed class IncidentFeed(IncidentService service, Func<Action, Task> onRenderer) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public ImmutableDictionary<Guid, Incident> Incidents { get; private set; } = ImmutableDictionary<Guid, Incident>.Empty;

    /// <summary>Why live updates stopped, when they stopped for a reason other than being disposed.</summary>
    public string? Failure { get; private set; }

    /// <summary>Takes the current incidents synchronously (on the renderer's thread) and starts following changes. Idempotent.</summary>
    public void Start()
    {
        if (_loop is not null)
        {
            return;
        }

        Incidents = service.List().ToImmutableDictionary(i => i.Id);
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var update in service.WatchAsync(ct))
            {
                await OnRendererAsync(() => Incidents = update.Snapshot is { } snapshot
                    ? snapshot.ToImmutableDictionary(i => i.Id)
                    : Incidents.SetItem(update.Changed!.Id, update.Changed));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Disposed.
        }
        catch (Exception ex)
        {
            await OnRendererAsync(() => Failure = ex.Message);
        }
    }

    private async Task OnRendererAsync(Action action)
    {
        try
        {
            await onRenderer(action);
        }
        catch (ObjectDisposedException)
        {
            // The circuit went away between the change and its render.
        }
    }
}

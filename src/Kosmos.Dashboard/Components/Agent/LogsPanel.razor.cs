using System.Collections.Concurrent;
using System.Globalization;
using Kosmos.Dashboard.ViewModels;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;
using Microsoft.AspNetCore.Components;

namespace Kosmos.Dashboard.Components.Agent;

/// <summary>
/// Container logs: the previous (crashed) run or the current one, a tail size, live follow with pause and resume,
/// search with highlight and a download. Reads through <see cref="IPodLogs"/>; follow runs off the renderer and hands
/// lines over in batches.
/// </summary>
public sealed partial class LogsPanel
{
    /// <summary>Lines that mark a pause in following start with this; they are not log output.</summary>
    public const string GapMarker = "··· ";

    private const int DefaultTail = 500;
    private static readonly IReadOnlyList<string> TailOptions = ["100", "500", "1000", "5000"];

    private readonly LogBuffer _buffer = new();
    private readonly ConcurrentQueue<string> _incoming = new();
    private string? _podOfContainer;
    private string? _container;
    private bool _previous;
    private int _tail = DefaultTail;
    private string _search = "";
    private bool _onlyMatches;
    private LoadKey? _loaded;
    private bool _loading;
    private string? _error;
    private string? _noPreviousRun;
    private CancellationTokenSource? _readCancel;
    private CancellationTokenSource? _followCancel;
    private Task? _followLoop;
    private bool _following;
    private DateTimeOffset? _pausedAt;
    private string? _followError;
    private int _flushQueued;
    private int _downloadVersion = -1;
    private string _downloadUri = "";

    [Inject]
    private IPodLogs Logs { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Parameter, EditorRequired]
    public string Namespace { get; set; } = "";

    [Parameter, EditorRequired]
    public IReadOnlyList<PodSnapshot> Pods { get; set; } = [];

    [Parameter]
    public string? SelectedPod { get; set; }

    [Parameter]
    public EventCallback<string> SelectedPodChanged { get; set; }

    private PodSnapshot? CurrentPod => Pods.FirstOrDefault(p => p.Name == SelectedPod);

    private string DownloadUri
    {
        get
        {
            if (_downloadVersion != _buffer.Version)
            {
                _downloadUri = LogDownload.DataUri(_buffer.Lines);
                _downloadVersion = _buffer.Version;
            }

            return _downloadUri;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _readCancel?.Cancel();
        _readCancel?.Dispose();
        await StopFollowingAsync();
    }

    protected override async Task OnParametersSetAsync()
    {
        // The agent's detail changes often; only a different pod, container, run or tail size means reading again.
        if (CurrentPod is not { } pod)
        {
            return;
        }

        if (_podOfContainer != pod.Name || _container is null || pod.FindContainer(_container) is null)
        {
            _podOfContainer = pod.Name;
            _container = PodSelection.DefaultContainer(pod);
            _previous = PodSelection.DefaultPrevious(pod, _container);
        }

        await LoadIfChangedAsync();
    }

    private async Task LoadIfChangedAsync()
    {
        if (_container is null || SelectedPod is null)
        {
            return;
        }

        var key = new LoadKey(SelectedPod, _container, _previous, _tail);
        if (key != _loaded)
        {
            await LoadAsync(key);
        }
    }

    private async Task LoadAsync(LoadKey key)
    {
        await StopFollowingAsync();
        _pausedAt = null;
        _followError = null;
        if (_readCancel is not null)
        {
            await _readCancel.CancelAsync();
            _readCancel.Dispose();
        }

        var cancel = _readCancel = new CancellationTokenSource();
        _loaded = key;
        _loading = true;
        _error = null;
        _noPreviousRun = null;
        _buffer.Clear();
        StateHasChanged();

        LogResult result;
        if (key.Previous && CurrentPod is { } pod && pod.Name == key.Pod && PodSelection.NoPreviousRun(pod, key.Container) is { } none)
        {
            // Nothing to read: say so, and offer the current run, rather than the API server's 'not found'.
            _loading = false;
            _noPreviousRun = none;
            return;
        }

        try
        {
            result = await Logs.ReadAsync(Namespace, key.Pod, key.Container, key.Previous, key.Tail, cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            result = LogResult.Failed($"Reading the log failed: {ex.Message}");
        }

        if (_loaded != key)
        {
            return;
        }

        _loading = false;
        _error = result.Error;
        _buffer.Replace(result.Lines);
    }

    private Task ReloadAsync() => _loaded is { } key ? LoadAsync(key) : Task.CompletedTask;

    private async Task OnContainerChanged(string container)
    {
        _container = container;
        _previous = CurrentPod is { } pod && PodSelection.DefaultPrevious(pod, container);
        await LoadIfChangedAsync();
    }

    private async Task OnTailChanged(string tail)
    {
        _tail = int.TryParse(tail, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : DefaultTail;
        await LoadIfChangedAsync();
    }

    private async Task OnModeChanged(bool previous)
    {
        _previous = previous;
        await LoadIfChangedAsync();
    }

    private void OnSearchChanged(string? search) => _search = search ?? "";

    private Task FollowAsync()
    {
        if (_following || _loaded is not { Previous: false } key)
        {
            return Task.CompletedTask;
        }

        if (_pausedAt is { } pausedAt)
        {
            // Following only sees what is written from now on: say plainly that the pause is a hole in the log.
            _buffer.Append([$"{GapMarker}paused from {TimeText.Stamp(pausedAt)} to {TimeText.Stamp(Time.GetUtcNow())}: lines written meanwhile are not shown (Reload to read them) ···"]);
            _pausedAt = null;
        }

        _following = true;
        _followError = null;
        var cancel = _followCancel = new CancellationTokenSource();
        _followLoop = Task.Run(() => FollowLoopAsync(key, cancel.Token));
        return Task.CompletedTask;
    }

    private async Task PauseAsync()
    {
        await StopFollowingAsync();
        _pausedAt = Time.GetUtcNow();
    }

    private async Task StopFollowingAsync()
    {
        if (_followCancel is null)
        {
            return;
        }

        await _followCancel.CancelAsync();
        if (_followLoop is not null)
        {
            await _followLoop;
        }

        _followCancel.Dispose();
        _followCancel = null;
        _followLoop = null;
        _following = false;
        DrainIncoming();
    }

    private async Task FollowLoopAsync(LoadKey key, CancellationToken ct)
    {
        string? ended = null;
        try
        {
            await foreach (var line in Logs.FollowAsync(Namespace, key.Pod, key.Container, ct).WithCancellation(ct))
            {
                _incoming.Enqueue(line);
                if (Interlocked.Exchange(ref _flushQueued, 1) == 0)
                {
                    _ = InvokeAsync(Flush);
                }
            }

            ended = ct.IsCancellationRequested ? null : "The log stream ended: the container stopped or was replaced.";
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            ended = $"Following stopped: {ex.Message}";
        }

        if (ended is null)
        {
            return;
        }

        try
        {
            await InvokeAsync(() =>
            {
                DrainIncoming();
                _following = false;
                _followError = ended;
                StateHasChanged();
            });
        }
        catch (ObjectDisposedException)
        {
            // The circuit went away while the stream ended; nobody is left to tell.
        }
    }

    private void Flush()
    {
        Volatile.Write(ref _flushQueued, 0);
        DrainIncoming();
        StateHasChanged();
    }

    private void DrainIncoming()
    {
        List<string> lines = [];
        while (_incoming.TryDequeue(out var line))
        {
            lines.Add(line);
        }

        if (lines.Count > 0)
        {
            _buffer.Append(lines);
        }
    }

    private sealed record LoadKey(string Pod, string Container, bool Previous, int Tail);
}

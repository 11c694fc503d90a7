using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Kosmos.KubeSim.Runtime;

/// <summary>
/// The output of one container instance (one containerID): what <c>kubectl logs</c> reads, and followers that get every
/// line appended after they subscribed until the instance ends. Keeps the last <see cref="Capacity"/> lines, as a rotated
/// log file would. Thread-safe.
/// </summary>
public sealed class ContainerLog(TimeProvider time)
{
    public const int Capacity = 5000;

    private readonly Lock _gate = new();
    private readonly LinkedList<LogLine> _lines = new();
    private readonly List<Channel<LogLine>> _followers = [];
    private bool _closed;

    public bool IsClosed
    {
        get { lock (_gate) { return _closed; } }
    }

    public LogLine Append(string text)
    {
        var line = new LogLine(time.GetUtcNow(), text);
        lock (_gate)
        {
            if (_closed)
            {
                return line;
            }

            _lines.AddLast(line);
            if (_lines.Count > Capacity)
            {
                _lines.RemoveFirst();
            }

            foreach (var f in _followers)
            {
                f.Writer.TryWrite(line);
            }
        }

        return line;
    }

    public IReadOnlyList<LogLine> Snapshot()
    {
        lock (_gate)
        {
            return [.. _lines];
        }
    }

    /// <summary>The instance ended: no more lines, every follower's stream completes.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            foreach (var f in _followers)
            {
                f.Writer.TryComplete();
            }

            _followers.Clear();
        }
    }

    /// <summary>
    /// Lines appended from this call on. Subscribes immediately (not on first enumeration), so a caller that read the
    /// backlog just before misses nothing appended since. Completes when the instance ends or <paramref name="ct"/> fires.
    /// </summary>
    public IAsyncEnumerable<LogLine> Follow(CancellationToken ct)
    {
        var channel = Channel.CreateUnbounded<LogLine>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
        lock (_gate)
        {
            if (_closed)
            {
                channel.Writer.TryComplete();
            }
            else
            {
                _followers.Add(channel);
            }
        }

        return Read(channel, ct);
    }

    private async IAsyncEnumerable<LogLine> Read(Channel<LogLine> channel, [EnumeratorCancellation] CancellationToken ct)
    {
        try
        {
            while (await channel.Reader.WaitToReadAsync(ct))
            {
                while (channel.Reader.TryRead(out var line))
                {
                    yield return line;
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                _followers.Remove(channel);
            }
        }
    }
}

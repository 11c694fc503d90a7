using System.Threading.Channels;

namespace Kosmos.KubeSim.Exec.Io;

/// <summary>
/// The canonical-mode line discipline of a pseudo terminal, for an exec with <c>tty=true</c>. kubectl puts the
/// local terminal into raw mode and sends keystrokes as they are typed; this turns them into what a program reads
/// (whole lines) and what the user sees (the echo).
/// </summary>
/// <remarks>
/// Runs a pump task from <see cref="Start"/> until the raw input ends or the discipline is disposed, whether or not
/// anyone reads, so Ctrl-C reaches a foreground command that is not reading (like a kernel tty does).
/// </remarks>
internal sealed class TtyLineDiscipline : IAsyncDisposable
{
    private const byte Interrupt = 0x03;
    private const byte EndOfFile = 0x04;
    private const byte Backspace = 0x08;
    private const byte KillLine = 0x15;
    private const byte Escape = 0x1b;
    private const byte Delete = 0x7f;

    private readonly Stream _raw;
    private readonly Stream _echo;
    private readonly Action _onInterrupt;
    private readonly Channel<byte[]> _cooked = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly CancellationTokenSource _stop = new();
    private Task _pump = Task.CompletedTask;

    /// <param name="raw">Keystrokes from the client.</param>
    /// <param name="echo">The terminal's output (the same stream programs write to).</param>
    /// <param name="onInterrupt">Called for Ctrl-C.</param>
    public TtyLineDiscipline(Stream raw, Stream echo, Action onInterrupt)
    {
        _raw = raw;
        _echo = echo;
        _onInterrupt = onInterrupt;
        Input = new CookedStream(_cooked.Reader);
    }

    /// <summary>What programs read: complete lines; a read returns 0 once per Ctrl-D on an empty line, and for good when the raw input ended.</summary>
    public Stream Input { get; }

    public void Start() => _pump = PumpAsync(_stop.Token);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _pump.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        var line = new List<byte>();
        var buffer = new byte[1024];
        var escape = EscapeState.None;
        try
        {
            while (true)
            {
                var count = await _raw.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (count == 0)
                {
                    if (line.Count > 0)
                    {
                        _cooked.Writer.TryWrite([.. line]);
                    }

                    break;
                }

                // Echo goes out before the line is handed over (and before an interrupt is raised), so the user
                // sees what they typed ahead of whatever the command prints in response.
                var echo = new List<byte>();
                for (var i = 0; i < count; i++)
                {
                    var b = buffer[i];

                    // Cursor keys and the like arrive as ESC [ ... final-byte; a line editor is out of scope, so drop them.
                    if (escape != EscapeState.None)
                    {
                        escape = escape == EscapeState.Started && b == '[' ? EscapeState.Csi
                            : escape == EscapeState.Csi && b is < 0x40 or > 0x7e ? EscapeState.Csi
                            : EscapeState.None;
                        continue;
                    }

                    switch (b)
                    {
                        case (byte)'\r' or (byte)'\n':
                            line.Add((byte)'\n');
                            echo.AddRange("\r\n"u8);
                            await FlushEchoAsync(echo, cancellationToken).ConfigureAwait(false);
                            _cooked.Writer.TryWrite([.. line]);
                            line.Clear();
                            break;
                        case Delete or Backspace:
                            if (line.Count > 0)
                            {
                                RemoveLastCharacter(line);
                                echo.AddRange("\b \b"u8);
                            }

                            break;
                        case KillLine:
                            while (line.Count > 0)
                            {
                                RemoveLastCharacter(line);
                                echo.AddRange("\b \b"u8);
                            }

                            break;
                        case Interrupt:
                            echo.AddRange("^C\r\n"u8);
                            await FlushEchoAsync(echo, cancellationToken).ConfigureAwait(false);
                            line.Clear();
                            _onInterrupt();
                            break;
                        case EndOfFile:
                            // Ctrl-D hands over what was typed so far; on an empty line that is an empty read: end of file.
                            await FlushEchoAsync(echo, cancellationToken).ConfigureAwait(false);
                            _cooked.Writer.TryWrite([.. line]);
                            line.Clear();
                            break;
                        case Escape:
                            escape = EscapeState.Started;
                            break;
                        case < 0x20 and not (byte)'\t':
                            break;
                        default:
                            line.Add(b);
                            echo.Add(b);
                            break;
                    }
                }

                await FlushEchoAsync(echo, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (IOException)
        {
            // The client went away; the exec is being torn down.
        }
        finally
        {
            _cooked.Writer.TryComplete();
        }
    }

    private async ValueTask FlushEchoAsync(List<byte> echo, CancellationToken cancellationToken)
    {
        if (echo.Count > 0)
        {
            await _echo.WriteAsync(echo.ToArray(), cancellationToken).ConfigureAwait(false);
            echo.Clear();
        }
    }

    private static void RemoveLastCharacter(List<byte> line)
    {
        // Drop UTF-8 continuation bytes together with their lead byte.
        while (line.Count > 0)
        {
            var last = line[^1];
            line.RemoveAt(line.Count - 1);
            if ((last & 0xC0) != 0x80)
            {
                break;
            }
        }
    }

    private enum EscapeState
    {
        None,
        Started,
        Csi,
    }

    private sealed class CookedStream(ChannelReader<byte[]> chunks) : ReadOnlyStream
    {
        private byte[] _current = [];
        private int _offset;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_offset >= _current.Length)
            {
                if (!await chunks.WaitToReadAsync(cancellationToken).ConfigureAwait(false) || !chunks.TryRead(out var next))
                {
                    return 0;
                }

                _current = next;
                _offset = 0;
                if (next.Length == 0)
                {
                    return 0;
                }
            }

            var count = Math.Min(buffer.Length, _current.Length - _offset);
            _current.AsSpan(_offset, count).CopyTo(buffer.Span);
            _offset += count;
            return count;
        }
    }
}

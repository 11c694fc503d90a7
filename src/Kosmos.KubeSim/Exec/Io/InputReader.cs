using System.Buffers;
using System.Text;

namespace Kosmos.KubeSim.Exec.Io;

/// <summary>
/// A command's standard input. A shell reads lines from it and hands the same reader to the commands it runs, so
/// bytes the shell buffered past a line are not lost to them (a real shell reads its input byte by byte for that
/// reason). End of input is not latched: a terminal's Ctrl-D ends one read, later reads go on.
/// </summary>
internal sealed class InputReader : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly byte[] _buffer = new byte[8192];
    private int _start;
    private int _end;

    public InputReader(Stream inner) => _inner = inner;

    public static InputReader Wrap(Stream stream) => stream as InputReader ?? new InputReader(stream);

    /// <summary>The next line without its "\n" (and a "\r" before it); a last line without "\n" counts; null at end of input.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new ArrayBufferWriter<byte>();
        while (true)
        {
            if (_start == _end)
            {
                _start = 0;
                _end = await _inner.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
                if (_end == 0)
                {
                    return line.WrittenCount > 0 ? Decode(line.WrittenSpan) : null;
                }
            }

            var available = _buffer.AsSpan(_start, _end - _start);
            var newline = available.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line.Write(available[..newline]);
                _start += newline + 1;
                return Decode(line.WrittenSpan);
            }

            line.Write(available);
            _start = _end;
        }
    }

    /// <summary>Everything up to end of input.</summary>
    public async Task<byte[]> ReadToEndAsync(CancellationToken cancellationToken)
    {
        using var all = new MemoryStream();
        await CopyToAsync(all, cancellationToken).ConfigureAwait(false);
        return all.ToArray();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_start < _end)
        {
            var count = Math.Min(buffer.Length, _end - _start);
            _buffer.AsSpan(_start, count).CopyTo(buffer.Span);
            _start += count;
            return count;
        }

        return await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_start < _end)
        {
            var n = Math.Min(count, _end - _start);
            Array.Copy(_buffer, _start, buffer, offset, n);
            _start += n;
            return n;
        }

        return _inner.Read(buffer, offset, count);
    }

    private static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > 0 && bytes[^1] == '\r')
        {
            bytes = bytes[..^1];
        }

        return Encoding.UTF8.GetString(bytes);
    }
}

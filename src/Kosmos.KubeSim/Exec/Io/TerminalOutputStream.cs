namespace Kosmos.KubeSim.Exec.Io;

/// <summary>A terminal's output post-processing (ONLCR): every "\n" a program writes reaches the screen as "\r\n".</summary>
internal sealed class TerminalOutputStream : WriteOnlyStream
{
    private readonly Stream _inner;

    public TerminalOutputStream(Stream inner) => _inner = inner;

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Span.IndexOf((byte)'\n') < 0)
        {
            await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            return;
        }

        await _inner.WriteAsync(Translate(buffer.Span), cancellationToken).ConfigureAwait(false);
    }

    public override void Write(byte[] buffer, int offset, int count) => _inner.Write(Translate(buffer.AsSpan(offset, count)));

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override void Flush() => _inner.Flush();

    private static byte[] Translate(ReadOnlySpan<byte> data)
    {
        var result = new List<byte>(data.Length + 16);
        foreach (var b in data)
        {
            if (b == '\n')
            {
                result.Add((byte)'\r');
            }

            result.Add(b);
        }

        return [.. result];
    }
}

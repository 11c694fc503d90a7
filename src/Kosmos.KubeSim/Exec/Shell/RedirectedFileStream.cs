using Kosmos.KubeSim.FileSystem;

namespace Kosmos.KubeSim.Exec.Shell;

/// <summary>
/// The target of "&gt; file" / "&gt;&gt; file": created (or truncated) when opened, like the shell does before the
/// command runs; what the command writes is appended when it ends. Writes may come from several pipeline stages.
/// </summary>
internal sealed class RedirectedFileStream : Stream
{
    private readonly ContainerFileSystem _fileSystem;
    private readonly string _path;
    private readonly MemoryStream _pending = new();
    private readonly Lock _gate = new();

    private RedirectedFileStream(ContainerFileSystem fileSystem, string path)
    {
        _fileSystem = fileSystem;
        _path = path;
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public static RedirectedFileStream Open(ContainerFileSystem fileSystem, string path, bool append)
    {
        if (!append || !fileSystem.Exists(path))
        {
            fileSystem.WriteFile(path, []);
        }
        else if (fileSystem.DirectoryExists(path))
        {
            throw new FileSystemException(FileSystemError.IsADirectory, path);
        }

        return new RedirectedFileStream(fileSystem, path);
    }

    /// <summary>Appends what was written so far to the file.</summary>
    public void Commit()
    {
        byte[] data;
        lock (_gate)
        {
            data = _pending.ToArray();
            _pending.SetLength(0);
        }

        if (data.Length > 0)
        {
            _fileSystem.AppendFile(_path, data);
        }
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        lock (_gate)
        {
            _pending.Write(buffer, offset, count);
        }
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_gate)
        {
            _pending.Write(buffer);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer, offset, count);
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}

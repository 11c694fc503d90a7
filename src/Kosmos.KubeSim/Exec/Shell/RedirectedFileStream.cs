using Kosmos.KubeSim.Exec.Io;
using Kosmos.KubeSim.FileSystem;

namespace Kosmos.KubeSim.Exec.Shell;

/// <summary>
/// The target of "&gt; file" / "&gt;&gt; file": created (or truncated) when opened, like the shell does before the
/// command runs; what the command writes is appended when it ends. Writes may come from several pipeline stages.
/// </summary>
internal sealed class RedirectedFileStream : WriteOnlyStream
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

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }
}

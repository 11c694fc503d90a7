namespace Kosmos.KubeSim.FileSystem;

/// <summary>The errno-like reasons a simulated file system operation can fail for.</summary>
public enum FileSystemError
{
    /// <summary>ENOENT.</summary>
    NotFound,

    /// <summary>ENOTDIR: a path component, or the target of a directory operation, is a file.</summary>
    NotADirectory,

    /// <summary>EISDIR: a file operation on a directory.</summary>
    IsADirectory,

    /// <summary>EEXIST.</summary>
    AlreadyExists,

    /// <summary>ENOTEMPTY: non-recursive delete of a directory with entries.</summary>
    DirectoryNotEmpty,

    /// <summary>EBUSY: the path is a mount point.</summary>
    Busy,

    /// <summary>EINVAL: for example removing the root directory.</summary>
    InvalidArgument,
}

/// <summary>
/// A failed file system operation. <see cref="Exception.Message"/> reads like the C library would word it
/// (<c>/x: No such file or directory</c>), so a command prints <c>cat: </c> + Message.
/// </summary>
public sealed class FileSystemException : IOException
{
    public FileSystemException(FileSystemError error, string path)
        : base($"{path}: {Describe(error)}")
    {
        Error = error;
        Path = path;
    }

    public FileSystemError Error { get; }

    /// <summary>The path as the caller saw it (a container path, not a path inside a volume).</summary>
    public string Path { get; }

    /// <summary>The strerror text alone, e.g. <c>No such file or directory</c>.</summary>
    public string Reason => Describe(Error);

    public static string Describe(FileSystemError error) => error switch
    {
        FileSystemError.NotFound => "No such file or directory",
        FileSystemError.NotADirectory => "Not a directory",
        FileSystemError.IsADirectory => "Is a directory",
        FileSystemError.AlreadyExists => "File exists",
        FileSystemError.DirectoryNotEmpty => "Directory not empty",
        FileSystemError.Busy => "Device or resource busy",
        FileSystemError.InvalidArgument => "Invalid argument",
        _ => error.ToString(),
    };
}

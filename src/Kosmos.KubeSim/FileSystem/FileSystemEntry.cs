namespace Kosmos.KubeSim.FileSystem;

public enum FileSystemEntryKind
{
    File,
    Directory,
}

/// <summary>An immutable stat result.</summary>
/// <param name="Path">Absolute path as seen by the caller (container path, or "/"-rooted path inside a volume).</param>
/// <param name="Name">Last path segment; "/" for the root.</param>
/// <param name="Mode">Permission bits (e.g. 0644 octal), without the file type.</param>
/// <param name="Kind">File or directory.</param>
/// <param name="Size">Bytes (4096 for a directory, as ls shows it).</param>
/// <param name="ModifiedAt">Last modification time.</param>
public sealed record FileSystemEntry(
    string Path,
    string Name,
    FileSystemEntryKind Kind,
    long Size,
    int Mode,
    DateTimeOffset ModifiedAt)
{
    public bool IsDirectory => Kind == FileSystemEntryKind.Directory;

    public bool IsFile => Kind == FileSystemEntryKind.File;
}

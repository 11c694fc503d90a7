namespace Kosmos.KubeSim.FileSystem;

/// <summary>
/// The contents of one simulated volume: a tree of directories and files (path → bytes). Used for a PVC's data,
/// and also as the private root of a <see cref="ContainerFileSystem"/>.
/// </summary>
/// <remarks>
/// <para>Lifetime: a PVC's data lives as long as the PVC; a VolumeSnapshot holds a <see cref="Clone"/> taken at snapshot
/// time, and a PVC restored from a snapshot starts from another clone of it.</para>
/// <para>Threading: every member is thread-safe and each call is atomic (one lock per volume). File contents are never
/// mutated in place, so a clone shares byte arrays with its source at no cost.</para>
/// <para>Paths are "/"-separated and relative to the volume root; a leading "/" is allowed ("conversations/a.json" and
/// "/conversations/a.json" are the same file). Errors are <see cref="FileSystemException"/>s.</para>
/// </remarks>
public sealed class VolumeData
{
    private const int DefaultFileMode = 0b110_100_100; // 0644
    private const int DefaultDirectoryMode = 0b111_101_101; // 0755

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private DirectoryNode _root;

    public VolumeData(TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        _root = new DirectoryNode { Mode = DefaultDirectoryMode, ModifiedAt = _time.GetUtcNow() };
    }

    private VolumeData(TimeProvider time, DirectoryNode root)
    {
        _time = time;
        _root = root;
    }

    /// <summary>Total size of all file contents, in bytes.</summary>
    public long UsedBytes
    {
        get
        {
            lock (_gate)
            {
                return _root.TotalBytes();
            }
        }
    }

    /// <summary>A deep, independent copy as of now (later writes to either side do not affect the other).</summary>
    public VolumeData Clone()
    {
        lock (_gate)
        {
            return new VolumeData(_time, (DirectoryNode)_root.DeepClone());
        }
    }

    /// <summary>Removes everything, leaving an empty root directory.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _root = new DirectoryNode { Mode = _root.Mode, ModifiedAt = _time.GetUtcNow() };
        }
    }

    public bool Exists(string path) => TryStat(path) is not null;

    public FileSystemEntry? TryStat(string path) => TryStat(Segments(path), Display(path));

    public FileSystemEntry Stat(string path) => Stat(Segments(path), Display(path));

    /// <summary>A copy of the file's bytes.</summary>
    public byte[] ReadFile(string path) => ReadFile(Segments(path), Display(path)).ToArray();

    /// <summary>Creates or truncates a file. With <paramref name="createParents"/> missing directories are made first.</summary>
    public void WriteFile(string path, ReadOnlySpan<byte> content, bool createParents = false) =>
        WriteFile(Segments(path), Display(path), content, append: false, createParents);

    public void AppendFile(string path, ReadOnlySpan<byte> content) =>
        WriteFile(Segments(path), Display(path), content, append: true, createParents: false);

    public void CreateDirectory(string path, bool createParents = false) =>
        CreateDirectory(Segments(path), Display(path), createParents);

    /// <summary>Deletes a file, an empty directory, or (with <paramref name="recursive"/>) a whole subtree.</summary>
    public void Delete(string path, bool recursive = false) => Delete(Segments(path), Display(path), recursive);

    /// <summary>The entries of a directory, ordered by name (ordinal).</summary>
    public IReadOnlyList<FileSystemEntry> List(string path) => List(Segments(path), Display(path));

    /// <summary>Volume paths ("/a/b.json") of every file at or below <paramref name="directory"/>, ordered.</summary>
    public IReadOnlyList<string> EnumerateFiles(string directory = "/")
    {
        var segments = Segments(directory);
        lock (_gate)
        {
            var result = new List<string>();
            var node = Find(segments);
            if (node is FileNode)
            {
                result.Add(Display(directory));
            }
            else if (node is DirectoryNode dir)
            {
                Collect(dir, Display(directory), result);
            }

            return result;
        }

        static void Collect(DirectoryNode dir, string prefix, List<string> into)
        {
            foreach (var (name, child) in dir.Children)
            {
                var childPath = ContainerPath.Join(prefix, name);
                if (child is DirectoryNode sub)
                {
                    Collect(sub, childPath, into);
                }
                else
                {
                    into.Add(childPath);
                }
            }
        }
    }

    /// <summary>
    /// Atomically makes the files directly inside <paramref name="directory"/> exactly <paramref name="files"/>
    /// (file name → content); subdirectories are kept. The directory is created if missing. Readers never see a mix.
    /// </summary>
    /// <returns>How many files the directory held before.</returns>
    public int ReplaceFiles(string directory, IReadOnlyDictionary<string, byte[]> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        foreach (var name in files.Keys)
        {
            if (name.Length == 0 || name.Contains('/') || name is "." or "..")
            {
                throw new ArgumentException($"'{name}' is not a file name.", nameof(files));
            }
        }

        var segments = Segments(directory);
        var display = Display(directory);
        lock (_gate)
        {
            CreateDirectory(segments, display, createParents: true);
            var dir = (DirectoryNode)Find(segments)!;
            foreach (var (name, child) in dir.Children)
            {
                if (child is DirectoryNode && files.ContainsKey(name))
                {
                    throw new FileSystemException(FileSystemError.IsADirectory, ContainerPath.Join(display, name));
                }
            }

            var now = _time.GetUtcNow();
            var previous = 0;
            foreach (var name in dir.Children.Where(c => c.Value is FileNode).Select(c => c.Key).ToList())
            {
                dir.Children.Remove(name);
                previous++;
            }

            foreach (var (name, content) in files)
            {
                dir.Children[name] = new FileNode { Content = content.ToArray(), Mode = DefaultFileMode, ModifiedAt = now };
            }

            dir.ModifiedAt = now;
            return previous;
        }
    }

    // The members below take a display path: the path reported in errors and stat results, which for a volume
    // mounted in a container is the container path the user typed.

    internal FileSystemEntry? TryStat(IReadOnlyList<string> segments, string display)
    {
        lock (_gate)
        {
            return Find(segments) is { } node ? ToEntry(node, display) : null;
        }
    }

    internal FileSystemEntry Stat(IReadOnlyList<string> segments, string display)
    {
        lock (_gate)
        {
            return ToEntry(Require(segments, display), display);
        }
    }

    /// <summary>The stored array itself: callers must not mutate it.</summary>
    internal byte[] ReadFile(IReadOnlyList<string> segments, string display)
    {
        lock (_gate)
        {
            return Require(segments, display) switch
            {
                DirectoryNode => throw new FileSystemException(FileSystemError.IsADirectory, display),
                FileNode file => file.Content,
                _ => throw new InvalidOperationException(),
            };
        }
    }

    internal void WriteFile(
        IReadOnlyList<string> segments, string display, ReadOnlySpan<byte> content, bool append, bool createParents, int? mode = null)
    {
        if (segments.Count == 0)
        {
            throw new FileSystemException(FileSystemError.IsADirectory, display);
        }

        lock (_gate)
        {
            var parent = createParents
                ? EnsureDirectory(segments, segments.Count - 1, display)
                : FindParent(segments, display);
            var name = segments[^1];
            var now = _time.GetUtcNow();
            switch (parent.Children.GetValueOrDefault(name))
            {
                case DirectoryNode:
                    throw new FileSystemException(FileSystemError.IsADirectory, display);
                case FileNode existing:
                    existing.Content = append ? [.. existing.Content, .. content] : content.ToArray();
                    existing.ModifiedAt = now;
                    existing.Mode = mode ?? existing.Mode;
                    break;
                default:
                    parent.Children[name] = new FileNode { Content = content.ToArray(), Mode = mode ?? DefaultFileMode, ModifiedAt = now };
                    parent.ModifiedAt = now;
                    break;
            }
        }
    }

    internal void CreateDirectory(IReadOnlyList<string> segments, string display, bool createParents, int? mode = null)
    {
        lock (_gate)
        {
            if (createParents)
            {
                var dir = EnsureDirectory(segments, segments.Count, display);
                if (mode is { } m)
                {
                    dir.Mode = m;
                }

                return;
            }

            if (segments.Count == 0)
            {
                throw new FileSystemException(FileSystemError.AlreadyExists, display);
            }

            var parent = FindParent(segments, display);
            if (parent.Children.ContainsKey(segments[^1]))
            {
                throw new FileSystemException(FileSystemError.AlreadyExists, display);
            }

            var now = _time.GetUtcNow();
            parent.Children[segments[^1]] = new DirectoryNode { Mode = mode ?? DefaultDirectoryMode, ModifiedAt = now };
            parent.ModifiedAt = now;
        }
    }

    internal void Delete(IReadOnlyList<string> segments, string display, bool recursive)
    {
        if (segments.Count == 0)
        {
            throw new FileSystemException(FileSystemError.InvalidArgument, display);
        }

        lock (_gate)
        {
            var parent = FindParent(segments, display);
            var name = segments[^1];
            switch (parent.Children.GetValueOrDefault(name))
            {
                case null:
                    throw new FileSystemException(FileSystemError.NotFound, display);
                case DirectoryNode dir when !recursive && dir.Children.Count > 0:
                    throw new FileSystemException(FileSystemError.DirectoryNotEmpty, display);
                default:
                    parent.Children.Remove(name);
                    parent.ModifiedAt = _time.GetUtcNow();
                    break;
            }
        }
    }

    internal IReadOnlyList<FileSystemEntry> List(IReadOnlyList<string> segments, string display)
    {
        lock (_gate)
        {
            return Require(segments, display) switch
            {
                FileNode => throw new FileSystemException(FileSystemError.NotADirectory, display),
                DirectoryNode dir => dir.Children
                    .Select(c => ToEntry(c.Value, ContainerPath.Join(display, c.Key)))
                    .ToList(),
                _ => throw new InvalidOperationException(),
            };
        }
    }

    internal void SetMetadata(IReadOnlyList<string> segments, string display, int? mode, DateTimeOffset? modifiedAt)
    {
        lock (_gate)
        {
            var node = Require(segments, display);
            node.Mode = mode ?? node.Mode;
            node.ModifiedAt = modifiedAt ?? node.ModifiedAt;
        }
    }

    private static IReadOnlyList<string> Segments(string path) => ContainerPath.Segments(path ?? throw new ArgumentNullException(nameof(path)));

    private static string Display(string path) => ContainerPath.Normalize(path);

    private static FileSystemEntry ToEntry(Node node, string display) => node switch
    {
        FileNode file => new FileSystemEntry(display, ContainerPath.GetFileName(display), FileSystemEntryKind.File, file.Content.Length, file.Mode, file.ModifiedAt),
        _ => new FileSystemEntry(display, ContainerPath.GetFileName(display), FileSystemEntryKind.Directory, 4096, node.Mode, node.ModifiedAt),
    };

    // Null when missing; a file in the middle of the path also counts as missing (stat says ENOTDIR, callers that
    // need that distinction go through FindParent).
    private Node? Find(IReadOnlyList<string> segments)
    {
        Node current = _root;
        foreach (var segment in segments)
        {
            if (current is not DirectoryNode dir || !dir.Children.TryGetValue(segment, out var child))
            {
                return null;
            }

            current = child;
        }

        return current;
    }

    private Node Require(IReadOnlyList<string> segments, string display)
    {
        if (Find(segments) is { } node)
        {
            return node;
        }

        _ = FindParent(segments, display); // throws ENOTDIR when a parent is a file
        throw new FileSystemException(FileSystemError.NotFound, display);
    }

    private DirectoryNode FindParent(IReadOnlyList<string> segments, string display)
    {
        var current = _root;
        for (var i = 0; i < segments.Count - 1; i++)
        {
            current = current.Children.GetValueOrDefault(segments[i]) switch
            {
                null => throw new FileSystemException(FileSystemError.NotFound, display),
                DirectoryNode dir => dir,
                _ => throw new FileSystemException(FileSystemError.NotADirectory, display),
            };
        }

        return current;
    }

    private DirectoryNode EnsureDirectory(IReadOnlyList<string> segments, int count, string display)
    {
        var current = _root;
        for (var i = 0; i < count; i++)
        {
            switch (current.Children.GetValueOrDefault(segments[i]))
            {
                case DirectoryNode dir:
                    current = dir;
                    break;
                case null:
                    var now = _time.GetUtcNow();
                    var created = new DirectoryNode { Mode = DefaultDirectoryMode, ModifiedAt = now };
                    current.Children[segments[i]] = created;
                    current.ModifiedAt = now;
                    current = created;
                    break;
                default:
                    // Only mkdir's own target existing as a file is EEXIST; a file as a parent is ENOTDIR.
                    throw new FileSystemException(
                        count == segments.Count && i == count - 1 ? FileSystemError.AlreadyExists : FileSystemError.NotADirectory,
                        display);
            }
        }

        return current;
    }

    private abstract class Node
    {
        public int Mode { get; set; }

        public DateTimeOffset ModifiedAt { get; set; }

        public abstract Node DeepClone();
    }

    private sealed class FileNode : Node
    {
        public byte[] Content { get; set; } = [];

        public override Node DeepClone() => new FileNode { Content = Content, Mode = Mode, ModifiedAt = ModifiedAt };
    }

    private sealed class DirectoryNode : Node
    {
        public SortedDictionary<string, Node> Children { get; } = new(StringComparer.Ordinal);

        public long TotalBytes() => Children.Values.Sum(c => c switch
        {
            FileNode f => f.Content.LongLength,
            DirectoryNode d => d.TotalBytes(),
            _ => 0L,
        });

        public override Node DeepClone()
        {
            var copy = new DirectoryNode { Mode = Mode, ModifiedAt = ModifiedAt };
            foreach (var (name, child) in Children)
            {
                copy.Children[name] = child.DeepClone();
            }

            return copy;
        }
    }
}

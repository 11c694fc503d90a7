using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Kosmos.KubeSim.FileSystem;

/// <summary>
/// What one container instance sees: a private in-memory root (a fresh image layout: /app, /etc/hostname, /tmp, ...)
/// with volumes mounted into it.
/// </summary>
/// <remarks>
/// <para>Lifetime: create one per container start and drop it when the container stops; the root's contents die with
/// it, the mounted <see cref="VolumeData"/> (a PVC's data) outlive it.</para>
/// <para>Threading: thread-safe. Several execs into the same container share one instance. Each call is atomic
/// within one volume; a recursive delete that crosses mount points is not atomic (neither is rm).</para>
/// <para>Paths: absolute container paths; a relative path is taken against "/". Callers with a working directory
/// resolve first (<see cref="ContainerPath.Resolve"/>). Errors are <see cref="FileSystemException"/>s naming the
/// container path.</para>
/// </remarks>
public sealed class ContainerFileSystem
{
    private const int StickyWorldWritable = 0b1_111_111_111; // 1777

    private readonly VolumeData _root;
    private readonly Mount[] _mounts; // deepest first, so the longest matching mount point wins

    /// <param name="hostname">The pod name, as a container's /etc/hostname holds it.</param>
    /// <param name="mounts">Mount path → volume. Mount points are created in the root; "/" cannot be a mount.</param>
    /// <param name="timeProvider">Stamps modification times; the system clock when null.</param>
    public ContainerFileSystem(string hostname, IReadOnlyDictionary<string, VolumeData>? mounts = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hostname);
        Hostname = hostname;
        _root = CreateImageLayout(hostname, timeProvider);

        var list = new List<Mount>();
        foreach (var (path, volume) in mounts ?? new Dictionary<string, VolumeData>())
        {
            ArgumentNullException.ThrowIfNull(volume);
            var normalized = ContainerPath.Normalize(path);
            if (normalized == "/")
            {
                throw new ArgumentException("A volume cannot be mounted at /.", nameof(mounts));
            }

            if (list.Any(m => m.Path == normalized))
            {
                throw new ArgumentException($"Two volumes are mounted at {normalized}.", nameof(mounts));
            }

            _root.CreateDirectory(normalized, createParents: true);
            list.Add(new Mount(normalized, ContainerPath.Segments(normalized), volume));
        }

        _mounts = [.. list.OrderByDescending(m => m.Segments.Count)];
        Mounts = list.ToDictionary(m => m.Path, m => m.Volume, StringComparer.Ordinal);
    }

    public string Hostname { get; }

    /// <summary>Normalised mount path → volume.</summary>
    public IReadOnlyDictionary<string, VolumeData> Mounts { get; }

    /// <summary>The volume mounted exactly at <paramref name="mountPath"/>, if any.</summary>
    public bool TryGetVolume(string mountPath, [NotNullWhen(true)] out VolumeData? volume) =>
        Mounts.TryGetValue(ContainerPath.Normalize(mountPath), out volume);

    public bool IsMountPoint(string path) => Mounts.ContainsKey(ContainerPath.Normalize(path));

    public FileSystemEntry? TryStat(string path)
    {
        var at = Locate(path);
        return at.Volume.TryStat(at.Relative, at.Display);
    }

    public FileSystemEntry Stat(string path)
    {
        var at = Locate(path);
        return at.Volume.Stat(at.Relative, at.Display);
    }

    public bool Exists(string path) => TryStat(path) is not null;

    public bool FileExists(string path) => TryStat(path)?.IsFile == true;

    public bool DirectoryExists(string path) => TryStat(path)?.IsDirectory == true;

    /// <summary>A copy of the file's bytes.</summary>
    public byte[] ReadFile(string path) => ReadFileShared(path).ToArray();

    public string ReadAllText(string path) => Encoding.UTF8.GetString(ReadFileShared(path));

    /// <summary>Creates or truncates a file; its directory must exist.</summary>
    public void WriteFile(string path, ReadOnlySpan<byte> content)
    {
        var at = Locate(path);
        at.Volume.WriteFile(at.Relative, at.Display, content, append: false, createParents: false);
    }

    public void WriteAllText(string path, string content) => WriteFile(path, Encoding.UTF8.GetBytes(content));

    public void AppendFile(string path, ReadOnlySpan<byte> content)
    {
        var at = Locate(path);
        at.Volume.WriteFile(at.Relative, at.Display, content, append: true, createParents: false);
    }

    public void CreateDirectory(string path, bool createParents = false)
    {
        var at = Locate(path);
        if (at.IsMountPoint)
        {
            if (!createParents)
            {
                throw new FileSystemException(FileSystemError.AlreadyExists, at.Display);
            }

            return;
        }

        at.Volume.CreateDirectory(at.Relative, at.Display, createParents);
    }

    public IReadOnlyList<FileSystemEntry> List(string path)
    {
        var at = Locate(path);
        return at.Volume.List(at.Relative, at.Display);
    }

    /// <summary>
    /// Deletes a file, an empty directory, or with <paramref name="recursive"/> a subtree. A mount point cannot be
    /// removed: a recursive delete empties the volume and then fails with <see cref="FileSystemError.Busy"/>, as rm does.
    /// </summary>
    public void Delete(string path, bool recursive = false)
    {
        var at = Locate(path);
        if (at.Display == "/")
        {
            throw new FileSystemException(FileSystemError.Busy, "/");
        }

        if (at.IsMountPoint)
        {
            if (recursive)
            {
                at.Volume.Clear();
            }

            throw new FileSystemException(FileSystemError.Busy, at.Display);
        }

        var nested = _mounts.Where(m => IsBelow(m.Path, at.Display)).ToList();
        if (nested.Count == 0)
        {
            at.Volume.Delete(at.Relative, at.Display, recursive);
            return;
        }

        if (!recursive)
        {
            throw new FileSystemException(FileSystemError.DirectoryNotEmpty, at.Display);
        }

        PruneAround(at.Display);
        throw new FileSystemException(FileSystemError.Busy, nested.OrderBy(m => m.Path, StringComparer.Ordinal).First().Path);
    }

    internal byte[] ReadFileShared(string path)
    {
        var at = Locate(path);
        return at.Volume.ReadFile(at.Relative, at.Display);
    }

    internal void WriteFile(string path, ReadOnlySpan<byte> content, bool createParents, int? mode)
    {
        var at = Locate(path);
        at.Volume.WriteFile(at.Relative, at.Display, content, append: false, createParents, mode);
    }

    internal void SetMetadata(string path, int? mode, DateTimeOffset? modifiedAt)
    {
        var at = Locate(path);
        at.Volume.SetMetadata(at.Relative, at.Display, mode, modifiedAt);
    }

    private static bool IsBelow(string candidate, string directory) =>
        directory == "/" ? candidate != "/" : candidate.StartsWith(directory + "/", StringComparison.Ordinal);

    // Deletes everything under a directory except mount points (whose volumes are emptied) and the directories leading to them.
    private void PruneAround(string directory)
    {
        foreach (var child in List(directory))
        {
            if (Mounts.TryGetValue(child.Path, out var volume))
            {
                volume.Clear();
            }
            else if (_mounts.Any(m => IsBelow(m.Path, child.Path)))
            {
                PruneAround(child.Path);
            }
            else
            {
                Delete(child.Path, recursive: true);
            }
        }
    }

    private Location Locate(string path)
    {
        var display = ContainerPath.Normalize(path);
        var segments = ContainerPath.Segments(display);
        foreach (var mount in _mounts)
        {
            if (segments.Count >= mount.Segments.Count && mount.Segments.Select((s, i) => s == segments[i]).All(x => x))
            {
                return new Location(mount.Volume, [.. segments.Skip(mount.Segments.Count)], display, segments.Count == mount.Segments.Count);
            }
        }

        return new Location(_root, segments, display, IsMountPoint: false);
    }

    private static VolumeData CreateImageLayout(string hostname, TimeProvider? timeProvider)
    {
        var root = new VolumeData(timeProvider);
        foreach (var dir in new[] { "/app", "/bin", "/dev", "/etc", "/home", "/proc", "/root", "/run", "/sbin", "/usr/bin", "/usr/local/bin", "/usr/lib", "/var/lib", "/var/log" })
        {
            root.CreateDirectory(dir, createParents: true);
        }

        root.CreateDirectory(["tmp"], "/tmp", createParents: false, StickyWorldWritable);
        root.CreateDirectory(["var", "tmp"], "/var/tmp", createParents: false, StickyWorldWritable);
        root.WriteFile("/etc/hostname", Encoding.UTF8.GetBytes(hostname + "\n"));
        root.WriteFile("/etc/hosts", Encoding.UTF8.GetBytes($"127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n10.244.0.2\t{hostname}\n"));
        root.WriteFile("/etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n"u8);
        root.WriteFile("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"u8);
        root.WriteFile("/app/README", "KOSMOS agent image: the agent runs as `python -m kosmos.agent`.\n"u8);
        return root;
    }

    private sealed record Mount(string Path, IReadOnlyList<string> Segments, VolumeData Volume);

    private readonly record struct Location(VolumeData Volume, IReadOnlyList<string> Relative, string Display, bool IsMountPoint);
}

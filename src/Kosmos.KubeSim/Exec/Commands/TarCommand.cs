using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Kosmos.KubeSim.Exec.Io;
using Kosmos.KubeSim.Exec.Shell;
using Kosmos.KubeSim.FileSystem;

namespace Kosmos.KubeSim.Exec.Commands;

/// <summary>
/// GNU-tar-compatible create / extract / list over the container file system, reading and writing archives on
/// stdin/stdout or a file. This is what <c>kubectl cp</c> runs: <c>tar cf - PATH</c> from a pod,
/// <c>tar -xmf - -C DIR</c> (after <c>test -d</c>) into one. Writes ustar entries (pax only for names ustar cannot
/// hold); reads ustar, pax, gnu and v7. No links or devices.
/// </summary>
internal static class TarCommand
{
    private const string Leading = "tar: Removing leading `/' from member names";
    private const string PreviousErrors = "tar: Exiting with failure status due to previous errors";
    private const string NotRecoverable = "tar: Error is not recoverable: exiting now";

    public static async Task<int> RunAsync(CommandContext c)
    {
        var options = TarOptions.Parse(c.Args);
        if (options.Error is not null)
        {
            await c.ErrLineAsync($"tar: {options.Error}\nTry 'tar --help' or 'tar --usage' for more information.").ConfigureAwait(false);
            return 2;
        }

        var directory = c.Resolve(options.Directory ?? ".");
        if (!c.FileSystem.DirectoryExists(directory))
        {
            var reason = c.FileSystem.Exists(directory) ? "Not a directory" : "No such file or directory";
            await c.ErrLineAsync($"tar: {options.Directory}: Cannot open: {reason}\n{NotRecoverable}").ConfigureAwait(false);
            return 2;
        }

        return options.Mode == 'c'
            ? await CreateAsync(c, options, directory).ConfigureAwait(false)
            : await ReadAsync(c, options, directory).ConfigureAwait(false);
    }

    private static async Task<int> CreateAsync(CommandContext c, TarOptions options, string directory)
    {
        if (options.Members.Count == 0)
        {
            await c.ErrLineAsync($"tar: Cowardly refusing to create an empty archive\nTry 'tar --help' or 'tar --usage' for more information.").ConfigureAwait(false);
            return 2;
        }

        var toStdout = options.Archive is null or "-";
        var archive = toStdout ? (Stream)new BufferedStream(c.Stdout, 64 * 1024) : new MemoryStream();
        var verbose = toStdout ? c.Stderr : c.Stdout;
        var failed = false;
        var warnedLeading = false;
        var compressed = options.Gzip ? new GZipStream(archive, CompressionLevel.Fastest, leaveOpen: true) : null;
        var writer = new TarWriter(compressed ?? archive, TarEntryFormat.Ustar, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            foreach (var member in options.Members)
            {
                var path = ContainerPath.Resolve(directory, member);
                var entry = c.FileSystem.TryStat(path);
                if (entry is null)
                {
                    await c.ErrLineAsync($"tar: {member}: Cannot stat: No such file or directory").ConfigureAwait(false);
                    failed = true;
                    continue;
                }

                var name = member;
                if (name.StartsWith('/'))
                {
                    name = name.TrimStart('/');
                    if (!warnedLeading)
                    {
                        warnedLeading = true;
                        await c.ErrLineAsync(Leading).ConfigureAwait(false);
                    }
                }

                await AddAsync(c, writer, entry, name.Length == 0 ? "." : name, options.Verbose ? verbose : null).ConfigureAwait(false);
            }
        }

        if (compressed is not null)
        {
            await compressed.DisposeAsync().ConfigureAwait(false);
        }

        await archive.FlushAsync(c.CancellationToken).ConfigureAwait(false);
        if (!toStdout)
        {
            c.FileSystem.WriteFile(c.Resolve(options.Archive!), ((MemoryStream)archive).ToArray());
        }

        if (failed)
        {
            await c.ErrLineAsync(PreviousErrors).ConfigureAwait(false);
            return 2;
        }

        return 0;
    }

    private static async Task AddAsync(CommandContext c, TarWriter writer, FileSystemEntry source, string name, Stream? verbose)
    {
        var entryName = source.IsDirectory ? name.TrimEnd('/') + "/" : name;
        var type = source.IsDirectory ? TarEntryType.Directory : TarEntryType.RegularFile;
        PosixTarEntry entry = NeedsPax(entryName) ? new PaxTarEntry(type, entryName) : new UstarTarEntry(type, entryName);
        entry.Mode = (UnixFileMode)(source.Mode & 0xFFF);
        entry.ModificationTime = source.ModifiedAt;
        entry.Uid = 0;
        entry.Gid = 0;
        entry.UserName = "root";
        entry.GroupName = "root";
        if (source.IsFile)
        {
            entry.DataStream = new MemoryStream(c.FileSystem.ReadFileShared(source.Path), writable: false);
        }

        await writer.WriteEntryAsync(entry, c.CancellationToken).ConfigureAwait(false);
        if (verbose is not null)
        {
            await verbose.WriteAsync(Encoding.UTF8.GetBytes(entryName + "\n"), c.CancellationToken).ConfigureAwait(false);
        }

        if (source.IsDirectory)
        {
            foreach (var child in c.FileSystem.List(source.Path))
            {
                await AddAsync(c, writer, child, entryName + child.Name, verbose).ConfigureAwait(false);
            }
        }
    }

    private static bool NeedsPax(string name) => name.Length > 100 || name.Any(ch => ch > 127);

    private static async Task<int> ReadAsync(CommandContext c, TarOptions options, string directory)
    {
        Stream source;
        if (options.Archive is null or "-")
        {
            source = c.Stdin;
        }
        else
        {
            try
            {
                source = new MemoryStream(c.FileSystem.ReadFileShared(c.Resolve(options.Archive)), writable: false);
            }
            catch (FileSystemException e)
            {
                await c.ErrLineAsync($"tar: {options.Archive}: Cannot open: {e.Reason}\n{NotRecoverable}").ConfigureAwait(false);
                return 2;
            }
        }

        var counting = new CountingReadStream(source);
        var input = options.Gzip ? new GZipStream(counting, CompressionMode.Decompress, leaveOpen: true) : (Stream)counting;
        var reader = new TarReader(input, leaveOpen: true);
        var failed = false;
        var warnedLeading = false;
        var entries = 0;
        var directoryTimes = new List<(string Path, DateTimeOffset Time)>();
        await using (reader.ConfigureAwait(false))
        {
            while (true)
            {
                TarEntry? entry;
                try
                {
                    entry = await reader.GetNextEntryAsync(copyData: false, c.CancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException or ArgumentException)
                {
                    var message = entries == 0 ? "tar: This does not look like a tar archive\n" + PreviousErrors : "tar: Unexpected EOF in archive\n" + NotRecoverable;
                    await c.ErrLineAsync(message).ConfigureAwait(false);
                    return 2;
                }

                if (entry is null)
                {
                    break;
                }

                entries++;
                var name = entry.Name;
                if (name.StartsWith('/'))
                {
                    name = name.TrimStart('/');
                    if (!warnedLeading)
                    {
                        warnedLeading = true;
                        await c.ErrLineAsync(Leading).ConfigureAwait(false);
                    }
                }

                if (options.Mode == 't')
                {
                    await c.OutLineAsync(name).ConfigureAwait(false);
                    continue;
                }

                if (name.Split('/').Contains(".."))
                {
                    await c.ErrLineAsync($"tar: {name}: Member name contains '..'").ConfigureAwait(false);
                    failed = true;
                    continue;
                }

                if (options.Members.Count > 0 && !options.Members.Any(m => name.TrimEnd('/') == m.TrimEnd('/') || name.StartsWith(m.TrimEnd('/') + "/", StringComparison.Ordinal)))
                {
                    continue;
                }

                var target = ContainerPath.Resolve(directory, name);
                if (options.Verbose)
                {
                    await c.OutLineAsync(name).ConfigureAwait(false);
                }

                failed |= !await ExtractAsync(c, entry, name, target, options, directoryTimes).ConfigureAwait(false);
            }
        }

        if (entries == 0 && counting.BytesRead == 0)
        {
            await c.ErrLineAsync("tar: This does not look like a tar archive\n" + PreviousErrors).ConfigureAwait(false);
            return 2;
        }

        // Directory times last, as GNU tar does: creating their contents touched them.
        foreach (var (path, time) in directoryTimes)
        {
            c.FileSystem.SetMetadata(path, mode: null, time);
        }

        if (failed)
        {
            await c.ErrLineAsync(PreviousErrors).ConfigureAwait(false);
            return 2;
        }

        return 0;
    }

    private static async Task<bool> ExtractAsync(
        CommandContext c, TarEntry entry, string name, string target, TarOptions options, List<(string Path, DateTimeOffset Time)> directoryTimes)
    {
        var mode = (int)entry.Mode & 0xFFF;
        try
        {
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    c.FileSystem.CreateDirectory(target, createParents: true);
                    if (target != "/" && !c.FileSystem.IsMountPoint(target))
                    {
                        c.FileSystem.SetMetadata(target, mode, modifiedAt: null);
                        if (!options.Touch)
                        {
                            directoryTimes.Add((target, entry.ModificationTime));
                        }
                    }

                    return true;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    var content = new MemoryStream();
                    if (entry.DataStream is { } data)
                    {
                        await data.CopyToAsync(content, c.CancellationToken).ConfigureAwait(false);
                    }

                    c.FileSystem.CreateDirectory(ContainerPath.GetParent(target), createParents: true);
                    if (c.FileSystem.DirectoryExists(target))
                    {
                        throw new FileSystemException(FileSystemError.IsADirectory, target);
                    }

                    c.FileSystem.WriteFile(target, content.ToArray(), createParents: false, mode);
                    if (!options.Touch)
                    {
                        c.FileSystem.SetMetadata(target, mode: null, entry.ModificationTime);
                    }

                    return true;
                case TarEntryType.SymbolicLink:
                    await c.ErrLineAsync($"tar: {name}: Cannot create symlink to '{entry.LinkName}': Operation not supported").ConfigureAwait(false);
                    return false;
                case TarEntryType.HardLink:
                    await c.ErrLineAsync($"tar: {name}: Cannot hard link to '{entry.LinkName}': Operation not supported").ConfigureAwait(false);
                    return false;
                case TarEntryType.GlobalExtendedAttributes:
                    return true;
                default:
                    await c.ErrLineAsync($"tar: {name}: Cannot mknod: Operation not permitted").ConfigureAwait(false);
                    return false;
            }
        }
        catch (FileSystemException e)
        {
            await c.ErrLineAsync($"tar: {name}: Cannot open: {e.Reason}").ConfigureAwait(false);
            return false;
        }
    }

    private sealed class TarOptions
    {
        public char Mode { get; private set; }

        public string? Archive { get; private set; }

        public string? Directory { get; private set; }

        public bool Touch { get; private set; }

        public bool Verbose { get; private set; }

        public bool Gzip { get; private set; }

        public List<string> Members { get; } = [];

        public string? Error { get; private set; }

        public static TarOptions Parse(IReadOnlyList<string> args)
        {
            var options = new TarOptions();
            var queue = new Queue<string>(args);

            // Traditional form: the first argument is a bundle of letters without a dash ("cf", "xmf", "cfh").
            if (queue.Count > 0 && queue.Peek() is { Length: > 0 } first && first[0] != '-')
            {
                queue.Dequeue();
                options.Letters(first, queue, traditional: true);
            }

            while (queue.Count > 0 && options.Error is null)
            {
                var arg = queue.Dequeue();
                if (arg == "--")
                {
                    options.Members.AddRange(queue);
                    break;
                }

                if (arg.StartsWith("--", StringComparison.Ordinal))
                {
                    options.Long(arg, queue);
                }
                else if (arg.Length > 1 && arg[0] == '-')
                {
                    options.Letters(arg[1..], queue, traditional: false);
                }
                else
                {
                    options.Members.Add(arg);
                }
            }

            if (options.Error is null && options.Mode == default)
            {
                options.Error = "You must specify one of the '-Acdtrux', '--delete' or '--test-label' options";
            }

            return options;
        }

        private void Letters(string letters, Queue<string> rest, bool traditional)
        {
            for (var i = 0; i < letters.Length; i++)
            {
                var letter = letters[i];
                switch (letter)
                {
                    case 'c' or 'x' or 't':
                        SetMode(letter);
                        break;
                    case 'f' or 'C':
                        // Traditional bundles ("cfh") take each argument from the following words in order;
                        // with a dash, "-fNAME" takes the rest of the bundle and "-xmf NAME" the next word.
                        string? value = null;
                        if (!traditional && i + 1 < letters.Length)
                        {
                            value = letters[(i + 1)..];
                            i = letters.Length;
                        }
                        else if (rest.Count > 0)
                        {
                            value = rest.Dequeue();
                        }
                        else
                        {
                            Error = $"option requires an argument -- '{letter}'";
                            return;
                        }

                        if (letter == 'f')
                        {
                            Archive = value;
                        }
                        else
                        {
                            Directory = value;
                        }

                        break;
                    case 'm':
                        Touch = true;
                        break;
                    case 'v':
                        Verbose = true;
                        break;
                    case 'z':
                        Gzip = true;
                        break;
                    case 'h' or 'p' or 'o' or 'P':
                        break;
                    default:
                        Error = $"invalid option -- '{letter}'";
                        return;
                }
            }
        }

        private void Long(string arg, Queue<string> rest)
        {
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? arg : arg[..equals];
            string? Value() => equals >= 0 ? arg[(equals + 1)..] : rest.Count > 0 ? rest.Dequeue() : null;
            switch (name)
            {
                case "--create":
                    SetMode('c');
                    break;
                case "--extract" or "--get":
                    SetMode('x');
                    break;
                case "--list":
                    SetMode('t');
                    break;
                case "--file":
                    Archive = Value();
                    break;
                case "--directory":
                    Directory = Value();
                    break;
                case "--touch":
                    Touch = true;
                    break;
                case "--verbose":
                    Verbose = true;
                    break;
                case "--gzip":
                    Gzip = true;
                    break;
                case "--no-same-permissions" or "--no-same-owner" or "--same-owner" or "--same-permissions" or "--preserve-permissions"
                    or "--dereference" or "--overwrite" or "--warning" or "--numeric-owner":
                    break;
                default:
                    Error = $"unrecognized option '{arg}'";
                    break;
            }
        }

        private void SetMode(char mode)
        {
            if (Mode != default && Mode != mode)
            {
                Error = "You may not specify more than one '-Acdtrux', '--delete' or  '--test-label' option";
            }

            Mode = mode;
        }
    }

    private sealed class CountingReadStream(Stream inner) : ReadOnlyStream
    {
        public long BytesRead { get; private set; }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var count = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            BytesRead += count;
            return count;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            BytesRead += read;
            return read;
        }
    }
}

using System.Globalization;
using System.Text;
using Kosmos.KubeSim.Exec.Shell;
using Kosmos.KubeSim.FileSystem;

namespace Kosmos.KubeSim.Exec.Commands;

/// <summary>cat, ls, mkdir, rm, touch — worded like GNU coreutils.</summary>
internal static class FileCommands
{
    private static readonly Dictionary<string, char> RmLongOptions = new(StringComparer.Ordinal)
    {
        ["--recursive"] = 'r',
        ["--force"] = 'f',
    };

    private static readonly Dictionary<string, char> MkdirLongOptions = new(StringComparer.Ordinal) { ["--parents"] = 'p' };

    public static async Task<int> CatAsync(CommandContext c)
    {
        var line = CommandLine.Parse(c.Args, "u");
        if (line.Invalid is not null)
        {
            return await c.FailAsync($"invalid option -- '{line.Invalid}'").ConfigureAwait(false);
        }

        List<string> files = line.Operands.Count == 0 ? ["-"] : line.Operands;
        var status = 0;
        foreach (var file in files)
        {
            if (file == "-")
            {
                await c.Stdin.CopyToAsync(c.Stdout, c.CancellationToken).ConfigureAwait(false);
                continue;
            }

            try
            {
                var content = c.FileSystem.ReadFileShared(c.Resolve(file));
                await c.Stdout.WriteAsync(content, c.CancellationToken).ConfigureAwait(false);
            }
            catch (FileSystemException e)
            {
                status = await c.FailAsync($"{file}: {e.Reason}").ConfigureAwait(false);
            }
        }

        return status;
    }

    public static async Task<int> LsAsync(CommandContext c)
    {
        var line = CommandLine.Parse(c.Args, "laA1dhF", new Dictionary<string, char>(StringComparer.Ordinal) { ["--all"] = 'a' });
        if (line.Invalid is not null)
        {
            await c.ErrLineAsync($"ls: invalid option -- '{line.Invalid}'").ConfigureAwait(false);
            return 2;
        }

        List<string> operands = line.Operands.Count == 0 ? ["."] : line.Operands;
        var status = 0;
        var files = new List<(string Shown, FileSystemEntry Entry)>();
        var directories = new List<(string Shown, FileSystemEntry Entry)>();
        foreach (var operand in operands)
        {
            var entry = c.FileSystem.TryStat(c.Resolve(operand));
            if (entry is null)
            {
                await c.ErrLineAsync($"ls: cannot access '{operand}': No such file or directory").ConfigureAwait(false);
                status = 2;
            }
            else if (entry.IsDirectory && !line.Has('d'))
            {
                directories.Add((operand, entry));
            }
            else
            {
                files.Add((operand, entry));
            }
        }

        var output = new StringBuilder();
        var now = c.Exec.TimeProvider.GetUtcNow();
        if (files.Count > 0)
        {
            AppendListing(output, files.Select(f => (f.Shown, f.Entry)).ToList(), line.Has('l'), now, total: false);
        }

        foreach (var (shown, entry) in directories)
        {
            if (output.Length > 0)
            {
                output.Append('\n');
            }

            if (operands.Count > 1)
            {
                output.Append(shown).Append(":\n");
            }

            var children = c.FileSystem.List(entry.Path)
                .Where(e => line.Has('a') || line.Has('A') || !e.Name.StartsWith('.'))
                .Select(e => (e.Name, e))
                .ToList();
            if (line.Has('a'))
            {
                var parent = c.FileSystem.Stat(ContainerPath.GetParent(entry.Path));
                children.InsertRange(0, [(".", entry), ("..", parent)]);
            }

            AppendListing(output, children, line.Has('l'), now, total: true);
        }

        await c.OutAsync(output.ToString()).ConfigureAwait(false);
        return status;
    }

    public static async Task<int> MkdirAsync(CommandContext c)
    {
        var line = CommandLine.Parse(c.Args, "pv", MkdirLongOptions);
        if (line.Invalid is not null)
        {
            return await c.FailAsync($"invalid option -- '{line.Invalid}'").ConfigureAwait(false);
        }

        if (line.Operands.Count == 0)
        {
            return await c.FailAsync("missing operand").ConfigureAwait(false);
        }

        var status = 0;
        foreach (var operand in line.Operands)
        {
            try
            {
                c.FileSystem.CreateDirectory(c.Resolve(operand), line.Has('p'));
            }
            catch (FileSystemException e)
            {
                status = await c.FailAsync($"cannot create directory '{operand}': {e.Reason}").ConfigureAwait(false);
            }
        }

        return status;
    }

    public static async Task<int> RmAsync(CommandContext c)
    {
        var line = CommandLine.Parse(c.Args, "rRfv", RmLongOptions);
        if (line.Invalid is not null)
        {
            return await c.FailAsync($"invalid option -- '{line.Invalid}'").ConfigureAwait(false);
        }

        var recursive = line.Has('r') || line.Has('R');
        var force = line.Has('f');
        if (line.Operands.Count == 0)
        {
            return force ? 0 : await c.FailAsync("missing operand").ConfigureAwait(false);
        }

        var status = 0;
        foreach (var operand in line.Operands)
        {
            var path = c.Resolve(operand);
            if (path == "/" && recursive)
            {
                await c.ErrLineAsync("rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe").ConfigureAwait(false);
                status = 1;
                continue;
            }

            var entry = c.FileSystem.TryStat(path);
            if (entry is null)
            {
                if (!force)
                {
                    status = await c.FailAsync($"cannot remove '{operand}': No such file or directory").ConfigureAwait(false);
                }

                continue;
            }

            if (entry.IsDirectory && !recursive)
            {
                status = await c.FailAsync($"cannot remove '{operand}': Is a directory").ConfigureAwait(false);
                continue;
            }

            try
            {
                c.FileSystem.Delete(path, recursive);
            }
            catch (FileSystemException e)
            {
                var shown = e.Path == path ? operand : e.Path;
                status = await c.FailAsync($"cannot remove '{shown}': {e.Reason}").ConfigureAwait(false);
            }
        }

        return status;
    }

    public static async Task<int> TouchAsync(CommandContext c)
    {
        var line = CommandLine.Parse(c.Args, "cm");
        if (line.Operands.Count == 0)
        {
            return await c.FailAsync("missing file operand").ConfigureAwait(false);
        }

        var status = 0;
        foreach (var operand in line.Operands)
        {
            var path = c.Resolve(operand);
            try
            {
                if (c.FileSystem.Exists(path))
                {
                    c.FileSystem.SetMetadata(path, mode: null, c.Exec.TimeProvider.GetUtcNow());
                }
                else if (!line.Has('c'))
                {
                    c.FileSystem.WriteFile(path, []);
                }
            }
            catch (FileSystemException e)
            {
                status = await c.FailAsync($"cannot touch '{operand}': {e.Reason}").ConfigureAwait(false);
            }
        }

        return status;
    }

    /// <summary>"drwxr-xr-x" / "-rw-r--r--" / "drwxrwxrwt".</summary>
    internal static string FormatMode(FileSystemEntry entry)
    {
        var mode = entry.Mode;
        var chars = new char[10];
        chars[0] = entry.IsDirectory ? 'd' : '-';
        const string Letters = "rwxrwxrwx";
        for (var i = 0; i < 9; i++)
        {
            chars[i + 1] = (mode & (1 << (8 - i))) != 0 ? Letters[i] : '-';
        }

        if ((mode & 0b1_000_000_000) != 0)
        {
            chars[9] = chars[9] == 'x' ? 't' : 'T';
        }

        return new string(chars);
    }

    private static void AppendListing(StringBuilder output, List<(string Shown, FileSystemEntry Entry)> entries, bool longFormat, DateTimeOffset now, bool total)
    {
        if (!longFormat)
        {
            foreach (var (shown, _) in entries)
            {
                output.Append(shown).Append('\n');
            }

            return;
        }

        if (total)
        {
            var blocks = entries.Sum(e => e.Entry.IsDirectory ? 4 : (e.Entry.Size + 4095) / 4096 * 4);
            output.Append("total ").Append(blocks.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        var sizeWidth = entries.Count == 0 ? 1 : entries.Max(e => e.Entry.Size.ToString(CultureInfo.InvariantCulture).Length);
        foreach (var (shown, entry) in entries)
        {
            var time = entry.ModifiedAt.ToUniversalTime();
            var when = Math.Abs((now - time).TotalDays) < 182
                ? time.ToString("MMM", CultureInfo.InvariantCulture) + " " + time.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2) + " " + time.ToString("HH:mm", CultureInfo.InvariantCulture)
                : time.ToString("MMM", CultureInfo.InvariantCulture) + " " + time.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2) + "  " + time.Year.ToString(CultureInfo.InvariantCulture);
            output.Append(FormatMode(entry))
                .Append(' ').Append(entry.IsDirectory ? '2' : '1')
                .Append(" root root ")
                .Append(entry.Size.ToString(CultureInfo.InvariantCulture).PadLeft(sizeWidth))
                .Append(' ').Append(when)
                .Append(' ').Append(shown)
                .Append('\n');
        }
    }
}

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Kosmos.KubeSim.Exec.Shell;
using Kosmos.KubeSim.FileSystem;

namespace Kosmos.KubeSim.Exec.Commands;

/// <summary>echo, head, tail, wc, sha256sum, grep.</summary>
internal static class TextCommands
{
    public static async Task<int> EchoAsync(CommandContext c)
    {
        var args = c.Args.ToList();
        var newline = true;
        var escapes = false;
        while (args.Count > 0 && args[0].Length > 1 && args[0][0] == '-' && args[0].AsSpan(1).IndexOfAnyExcept("neE") < 0)
        {
            newline &= !args[0].Contains('n');
            escapes = args[0].Contains('e') || (escapes && !args[0].Contains('E'));
            args.RemoveAt(0);
        }

        var text = string.Join(' ', args);
        if (escapes)
        {
            text = text.Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\t", "\t", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
        }

        await c.OutAsync(newline ? text + "\n" : text).ConfigureAwait(false);
        return 0;
    }

    public static async Task<int> HeadAsync(CommandContext c) => await HeadOrTailAsync(c, head: true).ConfigureAwait(false);

    public static async Task<int> TailAsync(CommandContext c) => await HeadOrTailAsync(c, head: false).ConfigureAwait(false);

    public static async Task<int> WcAsync(CommandContext c)
    {
        var line = CommandLine.Parse(c.Args, "lwc");
        var all = !line.Has('l') && !line.Has('w') && !line.Has('c');
        var status = 0;
        var output = new StringBuilder();
        await foreach (var (name, data) in ReadInputsAsync(c, line.Operands).ConfigureAwait(false))
        {
            if (data is null)
            {
                status = 1;
                continue;
            }

            var counts = new List<long>();
            if (all || line.Has('l'))
            {
                counts.Add(data.Count(b => b == '\n'));
            }

            if (all || line.Has('w'))
            {
                counts.Add(Encoding.UTF8.GetString(data).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length);
            }

            if (all || line.Has('c'))
            {
                counts.Add(data.Length);
            }

            var width = counts.Count == 1 ? 0 : 7;
            output.Append(string.Join(' ', counts.Select(n => n.ToString(CultureInfo.InvariantCulture).PadLeft(width))));
            output.Append(name == "-" ? "\n" : " " + name + "\n");
        }

        await c.OutAsync(output.ToString()).ConfigureAwait(false);
        return status;
    }

    /// <summary>coreutils sha256sum: <c>&lt;hex&gt;  &lt;name&gt;</c> per input (stdin is named <c>-</c>).</summary>
    public static async Task<int> Sha256SumAsync(CommandContext c)
    {
        var status = 0;
        var output = new StringBuilder();
        await foreach (var (name, data) in ReadInputsAsync(c, c.Args.ToList()).ConfigureAwait(false))
        {
            if (data is null)
            {
                status = 1;
                continue;
            }

            output.Append(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data))).Append("  ").Append(name).Append('\n');
        }

        await c.OutAsync(output.ToString()).ConfigureAwait(false);
        return status;
    }

    public static async Task<int> GrepAsync(CommandContext c)
    {
        var args = c.Args.ToList();
        var flags = new HashSet<char>();
        string? pattern = null;
        var files = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "-e" && i + 1 < args.Count)
            {
                pattern = args[++i];
            }
            else if (arg.Length > 1 && arg[0] == '-' && pattern is null && files.Count == 0)
            {
                foreach (var flag in arg.AsSpan(1))
                {
                    if (!"ivcqnEFlH".Contains(flag))
                    {
                        await c.ErrLineAsync($"grep: invalid option -- '{flag}'").ConfigureAwait(false);
                        return 2;
                    }

                    flags.Add(flag);
                }
            }
            else if (pattern is null)
            {
                pattern = arg;
            }
            else
            {
                files.Add(arg);
            }
        }

        if (pattern is null)
        {
            await c.ErrLineAsync("Usage: grep [OPTION]... PATTERNS [FILE]...").ConfigureAwait(false);
            return 2;
        }

        Regex regex;
        try
        {
            var source = flags.Contains('F') ? Regex.Escape(pattern) : pattern;
            regex = new Regex(source, (flags.Contains('i') ? RegexOptions.IgnoreCase : RegexOptions.None) | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            await c.ErrLineAsync($"grep: invalid regular expression '{pattern}'").ConfigureAwait(false);
            return 2;
        }

        var matched = false;
        var error = false;
        var output = new StringBuilder();
        var showNames = files.Count > 1 || flags.Contains('H');
        await foreach (var (name, data) in ReadInputsAsync(c, files).ConfigureAwait(false))
        {
            if (data is null)
            {
                error = true;
                continue;
            }

            var lines = SplitLines(Encoding.UTF8.GetString(data));
            var count = 0;
            for (var i = 0; i < lines.Count; i++)
            {
                if (regex.IsMatch(lines[i]) == flags.Contains('v'))
                {
                    continue;
                }

                count++;
                matched = true;
                if (flags.Contains('q'))
                {
                    return 0;
                }

                if (!flags.Contains('c') && !flags.Contains('l'))
                {
                    var prefix = (showNames ? (name == "-" ? "(standard input)" : name) + ":" : string.Empty) +
                        (flags.Contains('n') ? (i + 1).ToString(CultureInfo.InvariantCulture) + ":" : string.Empty);
                    output.Append(prefix).Append(lines[i]).Append('\n');
                }
            }

            if (flags.Contains('c'))
            {
                output.Append(showNames ? name + ":" : string.Empty).Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
            else if (flags.Contains('l') && count > 0)
            {
                output.Append(name == "-" ? "(standard input)" : name).Append('\n');
            }
        }

        await c.OutAsync(output.ToString()).ConfigureAwait(false);
        return error ? 2 : matched ? 0 : 1;
    }

    /// <summary>Each operand's bytes ("-" or no operand: stdin); null data after printing the error for an unreadable file.</summary>
    internal static async IAsyncEnumerable<(string Name, byte[]? Data)> ReadInputsAsync(CommandContext c, IReadOnlyList<string> operands)
    {
        IReadOnlyList<string> inputs = operands.Count == 0 ? ["-"] : operands;
        foreach (var operand in inputs)
        {
            if (operand == "-")
            {
                yield return (operand, await c.Stdin.ReadToEndAsync(c.CancellationToken).ConfigureAwait(false));
                continue;
            }

            byte[]? data = null;
            string? failure = null;
            try
            {
                data = c.FileSystem.ReadFileShared(c.Resolve(operand));
            }
            catch (FileSystemException e)
            {
                failure = e.Reason;
            }

            if (failure is not null)
            {
                await c.ErrLineAsync($"{c.Name}: {operand}: {failure}").ConfigureAwait(false);
            }

            yield return (operand, data);
        }
    }

    private static List<string> SplitLines(string text)
    {
        var lines = text.Split('\n').ToList();
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }

    private static async Task<int> HeadOrTailAsync(CommandContext c, bool head)
    {
        // Forms: -n N, -nN, -N, -c N, -cN, and for tail "+N" (from the Nth line/byte: what kubectl cp's resume uses).
        var args = c.Args.ToList();
        var bytes = false;
        string? amount = null;
        var files = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-n" or "-c" && i + 1 < args.Count)
            {
                bytes = arg == "-c";
                amount = args[++i];
            }
            else if (arg.Length > 2 && arg[0] == '-' && arg[1] is 'n' or 'c')
            {
                bytes = arg[1] == 'c';
                amount = arg[2..];
            }
            else if (arg.Length > 1 && arg[0] == '-' && char.IsAsciiDigit(arg[1]))
            {
                amount = arg[1..];
            }
            else if (arg.Length > 1 && arg[0] == '-')
            {
                return await c.FailAsync($"invalid option -- '{arg[1]}'").ConfigureAwait(false);
            }
            else
            {
                files.Add(arg);
            }
        }

        amount ??= "10";
        var fromStart = amount.StartsWith('+');
        if (!long.TryParse(amount.TrimStart('+', '-'), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return await c.FailAsync($"invalid number of {(bytes ? "bytes" : "lines")}: '{amount}'").ConfigureAwait(false);
        }

        var status = 0;
        await foreach (var (_, data) in ReadInputsAsync(c, files).ConfigureAwait(false))
        {
            if (data is null)
            {
                status = 1;
                continue;
            }

            ReadOnlyMemory<byte> selected;
            if (bytes)
            {
                var count = (int)Math.Min(n, data.Length);
                selected = head ? data.AsMemory(0, count)
                    : fromStart ? data.AsMemory((int)Math.Min(Math.Max(n - 1, 0), data.Length))
                    : data.AsMemory(data.Length - count);
            }
            else
            {
                var starts = new List<int> { 0 };
                for (var i = 0; i < data.Length; i++)
                {
                    if (data[i] == '\n' && i + 1 < data.Length)
                    {
                        starts.Add(i + 1);
                    }
                }

                var lineCount = data.Length == 0 ? 0 : starts.Count;
                int from, to;
                if (head)
                {
                    (from, to) = (0, n >= lineCount ? data.Length : starts[(int)n]);
                }
                else if (fromStart)
                {
                    var first = (int)Math.Max(n - 1, 0);
                    (from, to) = (first >= lineCount ? data.Length : starts[first], data.Length);
                }
                else
                {
                    (from, to) = (n == 0 ? data.Length : n >= lineCount ? 0 : starts[lineCount - (int)n], data.Length);
                }

                selected = data.AsMemory(from, to - from);
            }

            await c.Stdout.WriteAsync(selected, c.CancellationToken).ConfigureAwait(false);
        }

        return status;
    }
}

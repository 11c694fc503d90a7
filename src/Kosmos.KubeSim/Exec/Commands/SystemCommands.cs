using System.Globalization;
using System.Text;
using Kosmos.KubeSim.Exec.Io;
using Kosmos.KubeSim.Exec.Shell;

namespace Kosmos.KubeSim.Exec.Commands;

/// <summary>env, hostname, sleep, pwd, ps, whoami, id, uname, date.</summary>
internal static class SystemCommands
{
    public static async Task<int> EnvAsync(CommandContext c)
    {
        var args = c.Args.ToList();
        var environment = new Dictionary<string, string>(c.Environment, StringComparer.Ordinal);
        if (args.Count > 0 && args[0] is "-i" or "--ignore-environment")
        {
            environment.Clear();
            args.RemoveAt(0);
        }

        while (args.Count > 0 && args[0].IndexOf('=', StringComparison.Ordinal) > 0)
        {
            var equals = args[0].IndexOf('=', StringComparison.Ordinal);
            environment[args[0][..equals]] = args[0][(equals + 1)..];
            args.RemoveAt(0);
        }

        if (args.Count == 0)
        {
            var text = new StringBuilder();
            foreach (var (name, value) in environment.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                text.Append(name).Append('=').Append(value).Append('\n');
            }

            await c.OutAsync(text.ToString()).ConfigureAwait(false);
            return 0;
        }

        return await ShellInterpreter.InvokeAsync(c.Session, args, environment, c.Stdin, c.Stdout, c.Stderr, c.CancellationToken).ConfigureAwait(false);
    }

    public static async Task<int> HostnameAsync(CommandContext c)
    {
        await c.OutLineAsync(c.Args.Count > 0 && c.Args[0] is "-i" or "-I" ? "10.244.0.2" : c.FileSystem.Hostname).ConfigureAwait(false);
        return 0;
    }

    public static async Task<int> SleepAsync(CommandContext c)
    {
        if (c.Args.Count == 0)
        {
            return await c.FailAsync("missing operand").ConfigureAwait(false);
        }

        var total = TimeSpan.Zero;
        foreach (var arg in c.Args)
        {
            if (arg == "infinity")
            {
                total = Timeout.InfiniteTimeSpan;
                break;
            }

            var unit = arg.Length > 0 && char.IsAsciiLetter(arg[^1]) ? arg[^1] : 's';
            var number = char.IsAsciiLetter(arg.Length > 0 ? arg[^1] : ' ') ? arg[..^1] : arg;
            var multiplier = unit switch { 's' => 1, 'm' => 60, 'h' => 3600, 'd' => 86400, _ => -1 };
            if (multiplier < 0 || !double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                return await c.FailAsync($"invalid time interval '{arg}'").ConfigureAwait(false);
            }

            total += TimeSpan.FromSeconds(value * multiplier);
        }

        await Task.Delay(total, c.Exec.TimeProvider, c.CancellationToken).ConfigureAwait(false);
        return 0;
    }

    public static async Task<int> PwdAsync(CommandContext c)
    {
        await c.OutLineAsync(c.Session.WorkingDirectory).ConfigureAwait(false);
        return 0;
    }

    public static async Task<int> PsAsync(CommandContext c)
    {
        // One format for every flavour (ps, ps aux, ps -ef): enough to see that the agent is PID 1.
        var text = new StringBuilder();
        text.Append("UID          PID    PPID  C STIME TTY          TIME CMD\n");
        text.Append(Row(1, 0, "?", "00:00:01", c.Exec.MainProcessCommandLine));
        if (c.Session.ProcessId != 0)
        {
            text.Append(Row(c.Session.ProcessId, 0, c.Session.IsTty ? "pts/0" : "?", "00:00:00", "ps" + (c.Args.Count > 0 ? " " + string.Join(' ', c.Args) : string.Empty)));
        }

        await c.OutAsync(text.ToString()).ConfigureAwait(false);
        return 0;

        static string Row(int pid, int parent, string tty, string time, string command) =>
            string.Create(CultureInfo.InvariantCulture, $"root {pid,11} {parent,7}  0 00:00 {tty,-8} {time} {command}\n");
    }

    public static async Task<int> WhoamiAsync(CommandContext c)
    {
        await c.OutLineAsync("root").ConfigureAwait(false);
        return 0;
    }

    public static async Task<int> IdAsync(CommandContext c)
    {
        await c.OutLineAsync("uid=0(root) gid=0(root) groups=0(root)").ConfigureAwait(false);
        return 0;
    }

    public static async Task<int> UnameAsync(CommandContext c)
    {
        var line = CommandLine.Parse(c.Args, "asnrvmo");
        string[] all = ["Linux", c.FileSystem.Hostname, "6.1.0-kosmos", "#1 SMP", "x86_64", "GNU/Linux"];
        var parts = new List<string>();
        if (line.Has('a'))
        {
            parts.AddRange(all);
        }
        else
        {
            var letters = "snrvmo";
            for (var i = 0; i < letters.Length; i++)
            {
                if (line.Has(letters[i]))
                {
                    parts.Add(all[i]);
                }
            }

            if (parts.Count == 0)
            {
                parts.Add("Linux");
            }
        }

        await c.OutLineAsync(string.Join(' ', parts)).ConfigureAwait(false);
        return 0;
    }

    public static async Task<int> DateAsync(CommandContext c)
    {
        var now = c.Exec.TimeProvider.GetUtcNow();
        var format = c.Args.FirstOrDefault(a => a.StartsWith('+'));
        string text;
        if (format is not null)
        {
            text = FormatDate(now, format[1..]);
        }
        else if (c.Args.Any(a => a.StartsWith("-I", StringComparison.Ordinal) || a.StartsWith("--iso-8601", StringComparison.Ordinal)))
        {
            text = now.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);
        }
        else
        {
            text = FormatDate(now, "%a %b %e %H:%M:%S %Z %Y");
        }

        await c.OutLineAsync(text).ConfigureAwait(false);
        return 0;
    }

    private static string FormatDate(DateTimeOffset now, string format)
    {
        var text = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 == format.Length)
            {
                text.Append(format[i]);
                continue;
            }

            var specifier = format[++i];
            text.Append(specifier switch
            {
                'Y' => now.ToString("yyyy", CultureInfo.InvariantCulture),
                'm' => now.ToString("MM", CultureInfo.InvariantCulture),
                'd' => now.ToString("dd", CultureInfo.InvariantCulture),
                'e' => now.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2),
                'H' => now.ToString("HH", CultureInfo.InvariantCulture),
                'M' => now.ToString("mm", CultureInfo.InvariantCulture),
                'S' => now.ToString("ss", CultureInfo.InvariantCulture),
                's' => now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                'a' => now.ToString("ddd", CultureInfo.InvariantCulture),
                'b' => now.ToString("MMM", CultureInfo.InvariantCulture),
                'F' => now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                'T' => now.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
                'Z' => "UTC",
                'z' => "+0000",
                '%' => "%",
                _ => "%" + specifier,
            });
        }

        return text.ToString();
    }
}

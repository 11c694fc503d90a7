using System.Buffers;
using System.Globalization;
using System.Text;
using Kosmos.KubeSim.Exec.Shell;
using Kosmos.KubeSim.FileSystem;

namespace Kosmos.KubeSim.Exec.Commands;

/// <summary>sh/bash, and the builtins that change the shell's own state: cd, exit, export, unset.</summary>
internal static class ShellBuiltins
{
    // The option letters sh accepts in a -xyz or +xyz word.
    private static readonly SearchValues<char> ShellFlags = SearchValues.Create("cilsexvu");

    /// <summary>
    /// <c>sh -c "LINE"</c> runs one command line; <c>sh FILE</c> runs a script from the container; plain <c>sh</c>
    /// reads commands from stdin (prompting on a terminal) until end of input or <c>exit</c>.
    /// </summary>
    public static async Task<int> ShAsync(CommandContext c)
    {
        string? script = null;
        string? scriptFile = null;
        var args = c.Args;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                scriptFile = i + 1 < args.Count ? args[i + 1] : null;
                break;
            }

            if (arg.Length > 1 && arg[0] is '-' or '+' && arg.AsSpan(1).IndexOfAnyExcept(ShellFlags) < 0)
            {
                if (arg.Contains('c') && arg[0] == '-')
                {
                    if (i + 1 >= args.Count)
                    {
                        return await c.FailAsync("-c: option requires an argument", 2).ConfigureAwait(false);
                    }

                    script = args[i + 1];
                    break;
                }

                continue; // -i, -l, -e, -x ...: accepted, no effect here
            }

            if (arg.StartsWith('-') && arg.Length > 1)
            {
                return await c.FailAsync($"Illegal option {arg}", 2).ConfigureAwait(false);
            }

            scriptFile = arg;
            break;
        }

        var session = c.Session.CreateChild();
        foreach (var (name, value) in c.Environment)
        {
            session.Variables[name] = value;
        }

        if (script is null && scriptFile is not null)
        {
            try
            {
                script = c.FileSystem.ReadAllText(c.Resolve(scriptFile));
            }
            catch (FileSystemException)
            {
                return await c.FailAsync($"0: cannot open {scriptFile}: No such file", 2).ConfigureAwait(false);
            }
        }

        return script is not null
            ? await ShellInterpreter.RunScriptAsync(session, script, c.Stdin, c.Stdout, c.Stderr, c.CancellationToken).ConfigureAwait(false)
            : await ShellInterpreter.RunInteractiveAsync(session, c.Stdin, c.Stdout, c.Stderr, c.CancellationToken).ConfigureAwait(false);
    }

    public static async Task<int> CdAsync(CommandContext c)
    {
        var target = c.Args.Count == 0 ? c.Environment.GetValueOrDefault("HOME", "/") : c.Args[0];
        var path = c.Resolve(target);
        if (!c.FileSystem.DirectoryExists(path))
        {
            await c.ErrLineAsync($"sh: cd: can't cd to {target}").ConfigureAwait(false);
            return 2;
        }

        c.Session.WorkingDirectory = path;
        c.Session.Variables["PWD"] = path;
        return 0;
    }

    public static async Task<int> ExitAsync(CommandContext c)
    {
        var code = c.Session.LastExitCode;
        if (c.Args.Count > 0 && !int.TryParse(c.Args[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out code))
        {
            await c.ErrLineAsync($"sh: exit: Illegal number: {c.Args[0]}").ConfigureAwait(false);
            code = 2;
        }

        c.Session.ExitRequested = code & 0xFF;
        return code & 0xFF;
    }

    public static async Task<int> ExportAsync(CommandContext c)
    {
        if (c.Args.Count == 0 || c.Args[0] == "-p")
        {
            var text = new StringBuilder();
            foreach (var (name, value) in c.Session.Variables.OrderBy(v => v.Key, StringComparer.Ordinal))
            {
                text.Append("export ").Append(name).Append("='").Append(value.Replace("'", "'\\''", StringComparison.Ordinal)).Append("'\n");
            }

            await c.OutAsync(text.ToString()).ConfigureAwait(false);
            return 0;
        }

        foreach (var arg in c.Args)
        {
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                c.Session.Variables[arg[..equals]] = arg[(equals + 1)..];
            }
            else if (!c.Session.Variables.ContainsKey(arg))
            {
                c.Session.Variables[arg] = string.Empty;
            }
        }

        return 0;
    }

    public static Task<int> UnsetAsync(CommandContext c)
    {
        foreach (var name in c.Args)
        {
            c.Session.Variables.Remove(name);
        }

        return Task.FromResult(0);
    }
}

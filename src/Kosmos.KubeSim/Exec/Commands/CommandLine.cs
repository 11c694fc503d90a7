namespace Kosmos.KubeSim.Exec.Commands;

/// <summary>getopt-style parsing of single-letter flags ("-la" = "-l -a"), "--long" aliases and "--".</summary>
internal sealed class CommandLine
{
    private CommandLine(HashSet<char> flags, List<string> operands, string? invalid)
    {
        Flags = flags;
        Operands = operands;
        Invalid = invalid;
    }

    public HashSet<char> Flags { get; }

    public List<string> Operands { get; }

    /// <summary>The first unknown option, as getopt would name it (a letter, or a whole "--long" option).</summary>
    public string? Invalid { get; }

    public bool Has(char flag) => Flags.Contains(flag);

    public static CommandLine Parse(IReadOnlyList<string> args, string allowed, IReadOnlyDictionary<string, char>? longOptions = null)
    {
        var flags = new HashSet<char>();
        var operands = new List<string>();
        string? invalid = null;
        var optionsEnded = false;
        foreach (var arg in args)
        {
            if (optionsEnded || arg == "-" || !arg.StartsWith('-'))
            {
                operands.Add(arg);
                continue;
            }

            if (arg == "--")
            {
                optionsEnded = true;
                continue;
            }

            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (longOptions is not null && longOptions.TryGetValue(arg, out var letter))
                {
                    flags.Add(letter);
                }
                else
                {
                    invalid ??= arg;
                }

                continue;
            }

            foreach (var c in arg.AsSpan(1))
            {
                if (allowed.Contains(c))
                {
                    flags.Add(c);
                }
                else
                {
                    invalid ??= c.ToString();
                }
            }
        }

        return new CommandLine(flags, operands, invalid);
    }
}

using System.Globalization;
using Kosmos.KubeSim.Exec.Shell;

namespace Kosmos.KubeSim.Exec.Commands;

/// <summary><c>test EXPR</c> / <c>[ EXPR ]</c>: 0 true, 1 false, 2 usage error. One primary, optionally negated.</summary>
internal static class TestCommand
{
    public static async Task<int> RunAsync(CommandContext c)
    {
        var args = c.Args.ToList();
        if (c.Name == "[")
        {
            if (args.Count == 0 || args[^1] != "]")
            {
                return await c.FailAsync("missing ]", 2).ConfigureAwait(false);
            }

            args.RemoveAt(args.Count - 1);
        }

        var negate = false;
        while (args.Count > 0 && args[0] == "!" && args.Count != 1)
        {
            negate = !negate;
            args.RemoveAt(0);
        }

        bool result;
        switch (args.Count)
        {
            case 0:
                result = false;
                break;
            case 1:
                result = args[0].Length > 0;
                break;
            case 2:
                var path = c.Resolve(args[1]);
                var entry = c.FileSystem.TryStat(path);
                switch (args[0])
                {
                    case "-d":
                        result = entry?.IsDirectory == true;
                        break;
                    case "-f":
                        result = entry?.IsFile == true;
                        break;
                    case "-e" or "-r" or "-w" or "-x":
                        result = entry is not null;
                        break;
                    case "-s":
                        result = entry is { IsFile: true, Size: > 0 } || entry?.IsDirectory == true;
                        break;
                    case "-n":
                        result = args[1].Length > 0;
                        break;
                    case "-z":
                        result = args[1].Length == 0;
                        break;
                    default:
                        return await c.FailAsync($"{args[0]}: unexpected operator", 2).ConfigureAwait(false);
                }

                break;
            case 3:
                switch (args[1])
                {
                    case "=" or "==":
                        result = args[0] == args[2];
                        break;
                    case "!=":
                        result = args[0] != args[2];
                        break;
                    case "-eq" or "-ne" or "-lt" or "-le" or "-gt" or "-ge":
                        if (!long.TryParse(args[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var left) ||
                            !long.TryParse(args[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var right))
                        {
                            return await c.FailAsync("Illegal number", 2).ConfigureAwait(false);
                        }

                        result = args[1] switch
                        {
                            "-eq" => left == right,
                            "-ne" => left != right,
                            "-lt" => left < right,
                            "-le" => left <= right,
                            "-gt" => left > right,
                            _ => left >= right,
                        };
                        break;
                    default:
                        return await c.FailAsync($"{args[1]}: unexpected operator", 2).ConfigureAwait(false);
                }

                break;
            default:
                return await c.FailAsync("too many arguments", 2).ConfigureAwait(false);
        }

        return result != negate ? 0 : 1;
    }
}

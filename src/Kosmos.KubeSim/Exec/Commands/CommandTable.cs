using System.Diagnostics.CodeAnalysis;
using Kosmos.KubeSim.Exec.Shell;
using Kosmos.KubeSim.FileSystem;

namespace Kosmos.KubeSim.Exec.Commands;

/// <summary>The simulated image's executables and shell builtins, by name.</summary>
internal static class CommandTable
{
    private static readonly string[] BinaryDirectories = ["/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin"];

    private static readonly Dictionary<string, CommandHandler> Handlers = new(StringComparer.Ordinal)
    {
        ["cat"] = FileCommands.CatAsync,
        ["ls"] = FileCommands.LsAsync,
        ["mkdir"] = FileCommands.MkdirAsync,
        ["rm"] = FileCommands.RmAsync,
        ["touch"] = FileCommands.TouchAsync,
        ["test"] = TestCommand.RunAsync,
        ["["] = TestCommand.RunAsync,
        ["echo"] = TextCommands.EchoAsync,
        ["head"] = TextCommands.HeadAsync,
        ["tail"] = TextCommands.TailAsync,
        ["wc"] = TextCommands.WcAsync,
        ["sha256sum"] = TextCommands.Sha256SumAsync,
        ["grep"] = TextCommands.GrepAsync,
        ["env"] = SystemCommands.EnvAsync,
        ["hostname"] = SystemCommands.HostnameAsync,
        ["true"] = _ => Task.FromResult(0),
        ["false"] = _ => Task.FromResult(1),
        [":"] = _ => Task.FromResult(0),
        ["sleep"] = SystemCommands.SleepAsync,
        ["pwd"] = SystemCommands.PwdAsync,
        ["ps"] = SystemCommands.PsAsync,
        ["whoami"] = SystemCommands.WhoamiAsync,
        ["id"] = SystemCommands.IdAsync,
        ["uname"] = SystemCommands.UnameAsync,
        ["date"] = SystemCommands.DateAsync,
        ["cd"] = ShellBuiltins.CdAsync,
        ["exit"] = ShellBuiltins.ExitAsync,
        ["export"] = ShellBuiltins.ExportAsync,
        ["unset"] = ShellBuiltins.UnsetAsync,
        ["sh"] = ShellBuiltins.ShAsync,
        ["bash"] = ShellBuiltins.ShAsync,
        ["dash"] = ShellBuiltins.ShAsync,
        ["tar"] = TarCommand.RunAsync,
        ["python"] = PythonCommand.RunAsync,
        ["python3"] = PythonCommand.RunAsync,
    };

    public static IReadOnlyCollection<string> Names => Handlers.Keys;

    /// <summary>True for sh, bash and dash (by name or path).</summary>
    public static bool IsShell(string name) => TryGet(name, out var handler) && handler == ShellBuiltins.ShAsync;

    /// <summary>Finds a command by bare name, or by a path in one of the image's bin directories ("/bin/sh").</summary>
    public static bool TryGet(string name, [NotNullWhen(true)] out CommandHandler? handler)
    {
        handler = null;
        if (name.Contains('/'))
        {
            var normalized = ContainerPath.Normalize(name);
            if (!BinaryDirectories.Contains(ContainerPath.GetParent(normalized)))
            {
                return false;
            }

            name = ContainerPath.GetFileName(normalized);
        }

        return Handlers.TryGetValue(name, out handler);
    }
}

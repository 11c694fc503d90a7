using Kosmos.KubeSim.Exec.Shell;
using Kosmos.KubeSim.FileSystem;

namespace Kosmos.KubeSim.Exec.Commands;

/// <summary>
/// The image's python: only <c>-m MODULE</c> for the KOSMOS tool modules, plus <c>--version</c>. Anything else
/// fails the way python would (unknown module: exit 1 "No module named ...").
/// </summary>
internal static class PythonCommand
{
    private const string Version = "Python 3.12.8";

    public static async Task<int> RunAsync(CommandContext c)
    {
        var args = c.Args;
        var i = 0;
        while (i < args.Count && args[i] is "-u" or "-B" or "-E" or "-s" or "-I")
        {
            i++;
        }

        if (i >= args.Count)
        {
            return await c.FailAsync("no interactive interpreter in this container (stdin is not a Python REPL); use -m MODULE").ConfigureAwait(false);
        }

        switch (args[i])
        {
            case "-V" or "--version":
                await c.OutLineAsync(Version).ConfigureAwait(false);
                return 0;
            case "-c":
                await c.ErrLineAsync($"{c.Argv[0]}: -c is not supported by the simulated interpreter").ConfigureAwait(false);
                return 2;
            case "-m" when i + 1 < args.Count:
                var module = args[i + 1];
                IReadOnlyList<string> moduleArgs = [.. args.Skip(i + 2)];
                return module switch
                {
                    "kosmos.tools.export_state" => await ConversationStateTool.ExportAsync(c, moduleArgs).ConfigureAwait(false),
                    "kosmos.tools.import_state" => await ConversationStateTool.ImportAsync(c, moduleArgs).ConfigureAwait(false),
                    _ => await NoModuleAsync(c, module).ConfigureAwait(false),
                };
            case "-m":
                await c.ErrLineAsync("Argument expected for the -m option").ConfigureAwait(false);
                return 2;
            default:
                var script = args[i];
                var exists = c.FileSystem.Exists(c.Resolve(script));
                await c.ErrLineAsync(exists
                    ? $"{c.Argv[0]}: running scripts is not supported by the simulated interpreter: '{script}'"
                    : $"{c.Argv[0]}: can't open file '{c.Resolve(script)}': [Errno 2] No such file or directory").ConfigureAwait(false);
                return 2;
        }
    }

    private static async Task<int> NoModuleAsync(CommandContext c, string module)
    {
        var interpreter = "/usr/local/bin/" + ContainerPath.GetFileName(c.Argv[0]);
        await c.ErrLineAsync($"{interpreter}: No module named {module}").ConfigureAwait(false);
        return 1;
    }
}

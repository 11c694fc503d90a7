using System.Text;
using Kosmos.KubeSim.Exec;
using Kosmos.KubeSim.FileSystem;
using Kosmos.TestSupport;
using Microsoft.Extensions.Time.Testing;
using static Kosmos.KubeSim.Tests.Exec.ExecTestSupport;

namespace Kosmos.KubeSim.Tests.Exec;

public sealed class ExecCommandRunnerTests
{
    [Fact]
    public async Task Cat_Hostname_PrintsPodName()
    {
        var result = await RunAsync(CreateContext(), "cat", "/etc/hostname");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(PodName + "\n", result.Stdout);
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public async Task Cat_MissingFile_PrintsEnoentAndExits1()
    {
        var result = await RunAsync(CreateContext(), "cat", "/etc/hostname", "/x");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(PodName + "\n", result.Stdout);
        Assert.Equal("cat: /x: No such file or directory\n", result.Stderr);
    }

    [Fact]
    public async Task Cat_Directory_SaysIsADirectory()
    {
        var result = await RunAsync(CreateContext(), "cat", "/tmp");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("cat: /tmp: Is a directory\n", result.Stderr);
    }

    [Fact]
    public async Task Cat_NoArguments_CopiesStdin()
    {
        var result = await RunAsync(CreateContext(), ["cat"], "piped\nlines\n"u8.ToArray());

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("piped\nlines\n", result.Stdout);
    }

    [Fact]
    public async Task Ls_Directory_ListsNamesSorted()
    {
        var context = CreateContext(StateVolume("b", "a"));

        var result = await RunAsync(context, "ls", "/var/lib/kosmos/conversations");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("a.json\nb.json\n", result.Stdout);
    }

    [Fact]
    public async Task Ls_LongAll_ShowsModesSizesAndDotEntries()
    {
        var context = CreateContext();
        context.FileSystem.WriteAllText("/tmp/state.json", "{}\n");

        var result = await RunAsync(context, "ls", "-la", "/tmp");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("total ", lines[0]);
        Assert.StartsWith("drwxrwxrwt ", lines[1]);
        Assert.EndsWith(" .", lines[1]);
        Assert.EndsWith(" ..", lines[2]);
        Assert.Matches(@"^-rw-r--r-- 1 root root +3 Dec 13 09:30 state\.json$", lines[3]);
    }

    [Fact]
    public async Task Ls_Missing_Exits2LikeCoreutils()
    {
        var result = await RunAsync(CreateContext(), "ls", "/nope");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("ls: cannot access '/nope': No such file or directory\n", result.Stderr);
    }

    [Theory]
    [InlineData(new[] { "echo", "hello", "world" }, "hello world\n")]
    [InlineData(new[] { "echo", "-n", "no newline" }, "no newline")]
    [InlineData(new[] { "echo" }, "\n")]
    [InlineData(new[] { "echo", "-e", "a\\tb" }, "a\tb\n")]
    public async Task Echo_PrintsArguments(string[] argv, string expected)
    {
        var result = await RunAsync(CreateContext(), argv);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(expected, result.Stdout);
    }

    [Theory]
    [InlineData("-d", "/tmp", 0)]
    [InlineData("-d", "/etc/hostname", 1)]
    [InlineData("-f", "/etc/hostname", 0)]
    [InlineData("-f", "/tmp", 1)]
    [InlineData("-e", "/app", 0)]
    [InlineData("-e", "/nope", 1)]
    [InlineData("-d", "/var/lib/kosmos", 0)]
    public async Task Test_FileOperators_ReturnStatus(string op, string path, int expected)
    {
        var result = await RunAsync(CreateContext(new VolumeData()), "test", op, path);

        Assert.Equal(expected, result.ExitCode);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task Test_BracketForm_NeedsClosingBracket()
    {
        var context = CreateContext();

        Assert.Equal(0, (await RunAsync(context, "[", "-d", "/tmp", "]")).ExitCode);
        var missing = await RunAsync(context, "[", "-d", "/tmp");
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal("[: missing ]\n", missing.Stderr);
    }

    [Fact]
    public async Task Mkdir_Parents_CreatesChainAndIsIdempotent()
    {
        var context = CreateContext();

        Assert.Equal(0, (await RunAsync(context, "mkdir", "-p", "/tmp/a/b/c")).ExitCode);
        Assert.Equal(0, (await RunAsync(context, "mkdir", "-p", "/tmp/a/b/c")).ExitCode);

        Assert.True(context.FileSystem.DirectoryExists("/tmp/a/b/c"));
    }

    [Fact]
    public async Task Mkdir_WithoutParents_FailsOnMissingParentAndExisting()
    {
        var context = CreateContext();

        var missing = await RunAsync(context, "mkdir", "/tmp/x/y");
        var existing = await RunAsync(context, "mkdir", "/tmp");

        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("mkdir: cannot create directory '/tmp/x/y': No such file or directory\n", missing.Stderr);
        Assert.Equal(1, existing.ExitCode);
        Assert.Equal("mkdir: cannot create directory '/tmp': File exists\n", existing.Stderr);
    }

    [Fact]
    public async Task Rm_RecursiveForce_RemovesTree()
    {
        var context = CreateContext();
        context.FileSystem.CreateDirectory("/tmp/work/sub", createParents: true);
        context.FileSystem.WriteAllText("/tmp/work/sub/f", "x");

        var result = await RunAsync(context, "rm", "-rf", "/tmp/work");

        Assert.Equal(0, result.ExitCode);
        Assert.False(context.FileSystem.Exists("/tmp/work"));
    }

    [Fact]
    public async Task Rm_ErrorsMatchCoreutils()
    {
        var context = CreateContext();

        var missing = await RunAsync(context, "rm", "/tmp/none");
        var forced = await RunAsync(context, "rm", "-f", "/tmp/none");
        var directory = await RunAsync(context, "rm", "/tmp");

        Assert.Equal((1, "rm: cannot remove '/tmp/none': No such file or directory\n"), (missing.ExitCode, missing.Stderr));
        Assert.Equal((0, string.Empty), (forced.ExitCode, forced.Stderr));
        Assert.Equal((1, "rm: cannot remove '/tmp': Is a directory\n"), (directory.ExitCode, directory.Stderr));
    }

    [Fact]
    public async Task Rm_MountPoint_EmptiesVolumeButCannotRemoveIt()
    {
        var state = StateVolume("a", "b");
        var context = CreateContext(state);

        var result = await RunAsync(context, "rm", "-rf", "/var/lib/kosmos");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("rm: cannot remove '/var/lib/kosmos': Device or resource busy\n", result.Stderr);
        Assert.Empty(state.EnumerateFiles());
        Assert.True(context.FileSystem.DirectoryExists("/var/lib/kosmos"));
    }

    [Fact]
    public async Task Env_ShowsContainerEnvironmentAndDefaults()
    {
        var result = await RunAsync(CreateContext(), "env");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("KOSMOS_LOG_LEVEL=info", lines);
        Assert.Contains($"HOSTNAME={PodName}", lines);
        Assert.Contains(lines, l => l.StartsWith("PATH=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SimpleCommands_HaveShellExitCodesAndOutput()
    {
        var context = CreateContext();

        Assert.Equal((0, PodName + "\n"), await Run("hostname"));
        Assert.Equal((0, string.Empty), await Run("true"));
        Assert.Equal((1, string.Empty), await Run("false"));
        Assert.Equal((0, "/\n"), await Run("pwd"));
        Assert.Equal((0, "root\n"), await Run("whoami"));
        Assert.Equal((0, "1765618200\n"), await Run("date", "+%s"));
        var sleeping = Run("sleep", "0.01");
        Assert.Equal((0, string.Empty), await SimulatedTime.While((FakeTimeProvider)context.TimeProvider, TimeSpan.FromMilliseconds(5), sleeping, "sleep 0.01"));

        async Task<(int, string)> Run(params string[] argv)
        {
            var result = await RunAsync(context, argv);
            return (result.ExitCode, result.Stdout);
        }
    }

    [Fact]
    public async Task Ps_ShowsAgentAsPid1()
    {
        var result = await RunAsync(CreateContext(), "ps", "aux");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("UID", lines[0]);
        Assert.Matches(@"^root\s+1\s+0\s.*python -m kosmos\.agent$", lines[1]);
        Assert.Contains(lines, l => l.EndsWith(" ps aux", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sleep_Cancelled_StopsPromptly()
    {
        using var cancel = new CancellationTokenSource();
        var run = ExecCommandRunner.Default.RunAsync(CreateContext(), ["sleep", "600"], new ExecIo(Stream.Null, Stream.Null, Stream.Null), cancel.Token);
        Assert.False(run.IsCompleted);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TestTimeout));
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("/usr/bin/nope")]
    [InlineData("/opt/tools/cat")]
    public async Task UnknownCommand_Exits127AsShellWould(string command)
    {
        var result = await RunAsync(CreateContext(), command, "arg");

        Assert.Equal(ExecCommandRunner.CommandNotFoundExitCode, result.ExitCode);
        Assert.Equal($"sh: {command}: not found\n", result.Stderr);
    }

    [Fact]
    public async Task CommandsByPath_ResolveInBinDirectories()
    {
        var result = await RunAsync(CreateContext(), "/bin/cat", "/etc/hostname");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(PodName + "\n", result.Stdout);
    }

    [Fact]
    public async Task Tty_TranslatesNewlinesForTheTerminal()
    {
        var result = await RunAsync(CreateContext(), ["echo", "a"], [], tty: true);

        Assert.Equal("a\r\n", Encoding.UTF8.GetString(result.StdoutBytes));
    }

    [Fact]
    public async Task Commands_ListsTheImageTools()
    {
        Assert.Superset(
            new HashSet<string> { "cat", "ls", "echo", "test", "mkdir", "rm", "env", "hostname", "true", "false", "sleep", "pwd", "ps", "tar", "python", "python3", "sh", "bash" },
            ExecCommandRunner.Default.Commands.ToHashSet());
    }
}

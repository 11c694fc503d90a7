using System.IO.Pipelines;
using System.Text;
using Kosmos.KubeSim.Exec;
using static Kosmos.KubeSim.Tests.Exec.ExecTestSupport;

namespace Kosmos.KubeSim.Tests.Exec;

public sealed class ShellTests
{
    [Fact]
    public async Task ShC_SequencesAndConditionals_FollowExitStatus()
    {
        var result = await ShAsync(CreateContext(), "echo one; false && echo skipped; false || echo two; true && echo three");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("one\ntwo\nthree\n", result.Stdout);
    }

    [Fact]
    public async Task ShC_ExitStatusIsLastCommands()
    {
        Assert.Equal(1, (await ShAsync(CreateContext(), "true; false")).ExitCode);
        Assert.Equal(3, (await ShAsync(CreateContext(), "exit 3; echo never")).ExitCode);
        Assert.Equal(0, (await ShAsync(CreateContext(), "false; echo $?")).ExitCode);
    }

    [Fact]
    public async Task ShC_QuotesAndVariables_ExpandLikeSh()
    {
        var result = await ShAsync(CreateContext(), """NAME=world; echo "hello $NAME" 'not $NAME' a\ b "${NAME}s"; false; echo "status $?" """);

        Assert.Equal("hello world not $NAME a b worlds\nstatus 1\n", result.Stdout);
    }

    [Fact]
    public async Task ShC_PrefixAssignment_OnlyForThatCommand()
    {
        var result = await ShAsync(CreateContext(), "GREETING=hi env | grep GREETING; echo \"[$GREETING]\"");

        Assert.Equal("GREETING=hi\n[]\n", result.Stdout);
    }

    [Fact]
    public async Task ShC_Redirections_WriteAndAppendFiles()
    {
        var context = CreateContext();

        var result = await ShAsync(context, "echo first > /tmp/out.txt; echo second >> /tmp/out.txt; cat /nope 2> /tmp/err.txt; cat < /tmp/out.txt");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("first\nsecond\n", result.Stdout);
        Assert.Equal("first\nsecond\n", context.FileSystem.ReadAllText("/tmp/out.txt"));
        Assert.Equal("cat: /nope: No such file or directory\n", context.FileSystem.ReadAllText("/tmp/err.txt"));
    }

    [Fact]
    public async Task ShC_StderrToStdout_Merges()
    {
        var result = await ShAsync(CreateContext(), "cat /nope 2>&1");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("cat: /nope: No such file or directory\n", result.Stdout);
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public async Task ShC_RedirectIntoMissingDirectory_FailsWith2()
    {
        var result = await ShAsync(CreateContext(), "echo x > /nope/file");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("sh: cannot create /nope/file: No such file or directory\n", result.Stderr);
    }

    [Fact]
    public async Task ShC_Pipelines_ConnectStages()
    {
        var context = CreateContext(StateVolume("a", "b", "c"));

        var result = await ShAsync(context, "ls /var/lib/kosmos/conversations | grep -v b | wc -l");

        Assert.Equal("2\n", result.Stdout);
    }

    [Fact]
    public async Task ShC_Globs_ExpandSortedAndKeepUnmatched()
    {
        var context = CreateContext(StateVolume("b", "a"));

        var result = await ShAsync(context, "cd /var/lib/kosmos && echo conversations/*.json; echo /tmp/*.none");

        Assert.Equal("conversations/a.json conversations/b.json\n/tmp/*.none\n", result.Stdout);
    }

    [Fact]
    public async Task ShC_Cd_ChangesWorkingDirectoryForRelativePaths()
    {
        var context = CreateContext();

        var result = await ShAsync(context, "cd /tmp && mkdir -p d && cd d && pwd && echo x > f && cat /tmp/d/f && cd /nope");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("/tmp/d\nx\n", result.Stdout);
        Assert.Equal("sh: cd: can't cd to /nope\n", result.Stderr);
    }

    [Fact]
    public async Task ShC_UnknownCommand_127()
    {
        var result = await ShAsync(CreateContext(), "frobnicate --now");

        Assert.Equal(127, result.ExitCode);
        Assert.Equal("sh: frobnicate: not found\n", result.Stderr);
    }

    [Fact]
    public async Task ShC_SyntaxError_Exits2()
    {
        var result = await ShAsync(CreateContext(), "echo 'unterminated");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("sh: Syntax error: Unterminated quoted string\n", result.Stderr);
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("/bin/sh")]
    [InlineData("bash")]
    public async Task Shell_WithoutC_RunsStdinLinesUntilExit(string shell)
    {
        var script = "cd /tmp\npwd\necho saved > note\ncat note\nexit 4\necho never\n";

        var result = await RunAsync(CreateContext(), [shell], Encoding.UTF8.GetBytes(script));

        Assert.Equal(4, result.ExitCode);
        Assert.Equal("/tmp\nsaved\n", result.Stdout);
    }

    [Fact]
    public async Task Shell_EndOfInput_ExitsWithLastStatus()
    {
        var result = await RunAsync(CreateContext(), ["sh"], "echo a\nfalse\n"u8.ToArray());

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("a\n", result.Stdout);
    }

    [Fact]
    public async Task Shell_CommandsReadTheRestOfStdin()
    {
        // The shell must not swallow input past its line: cat gets the remaining lines.
        var result = await RunAsync(CreateContext(), ["sh"], "cat\nline two\nline three\n"u8.ToArray());

        Assert.Equal("line two\nline three\n", result.Stdout);
    }

    [Fact]
    public async Task InteractiveTty_PromptsEchoesAndCtrlCInterruptsForegroundCommand()
    {
        var stdin = new Pipe();
        var terminal = new ObservableOutput();
        using var timeout = new CancellationTokenSource(TestTimeout);
        var session = ExecCommandRunner.Default.RunAsync(CreateContext(), ["/bin/sh"], new ExecIo(stdin.Reader.AsStream(), terminal, terminal, Tty: true), timeout.Token);

        await terminal.WaitForAsync(t => t == "$ ", "the first prompt");

        // Raw-mode keystrokes: typed characters, a backspace, Enter as CR.
        await stdin.Writer.WriteAsync("echo hii\u007f there\r"u8.ToArray());
        await terminal.WaitForAsync(t => t.EndsWith("there\r\n$ ", StringComparison.Ordinal), "echo output and the next prompt");
        Assert.Equal("$ echo hii\b \b there\r\nhi there\r\n$ ", terminal.Text);

        await stdin.Writer.WriteAsync("sleep 600\r"u8.ToArray());
        await terminal.WaitForAsync(t => t.EndsWith("sleep 600\r\n", StringComparison.Ordinal), "sleep to start");
        await stdin.Writer.WriteAsync("\u0003"u8.ToArray());
        await terminal.WaitForAsync(t => t.EndsWith("^C\r\n$ ", StringComparison.Ordinal), "the prompt after Ctrl-C");

        await stdin.Writer.WriteAsync("echo $?\r"u8.ToArray());
        await terminal.WaitForAsync(t => t.EndsWith("130\r\n$ ", StringComparison.Ordinal), "the interrupted command's status");
        await stdin.Writer.WriteAsync("exit 7\r"u8.ToArray());
        var code = await session.WaitAsync(TestTimeout);

        Assert.Equal(7, code);
        Assert.EndsWith("$ echo $?\r\n130\r\n$ exit 7\r\n", terminal.Text);
    }

    [Fact]
    public async Task InteractiveTty_CtrlDOnEmptyLine_EndsShell()
    {
        var stdin = new Pipe();
        var terminal = new ObservableOutput();
        using var timeout = new CancellationTokenSource(TestTimeout);
        var session = ExecCommandRunner.Default.RunAsync(CreateContext(), ["sh"], new ExecIo(stdin.Reader.AsStream(), terminal, terminal, Tty: true), timeout.Token);
        await terminal.WaitForAsync(t => t == "$ ", "the prompt");

        await stdin.Writer.WriteAsync("false\r"u8.ToArray());
        await terminal.WaitForAsync(t => t == "$ false\r\n$ ", "the second prompt");
        await stdin.Writer.WriteAsync("\u0004"u8.ToArray());

        Assert.Equal(1, await session.WaitAsync(TestTimeout));
    }
}

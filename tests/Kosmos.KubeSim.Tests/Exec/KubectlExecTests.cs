using System.Text.Json.Nodes;
using Kosmos.KubeSim.Exec;
using Kosmos.KubeSim.FileSystem;
using static Kosmos.KubeSim.Tests.Exec.ExecTestSupport;

namespace Kosmos.KubeSim.Tests.Exec;

/// <summary>The real kubectl (v1.32, WebSocket v5) against the exec handler on a loopback socket.</summary>
public sealed class KubectlExecTests : IAsyncLifetime
{
    private ExecTestHost _host = null!;
    private Kubectl _kubectl = null!;
    private VolumeData _state = null!;
    private ExecContext _pod = null!;

    public async Task InitializeAsync()
    {
        _host = await ExecTestHost.StartAsync();
        _kubectl = new Kubectl(_host.Url);
        _state = StateVolume("c-1", "c-2", "c-3");
        _pod = CreateContext(_state, new RecordingAgentHook("alpha"));
        _host.AddPod(_pod);
    }

    public async Task DisposeAsync()
    {
        _kubectl.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Exec_Cat_PrintsFileAndExits0()
    {
        var (code, stdout, stderr) = await _kubectl.RunAsync(null, "exec", "-n", "kosmos", PodName, "--", "cat", "/etc/hostname");

        Assert.True(code == 0, $"kubectl failed ({code}): {stderr}");
        Assert.Equal(PodName + "\n", stdout);
        Assert.Contains(_host.Requests, r => r.StartsWith($"GET /api/v1/namespaces/kosmos/pods/{PodName}/exec?command=cat&command=%2Fetc%2Fhostname&container=agent", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Exec_NonZeroExit_KubectlExitsWithThatCodeAndKeepsStreamsApart()
    {
        var (code, stdout, stderr) = await _kubectl.RunAsync(null, "exec", "-n", "kosmos", PodName, "--", "sh", "-c", "echo out; echo err >&2; exit 3");

        Assert.Equal(3, code);
        Assert.Equal("out\n", stdout);
        Assert.StartsWith("err\n", stderr);
        Assert.Contains("command terminated with exit code 3", stderr);
    }

    [Fact]
    public async Task Exec_UnknownCommand_Exits127()
    {
        var (code, _, stderr) = await _kubectl.RunAsync(null, "exec", "-n", "kosmos", PodName, "--", "frobnicate");

        Assert.True(code == 127, $"exit {code}: {stderr}");
        Assert.Contains("sh: frobnicate: not found", stderr);
    }

    [Fact]
    public async Task ExecI_PipedStdin_ReachesCommandAndEndsIt()
    {
        var (code, stdout, stderr) = await _kubectl.RunAsync("hello\nworld\n", "exec", "-i", "-n", "kosmos", PodName, "--", "cat");

        Assert.True(code == 0, $"kubectl failed ({code}): {stderr}");
        Assert.Equal("hello\nworld\n", stdout);
    }

    [Fact]
    public async Task ExecI_Shell_RunsPipedScript()
    {
        var (code, stdout, stderr) = await _kubectl.RunAsync("cd /tmp\necho kept > note\ncat note\nls /var/lib/kosmos/conversations | wc -l\nexit 5\n", "exec", "-i", "-n", "kosmos", PodName, "--", "/bin/sh");

        Assert.True(code == 5, $"kubectl exit {code}: {stderr}");
        Assert.Equal("kept\n3\n", stdout);
        Assert.Equal("kept\n", _pod.FileSystem.ReadAllText("/tmp/note"));
    }

    [Fact]
    public async Task Runbook_ExportWithIt_WithoutTerminal_FallsBackAndExports()
    {
        var (code, stdout, stderr) = await _kubectl.RunAsync(null, "exec", "-it", PodName, "-n", "kosmos", "--", "python", "-m", "kosmos.tools.export_state", "--output", "/tmp/state.json");

        Assert.True(code == 0, $"kubectl failed ({code}): {stderr}");
        Assert.Equal("exported 3 conversations to /tmp/state.json\n", stdout);
        Assert.Equal(3, JsonNode.Parse(_pod.FileSystem.ReadAllText("/tmp/state.json"))!["conversations"]!.AsArray().Count);
    }

    [Fact]
    public async Task Cp_FromPod_UsesTarAndWritesLocalFile()
    {
        _pod.FileSystem.WriteAllText("/tmp/state.json", "{\"conversations\":[]}\n");

        var (code, _, stderr) = await _kubectl.RunAsync(null, "cp", $"{PodName}:/tmp/state.json", "state.json", "-n", "kosmos");

        Assert.True(code == 0, $"kubectl cp failed ({code}): {stderr}");
        Assert.Equal("{\"conversations\":[]}\n", await File.ReadAllTextAsync(Path.Combine(_kubectl.WorkDirectory, "state.json")));
        Assert.Contains(_host.Requests, r => r.Contains("/exec?command=tar&command=cf&command=-&command=%2Ftmp%2Fstate.json&", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cp_ToPodDirectory_ChecksDirectoryThenExtracts()
    {
        await File.WriteAllTextAsync(Path.Combine(_kubectl.WorkDirectory, "state.json"), "{\"from\":\"laptop\"}");

        var (code, _, stderr) = await _kubectl.RunAsync(null, "cp", "state.json", $"{PodName}:/tmp/", "-n", "kosmos");

        Assert.True(code == 0, $"kubectl cp failed ({code}): {stderr}");
        Assert.Equal("{\"from\":\"laptop\"}", _pod.FileSystem.ReadAllText("/tmp/state.json"));
        var execs = _host.Requests.Where(r => r.Contains("/exec?", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, execs.Count);
        Assert.Contains("/exec?command=test&command=-d&command=%2Ftmp&container=agent&", execs[0]);
        Assert.Contains("/exec?command=tar&command=-xmf&command=-&command=-C&command=%2Ftmp&container=agent&", execs[1]);
        Assert.Contains("stdin=true", execs[1]);
    }

    [Fact]
    public async Task Cp_DirectoryToPodAndBack_RoundTrips()
    {
        var local = Directory.CreateDirectory(Path.Combine(_kubectl.WorkDirectory, "bundle"));
        Directory.CreateDirectory(Path.Combine(local.FullName, "nested"));
        await File.WriteAllTextAsync(Path.Combine(local.FullName, "a.txt"), "alpha");
        await File.WriteAllTextAsync(Path.Combine(local.FullName, "nested", "b.txt"), "beta");

        var up = await _kubectl.RunAsync(null, "cp", "bundle", $"kosmos/{PodName}:/app/bundle");
        var down = await _kubectl.RunAsync(null, "cp", $"kosmos/{PodName}:/app/bundle", "copy");

        Assert.True(up.ExitCode == 0, up.Stderr);
        Assert.True(down.ExitCode == 0, down.Stderr);
        Assert.Equal("beta", _pod.FileSystem.ReadAllText("/app/bundle/nested/b.txt"));
        Assert.Equal("alpha", await File.ReadAllTextAsync(Path.Combine(_kubectl.WorkDirectory, "copy", "a.txt")));
        Assert.Equal("beta", await File.ReadAllTextAsync(Path.Combine(_kubectl.WorkDirectory, "copy", "nested", "b.txt")));
    }

    [Fact]
    public async Task Runbook_ConversationStateRecovery_MovesStateToNewPod()
    {
        // The runbook's "Conversation State Recovery", end to end: export in the old pod, copy out, copy into the
        // replacement pod, import there.
        var replacementState = StateVolume("stale");
        var hook = new RecordingAgentHook("alpha");
        var replacement = CreateContext(replacementState, hook, pod: "agent-alpha-7d9f8c6b5-new01");
        _host.AddPod(replacement);

        var export = await _kubectl.RunAsync(null, "exec", "-it", PodName, "-n", "kosmos", "--", "python", "-m", "kosmos.tools.export_state", "--output", "/tmp/state.json");
        var copyOut = await _kubectl.RunAsync(null, "cp", $"{PodName}:/tmp/state.json", "state.json", "-n", "kosmos");
        var copyIn = await _kubectl.RunAsync(null, "cp", "state.json", $"{replacement.PodName}:/tmp/", "-n", "kosmos");
        var import = await _kubectl.RunAsync(null, "exec", "-it", replacement.PodName, "-n", "kosmos", "--", "python", "-m", "kosmos.tools.import_state", "--input", "/tmp/state.json");

        Assert.All(new[] { export, copyOut, copyIn, import }, r => Assert.True(r.ExitCode == 0, r.Stderr));
        Assert.Equal("imported 3 conversations from /tmp/state.json (replaced 1 conversation)\n", import.Stdout);
        Assert.Equal(Snapshot(_state), Snapshot(replacementState));
        Assert.Equal(["c-1", "c-2", "c-3"], Assert.Single(hook.Imports));
    }

    [Fact]
    public async Task Runbook_ImportOfMalformedFile_FailsWithoutTouchingState()
    {
        var before = Snapshot(_state);
        await File.WriteAllTextAsync(Path.Combine(_kubectl.WorkDirectory, "state.json"), "{\"conversations\": [ {\"id\": ");

        var copyIn = await _kubectl.RunAsync(null, "cp", "state.json", $"{PodName}:/tmp/", "-n", "kosmos");
        var import = await _kubectl.RunAsync(null, "exec", PodName, "-n", "kosmos", "--", "python", "-m", "kosmos.tools.import_state", "--input", "/tmp/state.json");

        Assert.Equal(0, copyIn.ExitCode);
        Assert.Equal(1, import.ExitCode);
        Assert.Contains("import_state: error: /tmp/state.json is not valid JSON", import.Stderr);
        Assert.Contains("command terminated with exit code 1", import.Stderr);
        Assert.Equal(before, Snapshot(_state));
    }

    [Fact]
    public async Task ExecIt_OnATerminal_InteractiveShellWithPromptEchoAndExitCode()
    {
        var (code, stdout, stderr) = await _kubectl.RunInTerminalAsync("cd /var/lib/kosmos\rls conversations\rexit 3\r", "exec", "-it", PodName, "-n", "kosmos", "--", "/bin/sh");

        Assert.True(code == 3, $"exit {code}; stdout: {stdout}; stderr: {stderr}");
        // The keys were typed ahead, so where the remote echo lands relative to the prompts depends on timing (as on a
        // real terminal). What must hold: the echo, a prompt, and the listing with terminal line endings.
        Assert.Contains("cd /var/lib/kosmos\r\nls conversations\r\nexit 3\r\n", stdout);
        Assert.Contains("$ ", stdout);
        Assert.Contains("c-1.json\r\nc-2.json\r\nc-3.json\r\n", stdout);
        Assert.Contains(_host.Requests, r => r.Contains("/exec?command=%2Fbin%2Fsh&", StringComparison.Ordinal) && r.Contains("tty=true", StringComparison.Ordinal));
    }
}

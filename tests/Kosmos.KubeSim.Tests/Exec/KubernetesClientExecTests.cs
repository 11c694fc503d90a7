using System.Text;
using k8s;
using Kosmos.KubeSim.Exec;
using Kosmos.KubeSim.FileSystem;
using static Kosmos.KubeSim.Tests.Exec.ExecTestSupport;

namespace Kosmos.KubeSim.Tests.Exec;

/// <summary>The .NET KubernetesClient (WebSocket v4) against the exec handler on a loopback socket.</summary>
public sealed class KubernetesClientExecTests : IAsyncLifetime
{
    private ExecTestHost _host = null!;
    private Kubernetes _client = null!;
    private VolumeData _state = null!;
    private ExecContext _pod = null!;

    public async Task InitializeAsync()
    {
        _host = await ExecTestHost.StartAsync();
        _client = new Kubernetes(new KubernetesClientConfiguration { Host = _host.Url });
        _state = StateVolume("c-1", "c-2");
        _pod = CreateContext(_state, new RecordingAgentHook("alpha"));
        _host.AddPod(_pod);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task NamespacedPodExecAsync_Cat_ReturnsZeroAndOutput()
    {
        var (code, stdout, stderr) = await ExecAsync(["cat", "/etc/hostname"]);

        Assert.Equal(0, code);
        Assert.Equal(PodName + "\n", stdout);
        Assert.Empty(stderr);
    }

    [Fact]
    public async Task NamespacedPodExecAsync_NonZeroExit_ReturnsExitCode()
    {
        var (code, stdout, stderr) = await ExecAsync(["sh", "-c", "echo partial; echo failing >&2; exit 3"]);

        Assert.Equal(3, code);
        Assert.Equal("partial\n", stdout);
        Assert.Equal("failing\n", stderr);
    }

    [Fact]
    public async Task NamespacedPodExecAsync_ExportState_WritesDocument()
    {
        var (code, stdout, _) = await ExecAsync(["python", "-m", "kosmos.tools.export_state", "--output", "/tmp/state.json"]);

        Assert.Equal(0, code);
        Assert.Equal("exported 2 conversations to /tmp/state.json\n", stdout);
        Assert.True(_pod.FileSystem.FileExists("/tmp/state.json"));
    }

    [Fact]
    public async Task NamespacedPodExecAsync_StdinToShell_RunsLines()
    {
        // v4 has no way to close stdin, so the script ends itself with exit.
        var (code, stdout, _) = await ExecAsync(["sh"], "cd /var/lib/kosmos/conversations\nls\nexit 4\n");

        Assert.Equal(4, code);
        Assert.Equal("c-1.json\nc-2.json\n", stdout);
    }

    [Fact]
    public async Task NamespacedPodExecAsync_UnknownCommand_Returns127()
    {
        var (code, _, stderr) = await ExecAsync(["kosmosctl", "status"]);

        Assert.Equal(127, code);
        Assert.Equal("sh: kosmosctl: not found\n", stderr);
    }

    private async Task<(int Code, string Stdout, string Stderr)> ExecAsync(string[] command, string? stdin = null)
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        Task<string>? stdout = null;
        Task<string>? stderr = null;
        var code = await _client.NamespacedPodExecAsync(PodName, ExecTestHost.Namespace, ExecTestHost.Container, command, tty: false, async (input, output, error) =>
        {
            stdout = new StreamReader(output).ReadToEndAsync(timeout.Token);
            stderr = new StreamReader(error).ReadToEndAsync(timeout.Token);
            if (stdin is not null)
            {
                await input.WriteAsync(Encoding.UTF8.GetBytes(stdin), timeout.Token);
            }

            await Task.WhenAll(stdout, stderr);
        }, timeout.Token);

        return (code, await stdout!, await stderr!);
    }
}

using System.Text;
using Kosmos.KubeSim.Exec;
using Kosmos.KubeSim.FileSystem;
using Microsoft.Extensions.Time.Testing;

namespace Kosmos.KubeSim.Tests.Exec;

internal sealed record ExecResult(int ExitCode, byte[] StdoutBytes, string Stderr)
{
    public string Stdout => Encoding.UTF8.GetString(StdoutBytes);
}

/// <summary>Records what import_state reported to the agent.</summary>
internal sealed class RecordingAgentHook(string name) : IAgentStateHook
{
    private readonly List<IReadOnlyList<string>> _imports = [];

    public string AgentName => name;

    public IReadOnlyList<IReadOnlyList<string>> Imports
    {
        get
        {
            lock (_imports)
            {
                return [.. _imports];
            }
        }
    }

    public void OnConversationsImported(IReadOnlyList<string> conversationIds)
    {
        lock (_imports)
        {
            _imports.Add(conversationIds);
        }
    }
}

internal static class ExecTestSupport
{
    public const string PodName = "agent-alpha-7d9f8c6b5-x2k4q";
    public static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(20);
    public static readonly DateTimeOffset Now = new(2025, 12, 13, 9, 30, 0, TimeSpan.Zero);

    /// <summary>A container's exec context; its clock is a <see cref="FakeTimeProvider"/> at <see cref="Now"/> unless <paramref name="time"/> is given.</summary>
    public static ExecContext CreateContext(VolumeData? state = null, IAgentStateHook? agent = null, string pod = PodName, IReadOnlyDictionary<string, string>? environment = null,
        TimeProvider? time = null)
    {
        time ??= new FakeTimeProvider(Now);
        var mounts = new Dictionary<string, VolumeData>();
        if (state is not null)
        {
            mounts[ExecContext.AgentStateMountPath] = state;
        }

        return new ExecContext
        {
            FileSystem = new ContainerFileSystem(pod, mounts, time),
            PodName = pod,
            ContainerName = "agent",
            Namespace = "kosmos",
            Environment = environment ?? new Dictionary<string, string> { ["KOSMOS_LOG_LEVEL"] = "info" },
            Agent = agent,
            TimeProvider = time,
        };
    }

    public static Task<ExecResult> RunAsync(ExecContext context, params string[] argv) => RunAsync(context, argv, stdin: []);

    public static Task<ExecResult> ShAsync(ExecContext context, string line, string stdin = "") =>
        RunAsync(context, ["sh", "-c", line], Encoding.UTF8.GetBytes(stdin));

    public static async Task<ExecResult> RunAsync(ExecContext context, IReadOnlyList<string> argv, byte[] stdin, bool tty = false)
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        var stdout = new MemoryStream();
        var stderr = tty ? stdout : new MemoryStream();
        var code = await ExecCommandRunner.Default.RunAsync(context, argv, new ExecIo(new MemoryStream(stdin), stdout, stderr, tty), timeout.Token);
        return new ExecResult(code, stdout.ToArray(), tty ? string.Empty : Encoding.UTF8.GetString(((MemoryStream)stderr).ToArray()));
    }

    /// <summary>Seeds conversations/&lt;id&gt;.json files on a state volume.</summary>
    public static VolumeData StateVolume(params string[] conversationIds)
    {
        var volume = new VolumeData();
        foreach (var id in conversationIds)
        {
            volume.WriteFile($"conversations/{id}.json", Encoding.UTF8.GetBytes(
                $$"""{"id":"{{id}}","title":"Conversation {{id}}","messages":[{"role":"user","content":"hello from {{id}}"},{"role":"assistant","content":"hi"}]}"""), createParents: true);
        }

        return volume;
    }

    /// <summary>Every file of a volume with its content, for before/after comparisons.</summary>
    public static IReadOnlyDictionary<string, string> Snapshot(VolumeData volume) =>
        volume.EnumerateFiles().ToDictionary(p => p, p => Encoding.UTF8.GetString(volume.ReadFile(p)));
}

/// <summary>
/// A write-only stream that tests can wait on: <see cref="WaitForAsync"/> completes once the text written so far
/// satisfies a condition (signalled by each write, bounded by a timeout — no polling sleeps).
/// </summary>
internal sealed class ObservableOutput : Stream
{
    private readonly MemoryStream _data = new();
    private readonly Lock _gate = new();
    private readonly List<(Func<string, bool> Condition, TaskCompletionSource Done)> _waiters = [];

    public string Text
    {
        get
        {
            lock (_gate)
            {
                return Encoding.UTF8.GetString(_data.ToArray());
            }
        }
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public async Task WaitForAsync(Func<string, bool> condition, string what)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (condition(Encoding.UTF8.GetString(_data.ToArray())))
            {
                return;
            }

            _waiters.Add((condition, done));
        }

        try
        {
            await done.Task.WaitAsync(ExecTestSupport.TestTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Timed out waiting for {what}; output so far: {Text}");
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        List<TaskCompletionSource> ready;
        lock (_gate)
        {
            _data.Write(buffer);
            var text = Encoding.UTF8.GetString(_data.ToArray());
            ready = [.. _waiters.Where(w => w.Condition(text)).Select(w => w.Done)];
            _waiters.RemoveAll(w => ready.Contains(w.Done));
        }

        foreach (var done in ready)
        {
            done.TrySetResult();
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}

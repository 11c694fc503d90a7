using System.Diagnostics;
using System.Text;
using Kosmos.TestSupport;

namespace Kosmos.KubeSim.Tests.Conformance;

/// <summary>
/// A long-running kubectl (<c>get -w</c>, <c>logs -f</c>) whose output lines are collected while it runs. Disposing kills
/// it (with its child: the kubectl on PATH is a dispatcher that runs the versioned binary) and waits for it to end.
/// </summary>
internal sealed class KubectlStream : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly StringBuilder _stderr = new();
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;

    public KubectlStream(Process process)
    {
        _process = process;
        _stdoutPump = PumpAsync(process.StandardOutput, line => _lines.Add(line));
        _stderrPump = PumpAsync(process.StandardError, line => _stderr.AppendLine(line));
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Waits until some line matches; fails early (with kubectl's stderr) if kubectl ends first.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, string what)
    {
        var found = await WithOutputOnTimeout(Eventually.Until(
            () => Task.FromResult((Line: Lines.FirstOrDefault(match), Exited: HasExited)),
            r => r.Line is not null || r.Exited,
            timeout,
            what));
        return found.Line ?? throw new InvalidOperationException($"kubectl ended (exit {_process.ExitCode}) before {what}; {Output()}");
    }

    /// <summary>Waits until at least <paramref name="count"/> lines arrived while kubectl still runs.</summary>
    public async Task WaitForLineCountAsync(int count, TimeSpan timeout, string what)
    {
        await WithOutputOnTimeout(Eventually.Until(() => Lines.Count >= count || HasExited, timeout, what));
        if (Lines.Count < count)
        {
            throw new InvalidOperationException($"kubectl ended (exit {_process.ExitCode}) before {what}; {Output()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It ended between the check and the kill.
        }

        await _process.WaitForExitAsync();
        await Task.WhenAll(_stdoutPump, _stderrPump);
        _process.Dispose();
    }

    private async Task<T> WithOutputOnTimeout<T>(Task<T> wait)
    {
        try
        {
            return await wait;
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; {Output()}", e);
        }
    }

    private async Task WithOutputOnTimeout(Task wait)
    {
        try
        {
            await wait;
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; {Output()}", e);
        }
    }

    private string Output() => $"output so far:\n{string.Join('\n', Lines)}\nstderr: {Stderr}";

    private async Task PumpAsync(StreamReader reader, Action<string> add)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_gate)
            {
                add(line);
            }
        }
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using Kosmos.KubeSim.Fleet;
using Kosmos.KubeSim.Machinery;

namespace Kosmos.KubeSim.Runtime;

/// <summary>What a container's process answers on its probe endpoints.</summary>
public enum ProcessHealth
{
    /// <summary>Loading: the HTTP server answers, readiness says 503.</summary>
    Starting,

    /// <summary>Serving requests: every probe passes.</summary>
    Serving,

    /// <summary>Deadlocked: the socket accepts, but no HTTP request gets an answer (probes time out).</summary>
    Hung,
}

/// <summary>How a container process ended: exit code and the reason the runtime reports (Completed, Error, OOMKilled).</summary>
public sealed record ProcessExit(int ExitCode, string Reason)
{
    public static ProcessExit Completed { get; } = new(0, "Completed");

    public static ProcessExit OomKilled { get; } = new(137, "OOMKilled");

    /// <summary>SIGKILL from the runtime (grace period over): 128 + 9.</summary>
    public static ProcessExit Killed { get; } = new(137, "Error");

    public static ProcessExit Failed(int code) => code == 0 ? Completed : new(code, "Error");
}

/// <summary>Everything the simulated program of one container instance sees of the world.</summary>
public sealed record ProcessContext(
    string Agent,
    string Namespace,
    string PodName,
    string ContainerName,
    string Image,
    IReadOnlyList<string> CommandLine,
    ContainerEnvironment Environment,
    long? MemoryLimitBytes,
    bool HasStateVolume,
    AgentBehaviour Behaviour,
    bool IsAgentContainer,
    bool IsInitContainer,
    ScaledTimeProvider Time,
    ContainerLog Log,
    Func<string, bool> IsAgentReady,
    Func<bool> TryTriggerDeadlock,
    int Seed);

/// <summary>
/// The simulated program in a container: a KOSMOS agent that behaves as its <see cref="AgentBehaviour"/> and its
/// environment say — start banner and config, required settings, dependencies, working-set growth (the kernel OOM-kills it
/// above the memory limit), periodic work lines, a possible deadlock, graceful SIGTERM handling. A container whose command
/// is a small shell script (<c>sleep N</c>, <c>exit N</c>) runs that instead. One instance per container start;
/// <see cref="RunAsync"/> is called once and disposes the instance when the program exits (an owner that never runs it
/// disposes it); <see cref="Health"/> and <see cref="Terminate"/> are thread-safe, and a no-op after the exit.
/// </summary>
public sealed partial class AgentProcess(ProcessContext context) : IDisposable
{
    private const string StateDirectory = "/var/lib/kosmos";

    private readonly CancellationTokenSource _sigterm = new();
    private readonly Random _random = new(context.Seed);
    private int _health = (int)ProcessHealth.Starting;
    private long _workingSet;
    private int _counter;

    public ProcessHealth Health => (ProcessHealth)Volatile.Read(ref _health);

    public long WorkingSetBytes => Interlocked.Read(ref _workingSet);

    /// <summary>SIGTERM: a healthy agent shuts down gracefully (exit 0); a deadlocked one never gets to it.</summary>
    public void Terminate()
    {
        try
        {
            _sigterm.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already exited.
        }
    }

    /// <summary>Runs until the program exits; <paramref name="kill"/> is SIGKILL (the result is then <see cref="ProcessExit.Killed"/>).</summary>
    public async Task<ProcessExit> RunAsync(CancellationToken kill)
    {
        try
        {
            // An init container is a setup step: without a recognisable script it does its work for a second and exits 0.
            var script = ScriptOf(context.CommandLine) ?? (context.IsInitContainer ? (1, 0) : null);
            return script is { } steps
                ? await RunScriptAsync(steps, kill)
                : await RunAgentAsync(kill);
        }
        catch (OperationCanceledException) when (kill.IsCancellationRequested)
        {
            return ProcessExit.Killed;
        }
        finally
        {
            Dispose();
        }
    }

    /// <summary>Releases the SIGTERM source; <see cref="Terminate"/> does nothing afterwards. Idempotent.</summary>
    public void Dispose() => _sigterm.Dispose();

    private async Task<ProcessExit> RunScriptAsync((double? Sleep, int? Exit) script, CancellationToken kill)
    {
        SetHealth(ProcessHealth.Serving);
        if (script.Sleep is { } seconds)
        {
            // A shell as PID 1 has no default signal actions: SIGTERM is ignored and only SIGKILL ends the sleep early.
            await Task.Delay(TimeSpan.FromSeconds(seconds), context.Time, kill);
        }

        return ProcessExit.Failed(script.Exit ?? 0);
    }

    private async Task<ProcessExit> RunAgentAsync(CancellationToken kill)
    {
        var b = context.Behaviour;
        var env = context.Environment;
        var version = b.Version ?? PodSpec.ImageTag(context.Image).TrimStart('v');
        Interlocked.Exchange(ref _workingSet, b.BaselineBytes);
        if (!context.IsAgentContainer)
        {
            Info($"starting {context.ContainerName} ({context.Image})");
            SetHealth(ProcessHealth.Serving);
            return await ServeAsync(quiet: true, kill);
        }

        Info($"starting kosmos-agent {context.Agent} v{version} (python 3.12.7, pid 1, pod {context.PodName})");
        Info("config: " + DescribeConfig(env));
        Info(context.HasStateVolume
            ? $"state: {StateDirectory} (persistent volume)"
            : $"state: in-memory (no volume mounted at {StateDirectory})");
        if (await WaitAsync(TimeSpan.FromSeconds(0.5), kill))
        {
            return await ShutDownAsync(kill);
        }

        foreach (var setting in b.RequiredEnv.Concat(b.Dependencies.Select(d => d.UrlEnv).OfType<string>()).Distinct(StringComparer.Ordinal))
        {
            if (string.IsNullOrEmpty(env[setting]))
            {
                Log("FATAL", $"config: required setting {setting} is not set");
                Info("exiting with status 1");
                return ProcessExit.Failed(1);
            }
        }

        foreach (var dependency in b.Dependencies)
        {
            var url = dependency.UrlEnv is { } urlEnv ? env[urlEnv]! : $"http://{dependency.Agent}.{context.Namespace}.svc:8080";
            var target = AgentOfUrl(url) ?? dependency.Agent;
            Info($"connecting to {target} at {url}");
            var connected = false;
            for (var attempt = 1; attempt <= 3 && !connected; attempt++)
            {
                connected = context.IsAgentReady(target);
                if (!connected && attempt < 3)
                {
                    Log("WARN", $"{target} not reachable (attempt {attempt}/3): connection refused; retrying in 2s");
                    if (await WaitAsync(TimeSpan.FromSeconds(2), kill))
                    {
                        return await ShutDownAsync(kill);
                    }
                }
            }

            if (!connected)
            {
                Log("ERROR", $"dependency {target} unavailable: connection refused ({url})");
                Info("exiting with status 1");
                return ProcessExit.Failed(1);
            }

            Info($"connected to {target} ({url})");
        }

        var started = context.Time.GetUtcNow();
        if (b.NeedBytes is { } need && need > b.BaselineBytes)
        {
            var steps = 8;
            var stepTime = TimeSpan.FromSeconds(b.Memory!.GrowthSeconds / steps);
            var what = LoadingWhat();
            for (var i = 1; i <= steps; i++)
            {
                var next = b.BaselineBytes + (need - b.BaselineBytes) * i / steps;
                Info($"loading {what}: {Quantity.FormatBytes(next)} of {Quantity.FormatBytes(need)}");
                if (await WaitAsync(stepTime, kill))
                {
                    return await ShutDownAsync(kill);
                }

                if (context.MemoryLimitBytes is { } limit && next > limit)
                {
                    // The kernel's OOM killer: SIGKILL mid-allocation, no last words.
                    Interlocked.Exchange(ref _workingSet, limit);
                    return ProcessExit.OomKilled;
                }

                Interlocked.Exchange(ref _workingSet, next);
            }

            Info($"loaded {what} ({Quantity.FormatBytes(need)} resident)");
        }

        var warmup = TimeSpan.FromSeconds(b.StartupSeconds) - Simulated(started);
        if (warmup > TimeSpan.Zero && await WaitAsync(warmup, kill))
        {
            return await ShutDownAsync(kill);
        }

        SetHealth(ProcessHealth.Serving);
        Info("ready: serving on :8080 (4 workers)");
        return await ServeAsync(quiet: false, kill);
    }

    private async Task<ProcessExit> ServeAsync(bool quiet, CancellationToken kill)
    {
        var b = context.Behaviour;
        var servingSince = context.Time.GetUtcNow();

        // The deadlock is due once per instance; whether it happens is decided then (a one-time deadlock may be spent).
        var deadlockPending = b.Deadlock is not null && context.IsAgentContainer;
        while (true)
        {
            var interval = TimeSpan.FromSeconds(b.WorkIntervalSeconds * (0.7 + _random.NextDouble() * 0.6));
            var untilDeadlock = deadlockPending ? TimeSpan.FromSeconds(b.Deadlock!.AfterSeconds) - Simulated(servingSince) : TimeSpan.MaxValue;
            var deadlockNow = untilDeadlock <= interval;
            if (await WaitAsync(deadlockNow ? (untilDeadlock > TimeSpan.Zero ? untilDeadlock : TimeSpan.Zero) : interval, kill))
            {
                return await ShutDownAsync(kill);
            }

            if (deadlockNow)
            {
                deadlockPending = false;
                if (context.TryTriggerDeadlock())
                {
                    return await HangAsync(kill);
                }

                continue;
            }

            if (!quiet)
            {
                Info(WorkLine());
            }
        }
    }

    private async Task<ProcessExit> HangAsync(CancellationToken kill)
    {
        SetHealth(ProcessHealth.Hung);
        var task = $"t-{_random.Next(1000, 9999)}";
        Log("WARN", $"task {task}: waiting for lock 'conversation-index' (held by task t-{_random.Next(1000, 9999)})");
        var blocked = TimeSpan.Zero;
        var beat = TimeSpan.FromSeconds(60);
        while (true)
        {
            // Deadlocked: SIGTERM is never acted on, only SIGKILL ends it. A watchdog thread still reports.
            await Task.Delay(beat, context.Time, kill);
            blocked += beat;
            Log("WARN", $"watchdog: main loop blocked for {(int)blocked.TotalSeconds}s (4/4 workers busy, {_random.Next(3, 40)} requests queued)");
        }
    }

    private async Task<ProcessExit> ShutDownAsync(CancellationToken kill)
    {
        Info("received SIGTERM, draining in-flight requests");
        await Task.Delay(TimeSpan.FromSeconds(1), context.Time, kill);
        if (context.HasStateVolume)
        {
            Info($"flushed conversation state to {StateDirectory}");
        }

        Info("shutdown complete");
        return ProcessExit.Completed;
    }

    // True when SIGTERM arrived during the wait (a healthy process reacts to it); throws when killed.
    private async Task<bool> WaitAsync(TimeSpan simulated, CancellationToken kill)
    {
        if (_sigterm.IsCancellationRequested)
        {
            return true;
        }

        using var either = CancellationTokenSource.CreateLinkedTokenSource(kill, _sigterm.Token);
        try
        {
            await Task.Delay(simulated, context.Time, either.Token);
            return false;
        }
        catch (OperationCanceledException) when (!kill.IsCancellationRequested)
        {
            return true;
        }
    }

    private TimeSpan Simulated(DateTimeOffset since) => context.Time.Since(since);

    private void SetHealth(ProcessHealth health) => Volatile.Write(ref _health, (int)health);

    private void Info(string message) => Log("INFO", message);

    private void Log(string level, string message) =>
        context.Log.Append($"{context.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)} {level} {message}");

    private static string DescribeConfig(ContainerEnvironment env)
    {
        var settings = env.Vars.Where(v => v.Name.StartsWith("KOSMOS_", StringComparison.Ordinal))
            .Select(v => v.IsSecret ? $"{v.Name}=<redacted>" : $"{v.Name}={v.Value}")
            .ToList();
        return settings.Count == 0 ? "no KOSMOS_* settings" : string.Join(" ", settings);
    }

    // http://vector-store.kosmos.svc:8080 → vector-store, as cluster DNS resolves a service name.
    private static string? AgentOfUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Host.Length > 0 ? uri.Host.Split('.')[0] : null;

    private string LoadingWhat() => context.Behaviour.Role switch
    {
        "vector-store" => "vector index",
        "summarizer" => "summarization model",
        "researcher" => "retrieval index",
        _ => "model context cache",
    };

    private string WorkLine()
    {
        var id = $"{++_counter:0000}-{_random.Next(0x1000, 0xffff):x4}";
        var ms = _random.Next(40, 2400);
        return context.Behaviour.Role switch
        {
            "planner" => $"plan p-{id}: goal decomposed into {_random.Next(2, 9)} steps ({_random.Next(200, 1800)} tokens, {ms}ms)",
            "researcher" => $"research r-{id}: fetched {_random.Next(3, 12)} sources, {_random.Next(1, 5)} relevant ({ms}ms)",
            "summarizer" => $"summary s-{id}: {_random.Next(2000, 16000)} -> {_random.Next(150, 600)} tokens ({ms}ms)",
            "coder" => $"task c-{id}: patch generated ({_random.Next(1, 6)} files, +{_random.Next(3, 120)}/-{_random.Next(0, 60)} lines, {ms}ms)",
            "reviewer" => $"review v-{id}: {_random.Next(0, 7)} comments, verdict={(_random.Next(3) == 0 ? "changes-requested" : "approve")} ({ms}ms)",
            "vector-store" => $"query q-{id}: top-k=8 over {_random.Next(40_000, 90_000)} vectors in {_random.Next(2, 40)}ms",
            "scheduler" => $"tick: {_random.Next(0, 12)} jobs due, {_random.Next(0, 5)} dispatched",
            "archivist" => $"archived conversation conv-{id} ({_random.Next(4, 300)} KiB) to {StateDirectory}/archive",
            _ => $"handled request req-{id} in {ms}ms",
        };
    }

    // `sh -c "sleep 3600"`, `sh -c "exit 1"`, `sleep 10`: the little scripts pods in the wild run.
    private static (double? Sleep, int? Exit)? ScriptOf(IReadOnlyList<string> commandLine)
    {
        if (commandLine.Count == 0)
        {
            return null;
        }

        var text = string.Join(' ', commandLine);
        var sleep = SleepCommand().Match(text);
        var exit = ExitCommand().Match(text);
        if (!sleep.Success && !exit.Success)
        {
            return null;
        }

        return (sleep.Success ? double.Parse(sleep.Groups[1].Value, CultureInfo.InvariantCulture) : null,
            exit.Success ? int.Parse(exit.Groups[1].Value, CultureInfo.InvariantCulture) : null);
    }

    [GeneratedRegex(@"(?:^|[\s;&|])sleep\s+(\d+(?:\.\d+)?)")]
    private static partial Regex SleepCommand();

    [GeneratedRegex(@"(?:^|[\s;&|])exit\s+(\d+)")]
    private static partial Regex ExitCommand();
}

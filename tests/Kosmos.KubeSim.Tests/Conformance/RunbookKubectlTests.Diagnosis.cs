using System.Text.RegularExpressions;
using Kosmos.TestSupport;

namespace Kosmos.KubeSim.Tests.Conformance;

/// <summary>Diagnosis: get pods (and -w), describe pod, logs --previous and -f.</summary>
public sealed partial class RunbookKubectlTests
{
    [Theory]
    [InlineData("researcher", "0/1", "CrashLoopBackOff")]
    [InlineData("vector-store", "0/1", "ImagePullBackOff")]
    [InlineData("scheduler-bot", "0/1", "Pending")]
    [InlineData("planner", "1/1", "Running")]
    [InlineData("archivist", "1/1", "Running")]
    public async Task GetPods_ByAgentLabel_StatusColumnShowsTheAgentsState(string agent, string ready, string status)
    {
        var table = await Eventually.Until(() => GetTableAsync("pods", "-l", $"app={agent}"),
            t => t.Rows is [var row] && row["READY"] == ready && row["STATUS"] == status, Timeout, $"{agent} {ready} {status}");

        Assert.Matches(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n", table.Text);
        Assert.StartsWith(agent + "-", table.Rows[0]["NAME"]);
    }

    [Fact]
    public async Task GetPodsWatch_PrintsAChangeWeCauseAsANewLine()
    {
        await SucceedAsync("delete", "pods", "-l", "app=conformance-watch", "--ignore-not-found");
        (await RunWithInputAsync(ShellPodManifest("watch-probe-a", "conformance-watch"), "apply", "-f", "-")).EnsureSuccess();
        await using (var watch = Start("get", "pods", "-l", "app=conformance-watch", "-w"))
        {
            // The first line after the header is the list; the watch starts from the list's resourceVersion, so
            // whatever happens from here on arrives as a further line.
            await watch.WaitForLineAsync(l => l.StartsWith("watch-probe-a ", StringComparison.Ordinal), Timeout, "watch-probe-a listed");
            Assert.DoesNotContain(watch.Lines, l => l.StartsWith("watch-probe-b", StringComparison.Ordinal));

            (await RunWithInputAsync(ShellPodManifest("watch-probe-b", "conformance-watch"), "apply", "-f", "-")).EnsureSuccess();

            await watch.WaitForLineAsync(l => l.StartsWith("watch-probe-b ", StringComparison.Ordinal), Timeout, "watch-probe-b's creation arriving");
            await watch.WaitForLineAsync(l => Regex.IsMatch(l, @"^watch-probe-b\s+1/1\s+Running\s+0\s+"), Timeout, "watch-probe-b reaching 1/1 Running");
            Assert.Matches(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$", watch.Lines[0]);
            Assert.False(watch.HasExited, "kubectl get -w ended by itself: " + watch.Stderr);
        }

        await SucceedAsync("delete", "pods", "-l", "app=conformance-watch");
    }

    [Fact]
    public async Task DescribePod_Researcher_ShowsCrashLoopStateAndBackOffEvents()
    {
        var pod = (await Eventually.Until(() => PodsAsync("researcher"),
            l => l.Items is [{ Waiting: "CrashLoopBackOff", Restarts: > 0, LastExitCode: 1 }], Timeout, "researcher crash-looping")).Items[0];

        // Between two back-offs the container runs for a moment, so the state is read until it shows the back-off.
        var describe = await Eventually.Until(async () => (await SucceedAsync("describe", "pod", pod.Name)).Stdout,
            d => Regex.IsMatch(d, @"State:\s+Waiting\s+Reason:\s+CrashLoopBackOff"), Timeout, "describe showing CrashLoopBackOff");

        Assert.Contains($"Name:         {pod.Name}", describe);
        Assert.Matches(@"Last State:\s+Terminated\s+Reason:\s+Error\s+Exit Code:\s+1\b", describe);
        var events = describe[describe.IndexOf("Events:", StringComparison.Ordinal)..];
        Assert.Matches(@"Warning\s+BackOff\s+.*kubelet\s+Back-off restarting failed container agent in pod " + pod.Name, events);
        Assert.Matches(@"Normal\s+Started\s+", events);
    }

    [Fact]
    public async Task LogsPrevious_Researcher_EndsWithTheFatalConfigLine()
    {
        var pod = (await Eventually.Until(() => PodsAsync("researcher"),
            l => l.Items is [{ Restarts: > 0, LastExitCode: 1 }], Timeout, "researcher restarted after a crash")).Items[0];

        var logs = (await SucceedAsync("logs", pod.Name, "--previous")).Stdout;

        var lines = logs.TrimEnd('\n').Split('\n');
        Assert.Single(lines, l => l.Contains(" INFO starting kosmos-agent researcher ", StringComparison.Ordinal));
        Assert.EndsWith(" FATAL config: required setting KOSMOS_MODEL_ENDPOINT is not set", lines[^2]);
        Assert.EndsWith(" INFO exiting with status 1", lines[^1]);
    }

    [Fact]
    public async Task LogsFollow_Archivist_StreamsNewLinesAsTheAgentWritesThem()
    {
        var pod = await ReadyPodAsync("archivist");

        await using var follow = Start("logs", pod.Name, "-f");
        await follow.WaitForLineAsync(l => l.Contains(" INFO starting kosmos-agent archivist ", StringComparison.Ordinal), Timeout, "the log so far");
        var before = follow.Lines.Count;

        // The archivist writes a work line every ~45 simulated seconds (under a real second): two more must stream in.
        await follow.WaitForLineCountAsync(before + 2, Timeout, "new log lines while following");

        Assert.False(follow.HasExited, "kubectl logs -f ended by itself: " + follow.Stderr);
        Assert.Contains(follow.Lines.Skip(before), l => l.Contains(" INFO archived conversation conv-", StringComparison.Ordinal));
    }
}

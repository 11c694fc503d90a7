using System.Globalization;
using Kosmos.Recovery.Health;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;

namespace Kosmos.Dashboard.ViewModels;

/// <summary>A fact the guidance pulled out for the operator; <see cref="Key"/> is stable (tests and browser tests find facts by it).</summary>
public sealed record GuideFact(string Key, string Label, string Value);

/// <summary>The container whose previous (crashed) run's log the guidance reads.</summary>
public sealed record LogTarget(string Pod, string Container);

/// <summary>
/// The runbook section for an agent's diagnosis with the diagnosis already done: the facts the runbook would have you
/// look up, the commands with the agent's names filled in, and (for a crash loop) which previous log to read.
/// </summary>
public sealed record RunbookGuide(
    RunbookSectionText Section,
    string Diagnosis,
    IReadOnlyList<string> Evidence,
    IReadOnlyList<GuideFact> Facts,
    IReadOnlyList<RunbookCommand> DiagnosisCommands,
    IReadOnlyList<string> ResolutionCommands,
    LogTarget? PreviousLog,
    IReadOnlyList<ConfigHint> ConfigHints,
    IReadOnlyList<DependencyHint> Dependencies)
{
    private const int SigKill = 137;

    /// <summary>The guide for the agent's runbook section, or null when no section applies (healthy, progressing, unexplained).</summary>
    public static RunbookGuide? Build(AgentDetail detail, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(detail);
        var health = detail.Summary.Health;
        if (RunbookText.For(health.RunbookSection) is not { } section)
        {
            return null;
        }

        var ns = detail.Summary.Namespace;
        var agent = detail.Summary.Name;
        var affected = AffectedPods(detail);
        var firstPod = affected.FirstOrDefault()?.Name;
        var templateContainers = detail.Deployment?.Template.Containers is { Count: > 0 } t ? (IReadOnlyList<ContainerSnapshot>)t
            : affected.FirstOrDefault()?.Containers ?? (IReadOnlyList<ContainerSnapshot>)[];

        var facts = new List<GuideFact>();
        var resolution = section.ResolutionCommands.Select(c => RunbookText.Fill(c.Command, ns, agent, firstPod)).ToList();
        LogTarget? previousLog = null;
        var diagnosisPod = firstPod;
        switch (health.RunbookSection)
        {
            case RunbookSection.OutOfMemory:
                resolution = OutOfMemory(detail, affected, now, facts) ?? resolution;
                break;
            case RunbookSection.CrashLoopBackOff:
                if (CrashLoop(affected, now, facts) is { } crash)
                {
                    previousLog = crash;
                    diagnosisPod = crash.Pod;
                }

                break;
            case RunbookSection.UnresponsiveAgent:
                Unresponsive(detail, affected, now, facts);
                break;
            case RunbookSection.Pending:
                Pending(affected, facts);
                break;
            case RunbookSection.ImagePull:
                ImagePull(affected, facts);
                break;
        }

        var containerFlag = previousLog is not null && MultiContainer(affected, previousLog.Pod) ? $" -c {previousLog.Container}" : "";
        var diagnosis = section.Diagnosis
            .Select(c => c with
            {
                Command = RunbookText.Fill(c.Command, ns, agent, diagnosisPod) + (c.Command.Contains("--previous", StringComparison.Ordinal) ? containerFlag : ""),
            })
            .ToList();
        var configHints = health.RunbookSection == RunbookSection.CrashLoopBackOff
            ? ConfigHintFinder.Find(health.Evidence, [], templateContainers)
            : [];
        var dependencies = health.RunbookSection is RunbookSection.CrashLoopBackOff or RunbookSection.UnresponsiveAgent
            ? DependencyHints.FromEnv(templateContainers, ns, agent)
            : [];
        return new RunbookGuide(section, health.Summary, health.Evidence, facts, diagnosis, resolution, previousLog, configHints, dependencies);
    }

    private static List<PodSnapshot> AffectedPods(AgentDetail detail)
    {
        var names = detail.Summary.Health.AffectedPods;
        var affected = PodRow.Order(detail.Pods.Where(p => names.Contains(p.Name))).ToList();
        return affected.Count > 0 ? affected : [.. PodRow.Order(detail.Pods)];
    }

    private static bool MultiContainer(IEnumerable<PodSnapshot> pods, string pod) => pods.FirstOrDefault(p => p.Name == pod)?.Containers.Count > 1;

    private static List<string>? OutOfMemory(AgentDetail detail, List<PodSnapshot> affected, DateTimeOffset now, List<GuideFact> facts)
    {
        var ns = detail.Summary.Namespace;
        var agent = detail.Summary.Name;
        var killed = affected
            .SelectMany(p => p.Containers.Select(c => (Pod: p, Container: c, Last: Killed(c))))
            .Where(x => x.Last is not null)
            .ToList();
        if (killed.Count == 0)
        {
            return null;
        }

        var commands = new List<string>();
        foreach (var group in killed.GroupBy(k => k.Container.Name, StringComparer.Ordinal))
        {
            var name = group.Key;
            // The limit to change is the Deployment's; the pods only show what they were created with.
            var spec = detail.Deployment?.Template.Containers.FirstOrDefault(c => c.Name == name) ?? group.First().Container;
            var limitText = spec.Resources.MemoryLimit;
            var requestText = spec.Resources.MemoryRequest;
            var restarts = group.Sum(k => k.Container.RestartCount);
            var latest = group.OrderByDescending(k => k.Last!.FinishedAt ?? DateTimeOffset.MinValue).First();
            var last = latest.Last!;
            var how = last.Reason is { Length: > 0 } reason ? reason : "SIGKILL";

            facts.Add(new("container", "OOM-killed container", $"{name} (in {Count(group.Select(k => k.Pod.Name).Distinct().Count(), "pod")})"));
            facts.Add(new("memory-limit", "Memory limit", limitText ?? "not set"));
            facts.Add(new("memory-request", "Memory request", requestText ?? "not set"));
            facts.Add(new("times-killed", "Times killed", $"restarted {Count(restarts, "time")}; last {how}, exit code {last.ExitCode.ToString(CultureInfo.InvariantCulture)}, {TimeText.Ago(last.FinishedAt, now)}"));

            if (MemoryQuantity.Parse(limitText) is { } limit and > 0)
            {
                var suggested = MemoryQuantity.SuggestLimit(limit);
                var request = MemoryQuantity.SuggestRequest(suggested, MemoryQuantity.Parse(requestText));
                facts.Add(new("suggested-limit", "Suggested limit", $"{MemoryQuantity.Format(suggested)} (double {limitText}, rounded up)"));
                facts.Add(new("suggested-request", "Suggested request", MemoryQuantity.Format(request)));
                commands.Add($"kubectl set resources deployment {agent} -n {ns} -c {name} --limits=memory={MemoryQuantity.Format(suggested)} --requests=memory={MemoryQuantity.Format(request)}");
            }
            else
            {
                facts.Add(new("suggested-limit", "Suggested limit", "no limit to double: the container was killed without one (node memory pressure); set one from its real usage"));
            }
        }

        if (commands.Count == 0)
        {
            return null;
        }

        commands.Add($"kubectl rollout restart deployment {agent} -n {ns}");
        return commands;
    }

    private static ContainerState.Terminated? Killed(ContainerSnapshot c)
    {
        static bool IsOom(ContainerState? s) => s is ContainerState.Terminated t && (t.Reason == KubeReasons.OomKilled || (t.ExitCode == SigKill && t.Reason != KubeReasons.Completed));
        return IsOom(c.State) ? (ContainerState.Terminated)c.State! : IsOom(c.LastState) ? (ContainerState.Terminated)c.LastState! : null;
    }

    private static LogTarget? CrashLoop(List<PodSnapshot> affected, DateTimeOffset now, List<GuideFact> facts)
    {
        var crashing = affected
            .SelectMany(p => p.InitContainers.Concat(p.Containers).Select(c => (Pod: p, Container: c)))
            .Where(x => x.Container.State is ContainerState.Waiting { Reason: KubeReasons.CrashLoopBackOff }
                || x.Container.LastState is ContainerState.Terminated { ExitCode: not 0 }
                || x.Container.State is ContainerState.Terminated { ExitCode: not 0 }
                || x.Container.State is ContainerState.Waiting { Reason: { } r } && r.Contains("Error", StringComparison.Ordinal))
            .OrderByDescending(x => x.Container.RestartCount)
            .FirstOrDefault();
        if (crashing.Container is null)
        {
            return null;
        }

        var (pod, c) = crashing;
        facts.Add(new("container", "Crashing container", $"{c.Name} in pod {pod.Name}"));
        facts.Add(new("restarts", "Restarts", c.RestartCount.ToString(CultureInfo.InvariantCulture)));
        var last = c.State as ContainerState.Terminated ?? c.LastState as ContainerState.Terminated;
        if (last is not null)
        {
            facts.Add(new("last-exit", "Last exit", $"{(string.IsNullOrEmpty(last.Reason) ? "Terminated" : last.Reason)}, exit code {last.ExitCode.ToString(CultureInfo.InvariantCulture)}, {TimeText.Ago(last.FinishedAt, now)}"));
            if (!string.IsNullOrWhiteSpace(last.Message))
            {
                facts.Add(new("termination-message", "Termination message", last.Message.Trim()));
            }
        }

        if (c.State is ContainerState.Waiting { Reason: { } waiting } w && waiting != KubeReasons.CrashLoopBackOff)
        {
            facts.Add(new("waiting", "Cannot start", waiting + (string.IsNullOrEmpty(w.Message) ? "" : $": {w.Message}")));
        }

        facts.Add(new("resources", "Resources", RolloutHistory.ResourcesText(c.Resources)));

        // Without a finished run there is no previous log to read (e.g. a config error stops the container from starting).
        return last is not null || c.RestartCount > 0 ? new LogTarget(pod.Name, c.Name) : null;
    }

    private static void Unresponsive(AgentDetail detail, List<PodSnapshot> affected, DateTimeOffset now, List<GuideFact> facts)
    {
        foreach (var pod in affected.Take(3))
        {
            var suffix = affected.Count > 1 ? $" ({pod.Name})" : "";
            var container = pod.Containers.FirstOrDefault(c => !c.Ready) ?? pod.Containers.FirstOrDefault();
            if (container is not null)
            {
                facts.Add(new("liveness", $"Liveness probe of {container.Name}{suffix}", container.LivenessProbe?.Describe() ?? "none"));
                facts.Add(new("readiness", $"Readiness probe of {container.Name}{suffix}", container.ReadinessProbe?.Describe() ?? "none"));
                if (container.StartupProbe is { } startup)
                {
                    facts.Add(new("startup", $"Startup probe of {container.Name}{suffix}", startup.Describe()));
                }

                facts.Add(new("restarts", $"Restarts{suffix}", container.RestartCount.ToString(CultureInfo.InvariantCulture)));
            }

            var unhealthy = EventRowsFor(pod, detail.Events).Where(e => e.Reason == "Unhealthy").ToList();
            facts.Add(new("probe-failures", $"Probe failures{suffix}", unhealthy.Count == 0
                ? "no Unhealthy events recorded"
                : $"{Count(unhealthy.Sum(e => e.Count), "failure")}, last {TimeText.Ago(unhealthy[0].LastSeen, now)}: {unhealthy[0].Message}"));

            var ready = pod.GetCondition(ConditionTypes.Ready);
            facts.Add(new("not-ready-for", $"Not ready for{suffix}", ready is { IsTrue: true }
                ? "ready now"
                : ready?.LastTransitionTime is { } since ? $"{TimeText.Duration(since, now)} (since {TimeText.Stamp(since)})" : "never ready"));
        }
    }

    private static void Pending(List<PodSnapshot> affected, List<GuideFact> facts)
    {
        foreach (var pod in affected.Take(3))
        {
            if (pod.GetCondition(ConditionTypes.PodScheduled) is { IsFalse: true } scheduled)
            {
                facts.Add(new("scheduling", $"Scheduling ({pod.Name})", $"{scheduled.Reason}: {scheduled.Message}"));
            }

            foreach (var c in pod.InitContainers.Concat(pod.Containers))
            {
                if (c.State is ContainerState.Waiting { Reason: { Length: > 0 } reason } waiting)
                {
                    facts.Add(new("waiting", $"{c.Name} waiting ({pod.Name})", reason + (string.IsNullOrEmpty(waiting.Message) ? "" : $": {waiting.Message}")));
                }
            }
        }
    }

    private static void ImagePull(List<PodSnapshot> affected, List<GuideFact> facts)
    {
        foreach (var (pod, c) in affected.SelectMany(p => p.InitContainers.Concat(p.Containers).Select(c => (p, c))).Where(x => x.c.State is ContainerState.Waiting).Take(3))
        {
            var waiting = (ContainerState.Waiting)c.State!;
            facts.Add(new("image", $"Image of {c.Name} ({pod.Name})", c.Image));
            facts.Add(new("pull-error", $"Pull error ({pod.Name})", waiting.Reason + (string.IsNullOrEmpty(waiting.Message) ? "" : $": {waiting.Message}")));
        }
    }

    private static IEnumerable<EventSnapshot> EventRowsFor(PodSnapshot pod, IEnumerable<EventSnapshot> events) =>
        events
            .Where(e => e.InvolvedObject.Kind == "Pod" && e.InvolvedObject.Name == pod.Name)
            .OrderByDescending(e => e.LastSeen ?? DateTimeOffset.MinValue);

    private static string Count(int n, string what) => n.ToString(CultureInfo.InvariantCulture) + " " + (n == 1 ? what : what + "s");
}

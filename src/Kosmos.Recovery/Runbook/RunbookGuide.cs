using System.Globalization;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Health;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;
using Kosmos.Recovery.Status;

namespace Kosmos.Recovery.Runbook;

/// <summary>A fact the guidance pulled out for the operator; <see cref="Key"/> is stable (tests and browser tests find facts by it).</summary>
public sealed record GuideFact(string Key, string Label, string Value);

/// <summary>The container whose previous (crashed) run's log the guidance reads.</summary>
public sealed record LogTarget(string Pod, string Container);

/// <summary>A runbook command the dashboard leaves out for this agent, and why (e.g. a restart a template change makes redundant).</summary>
public sealed record SkippedCommand(string Command, string Why);

/// <summary>
/// What the dashboard suggests doing, as an action it can run (<see cref="Action"/> with <see cref="Values"/>) or, when
/// <see cref="Action"/> is null, something to do elsewhere; <see cref="Command"/> is the kubectl equivalent.
/// </summary>
public sealed record SuggestedStep(ActionKind? Action, ActionRequest Values, string Command, string Why);

/// <summary>
/// The runbook section for an agent's diagnosis with the diagnosis already done: the facts the runbook would have you
/// look up, the runbook's commands with the agent's names filled in (never rewritten; those that are not needed here are
/// listed in <see cref="NotNeeded"/> with the reason), what the dashboard suggests (<see cref="Suggestions"/>, with why), and
/// (for a crash loop) which previous log to read. The same guide feeds the page, the hub and the HTTP API.
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
    /// <summary>Runbook commands left out of <see cref="ResolutionCommands"/> for this agent, with why.</summary>
    public IReadOnlyList<SkippedCommand> NotNeeded { get; init; } = [];

    /// <summary>What the dashboard suggests, first the step most likely to fix the agent.</summary>
    public IReadOnlyList<SuggestedStep> Suggestions { get; init; } = [];

    /// <summary>For an OOM-killed agent: the memory each killed container should get (<see cref="MemoryAdvice"/>).</summary>
    public IReadOnlyList<MemorySuggestion> Memory { get; init; } = [];

    /// <summary>
    /// The guide for the agent's runbook section, or null when no section applies (healthy, progressing, unexplained).
    /// <paramref name="previousLog"/>: the crashed run's log lines when the caller has read them (<see cref="PreviousLog"/>
    /// says which), so configuration named there is checked too.
    /// </summary>
    public static RunbookGuide? Build(AgentDetail detail, DateTimeOffset now, IReadOnlyList<string>? previousLog = null)
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
        var notNeeded = new List<SkippedCommand>();
        var suggestions = new List<SuggestedStep>();
        IReadOnlyList<MemorySuggestion> memory = [];
        LogTarget? logTarget = null;
        var diagnosisPod = firstPod;
        switch (health.RunbookSection)
        {
            case RunbookSection.OutOfMemory:
                memory = OutOfMemory(detail, affected, now, facts, suggestions);
                if (memory.Count > 0)
                {
                    // The runbook restarts after set resources; a new pod template already rolls every pod.
                    var restart = resolution.FirstOrDefault(c => c.StartsWith("kubectl rollout restart", StringComparison.Ordinal));
                    if (restart is not null)
                    {
                        resolution.Remove(restart);
                        notNeeded.Add(new SkippedCommand(restart, SetResourcesNote));
                    }
                }

                break;
            case RunbookSection.CrashLoopBackOff:
                if (CrashLoop(affected, now, facts) is { } crash)
                {
                    logTarget = crash;
                    diagnosisPod = crash.Pod;
                }

                break;
            case RunbookSection.UnresponsiveAgent:
                Unresponsive(detail, affected, now, facts);
                // A hung program is not fixed by waiting: new pods (a rolling restart keeps serving meanwhile) are the runbook's fix.
                suggestions.Add(new SuggestedStep(ActionKind.Restart, ActionRequest.None, $"kubectl rollout restart deployment/{agent} -n {ns}",
                    "Restart the agent: its pods stopped answering their probes while running (a hang or deadlock, not a crash), and new pods start clean. The rollout replaces them one by one."));
                break;
            case RunbookSection.Pending:
                Pending(affected, facts);
                foreach (var cpu in CpuAdvice.Suggest(detail))
                {
                    suggestions.Add(new SuggestedStep(ActionKind.SetResources, cpu.Values.ToActionRequest(), cpu.Values.Kubectl(new AgentRef(ns, agent)),
                        $"Set resources of container {cpu.Container}: requests.cpu={cpu.Request}, limits.cpu={cpu.Limit} ({cpu.Why}). No restart is needed afterwards."));
                }

                break;
            case RunbookSection.ImagePull:
                ImagePull(affected, facts);
                SuggestPreviousImage(detail, affected, suggestions);
                break;
        }

        var containerFlag = logTarget is not null && MultiContainer(affected, logTarget.Pod) ? $" -c {logTarget.Container}" : "";
        var diagnosis = section.Diagnosis
            .Select(c => c.Command.Contains("--previous", StringComparison.Ordinal)
                ? c with
                {
                    Command = RunbookText.Fill(c.Command, ns, agent, diagnosisPod) + containerFlag,

                    // The page shows the crashed run's error lines above these steps only when there was a crashed run.
                    DoneBy = logTarget is null ? null : c.DoneBy,
                }
                : c with { Command = RunbookText.Fill(c.Command, ns, agent, diagnosisPod) })
            .ToList();
        var configHints = health.RunbookSection == RunbookSection.CrashLoopBackOff
            ? ConfigHintFinder.Find(health.Evidence, previousLog ?? [], templateContainers)
            : [];
        if (configHints.Count > 0)
        {
            suggestions.AddRange(EnvSuggestions.Suggest(new AgentRef(ns, agent), configHints, previousLog ?? [], logTarget?.Container, templateContainers));
        }

        var dependencies = health.RunbookSection is RunbookSection.CrashLoopBackOff or RunbookSection.UnresponsiveAgent
            ? [.. DependencyHints.FromEnv(templateContainers, ns, agent, previousLog)
                .Concat(DependencyHints.FromLog(LogErrorLines.Pick(previousLog ?? []), ns, agent))
                .DistinctBy(h => h.Host, StringComparer.OrdinalIgnoreCase)]
            : Array.Empty<DependencyHint>();
        return new RunbookGuide(section, health.Summary, health.Evidence, facts, diagnosis, resolution, logTarget, configHints, dependencies)
        {
            NotNeeded = notNeeded,
            Suggestions = suggestions,
            Memory = memory,
        };
    }

    /// <summary>Why the runbook's <c>kubectl rollout restart</c> after <c>kubectl set resources</c> is left out.</summary>
    public const string SetResourcesNote =
        "not needed: set resources changes the pod template, and that rolls every pod by itself (a restart on top would only roll them twice)";

    private static List<PodSnapshot> AffectedPods(AgentDetail detail)
    {
        var names = detail.Summary.Health.AffectedPods;
        var affected = detail.Pods.Where(p => names.Contains(p.Name)).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        return affected.Count > 0 ? affected : [.. detail.Pods.OrderBy(p => p.Name, StringComparer.Ordinal)];
    }

    private static bool MultiContainer(IEnumerable<PodSnapshot> pods, string pod) => pods.FirstOrDefault(p => p.Name == pod)?.Containers.Count > 1;

    private static IReadOnlyList<MemorySuggestion> OutOfMemory(AgentDetail detail, List<PodSnapshot> affected, DateTimeOffset now, List<GuideFact> facts,
        List<SuggestedStep> suggestions)
    {
        var target = new AgentRef(detail.Summary.Namespace, detail.Summary.Name);
        var killed = affected
            .SelectMany(p => p.Containers.Select(c => (Pod: p, Container: c, Last: MemoryAdvice.OomKill(c))))
            .Where(x => x.Last is not null)
            .ToList();
        if (killed.Count == 0)
        {
            return [];
        }

        var advice = MemoryAdvice.Suggest(detail with { Pods = [.. affected] });
        foreach (var group in killed.GroupBy(k => k.Container.Name, StringComparer.Ordinal))
        {
            var name = group.Key;
            // The limit to change is the Deployment's; the pods only show what they were created with.
            var spec = detail.Deployment?.Template.Containers.FirstOrDefault(c => c.Name == name) ?? group.First().Container;
            var restarts = group.Sum(k => k.Container.RestartCount);
            var latest = group.OrderByDescending(k => k.Last!.FinishedAt ?? DateTimeOffset.MinValue).First();
            var last = latest.Last!;
            var how = last.Reason is { Length: > 0 } reason ? reason : "SIGKILL";

            facts.Add(new("container", "OOM-killed container", $"{name} (in {Count(group.Select(k => k.Pod.Name).Distinct().Count(), "pod")})"));
            facts.Add(new("memory-limit", "Memory limit", spec.Resources.MemoryLimit ?? "not set"));
            facts.Add(new("memory-request", "Memory request", spec.Resources.MemoryRequest ?? "not set"));
            facts.Add(new("times-killed", "Times killed", $"restarted {Count(restarts, "time")}; last {how}, exit code {last.ExitCode.ToString(CultureInfo.InvariantCulture)}, {Ago(last.FinishedAt, now)}"));
            if (advice.FirstOrDefault(a => a.Container == name) is not { } suggestion)
            {
                continue;
            }

            facts.Add(new("killed-at", "Killed at limit", $"{suggestion.KilledAt ?? "no limit"} (the limit {suggestion.KilledIn} ran with)"));
            facts.Add(new("suggested-limit", "Suggested limit", $"{suggestion.Limit} ({suggestion.Why})"));
            facts.Add(new("suggested-request", "Suggested request", suggestion.Request));
            if (!suggestion.AlreadySet)
            {
                suggestions.Add(new SuggestedStep(ActionKind.SetResources, suggestion.Values.ToActionRequest(), suggestion.Values.Kubectl(target),
                    $"Set resources of container {name}: limits.memory={suggestion.Limit}, requests.memory={suggestion.Request} ({suggestion.Why}). No restart is needed afterwards."));
            }
        }

        return advice;
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
            facts.Add(new("last-exit", "Last exit", $"{(string.IsNullOrEmpty(last.Reason) ? "Terminated" : last.Reason)}, exit code {last.ExitCode.ToString(CultureInfo.InvariantCulture)}, {Ago(last.FinishedAt, now)}"));
            if (!string.IsNullOrWhiteSpace(last.Message))
            {
                facts.Add(new("termination-message", "Termination message", last.Message.Trim()));
            }
        }

        if (c.State is ContainerState.Waiting { Reason: { } waiting } w && waiting != KubeReasons.CrashLoopBackOff)
        {
            facts.Add(new("waiting", "Cannot start", waiting + (string.IsNullOrEmpty(w.Message) ? "" : $": {w.Message}")));
        }

        facts.Add(new("resources", "Resources", c.Resources.Text));

        // Without a finished run there is no previous log to read (e.g. a config error stops the container from starting).
        return last is not null || c.RestartCount > 0 ? new LogTarget(pod.Name, c.Name) : null;
    }

    private static void Unresponsive(AgentDetail detail, List<PodSnapshot> affected, DateTimeOffset now, List<GuideFact> facts)
    {
        foreach (var pod in affected.Take(3))
        {
            var suffix = affected.Count > 1 ? $" ({pod.Name})" : "";
            var container = pod.Containers.FirstOrDefault(c => !c.Ready) ?? (pod.Containers.Count > 0 ? pod.Containers[0] : null);
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
                : $"{Count(unhealthy.Sum(e => e.Count), "failure")}, last {Ago(unhealthy[0].LastSeen, now)}: {unhealthy[0].Message}"));

            var ready = pod.GetCondition(ConditionTypes.Ready);
            facts.Add(new("not-ready-for", $"Not ready for{suffix}", ready is { IsTrue: true }
                ? "ready now"
                : ready?.LastTransitionTime is { } since ? $"{Duration(since, now)} (since {Stamp(since)})" : "never ready"));
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

    // The tag that cannot be pulled replaced one that ran: going back to the newest image of the rollout history is the fix
    // that cannot be wrong about the registry (that image was pulled before).
    private static void SuggestPreviousImage(AgentDetail detail, List<PodSnapshot> affected, List<SuggestedStep> suggestions)
    {
        var target = new AgentRef(detail.Summary.Namespace, detail.Summary.Name);
        var failing = affected.SelectMany(p => p.Containers)
            .Where(c => c.State is ContainerState.Waiting { Reason: KubeReasons.ErrImagePull or KubeReasons.ImagePullBackOff })
            .Select(c => c.Name)
            .Distinct(StringComparer.Ordinal);
        foreach (var name in failing)
        {
            var current = detail.Deployment?.Template.Containers.FirstOrDefault(c => c.Name == name)?.Image;
            if (ImageHistory.Previous(detail, name) is not { } previous || current is null)
            {
                continue;
            }

            var request = new SetImageRequest(name, previous.Image);
            suggestions.Add(new SuggestedStep(ActionKind.SetImage, request.ToActionRequest(), request.Kubectl(target),
                $"Set image of container {name} to {previous.Image}: {current} cannot be pulled, and {previous.Image} is the image revision {previous.Revision.ToString(CultureInfo.InvariantCulture)} ran. No restart is needed afterwards."));
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

    private const string None = "—";

    private static string Ago(DateTimeOffset? at, DateTimeOffset now) => at is null ? None : KubeDuration.Since(at, now) + " ago";

    private static string Duration(DateTimeOffset? since, DateTimeOffset now) => since is null ? None : KubeDuration.Since(since, now);

    private static string Stamp(DateTimeOffset? at) =>
        at is null ? None : at.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string Count(int n, string what) => n.ToString(CultureInfo.InvariantCulture) + " " + (n == 1 ? what : what + "s");
}

using System.Text.RegularExpressions;
using Kosmos.Recovery.Model;
using Kosmos.Recovery.Status;

namespace Kosmos.Recovery.Health;

/// <summary>Finds the one problem that best explains a single pod's state, with evidence and a start time.</summary>
internal static partial class PodDiagnostics
{
    private const int SigKillExitCode = ExitCodes.SigKill;
    private const int SigTermExitCode = ExitCodes.SigTerm;
    private const string UnboundClaims = "unbound immediate PersistentVolumeClaims";

    private static readonly HashSet<string> ImagePullReasons = new(StringComparer.Ordinal)
    {
        KubeReasons.ErrImagePull,
        KubeReasons.ImagePullBackOff,
        KubeReasons.InvalidImageName,
        KubeReasons.ErrImageNeverPull,
        "RegistryUnavailable",
        "ImageInspectError",
    };

    private static readonly HashSet<string> ConfigErrorReasons = new(StringComparer.Ordinal)
    {
        KubeReasons.CreateContainerConfigError,
        KubeReasons.CreateContainerError,
        KubeReasons.RunContainerError,
        "PreCreateHookError",
        "PreStartHookError",
        "PostStartHookError",
    };

    public static PodProblem? Diagnose(PodSnapshot pod, EventIndex events, DateTimeOffset now, AgentHealthOptions options)
    {
        if (pod.Phase == PodPhase.Succeeded)
        {
            return null;
        }

        var problem = DiagnosePodLevel(pod, now, options) ?? DiagnoseContainers(pod, events, now, options);
        if (problem is null)
        {
            return null;
        }

        // Pod events follow the container's own evidence: they add counts and times a person can check.
        var telling = events.ForPod(pod).Where(EventEvidence.IsTelling).ToList();
        if (problem.Kind == ProblemKind.OomKilled)
        {
            telling.AddRange(events.ForNode(pod.NodeName).Where(e => e.Reason == EventEvidence.OomKilling));
        }

        var notReadySince = pod.GetCondition(ConditionTypes.Ready) is { IsFalse: true } ready ? ready.LastTransitionTime : null;
        DateTimeOffset?[] starts = [problem.Since, notReadySince, EventEvidence.FirstSeen(telling)];
        return problem with
        {
            Evidence = [.. problem.Evidence, .. EventEvidence.Describe(telling, now)],
            Since = starts.Where(t => t is not null).DefaultIfEmpty().Min(),
        };
    }

    private static PodProblem? DiagnosePodLevel(PodSnapshot pod, DateTimeOffset now, AgentHealthOptions options)
    {
        if (pod.Phase == PodPhase.Unknown || pod.Reason == KubeReasons.NodeLost)
        {
            var node = pod.NodeName ?? "(none)";
            return new PodProblem(
                pod,
                ProblemKind.NodeLost,
                $"node {node} stopped reporting",
                [$"pod {pod.Name} is in phase Unknown on node {node}{Text.Colon(pod.Message ?? pod.Reason)}"],
                null);
        }

        if (pod.Phase == PodPhase.Failed && pod.Reason == KubeReasons.Evicted)
        {
            return new PodProblem(pod, ProblemKind.Evicted, $"pod {pod.Name} was evicted", [$"pod {pod.Name} was evicted{Text.Colon(pod.Message)}"], null);
        }

        if (pod.GetCondition(ConditionTypes.PodScheduled) is { IsFalse: true } scheduled)
        {
            var reason = scheduled.Reason ?? KubeReasons.Unschedulable;
            var since = scheduled.LastTransitionTime ?? pod.CreationTimestamp;

            // A new claim binds within seconds of its pod's creation (the provisioner is at work): until then the scheduler
            // says "unbound immediate PersistentVolumeClaims". That is a start, not a failure (no incident for it), unless it lasts.
            if (scheduled.Message?.Contains(UnboundClaims, StringComparison.Ordinal) == true && since is { } waiting && now - waiting < options.ClaimBindGrace)
            {
                return null;
            }

            return new PodProblem(
                pod,
                ProblemKind.Unschedulable,
                $"pod cannot be scheduled{Text.Colon(scheduled.Message ?? reason)}",
                [$"pod {pod.Name} cannot be scheduled ({reason}) for {Text.Duration(since, now)}{Text.Colon(scheduled.Message)}"],
                since);
        }

        return null;
    }

    private static PodProblem? DiagnoseContainers(PodSnapshot pod, EventIndex events, DateTimeOffset now, AgentHealthOptions options)
    {
        var problems = pod.InitContainers.Select(c => DiagnoseContainer(pod, c, isInit: true, events, now, options))
            .Concat(pod.Containers.Select(c => DiagnoseContainer(pod, c, isInit: false, events, now, options)))
            .OfType<PodProblem>()
            .OrderBy(p => p.Kind)
            .ToList();

        if (problems.Count > 0)
        {
            return problems[0];
        }

        if (pod.Phase == PodPhase.Failed)
        {
            // Failed with no container to blame: deadline exceeded, node shutdown and the like.
            return new PodProblem(
                pod,
                ProblemKind.Crashed,
                $"pod {pod.Name} failed{Text.Colon(pod.Reason)}",
                [$"pod {pod.Name} failed{Text.Colon(pod.Message ?? pod.Reason)}"],
                PodStatusFormatter.LastTermination(pod)?.FinishedAt);
        }

        return null;
    }

    private static PodProblem? DiagnoseContainer(
        PodSnapshot pod,
        ContainerSnapshot c,
        bool isInit,
        EventIndex events,
        DateTimeOffset now,
        AgentHealthOptions options)
    {
        if (!c.HasStatus || (isInit && c.State is ContainerState.Terminated { ExitCode: 0 }))
        {
            return null;
        }

        var who = (isInit && !c.IsSidecar ? "init container " : "container ") + c.Name;
        var recentSince = now - options.RecentWindow;
        var last = c.State as ContainerState.Terminated ?? c.LastState as ContainerState.Terminated;
        // A termination matters while the container is down because of it, or for a while after it came back.
        var lastIsCurrentOrRecent = last is not null && (c.State is not ContainerState.Running || last.FinishedAt >= recentSince);
        var probeFailures = events.ForContainer(pod, c.Name).Where(EventEvidence.IsLivenessFailure).ToList();
        var killedByProbe = last is { ExitCode: SigKillExitCode or SigTermExitCode } && !IsOomReason(last) && probeFailures.Count > 0;

        if (c.State is ContainerState.Waiting { Reason: { } pullReason } pulling && ImagePullReasons.Contains(pullReason))
        {
            return Problem(
                ProblemKind.ImagePull,
                $"cannot pull image {c.Image}",
                [$"{who} cannot pull image {c.Image} ({pullReason}){Text.Colon(pulling.Message)}"],
                pod.CreationTimestamp);
        }

        if (last is not null && c.LastState == last && last.FinishedAt >= recentSince && probeFailures.Count == 0
            && Recovered(c, last, now, options) is { } upSince)
        {
            // Up and ready for longer than a crash loop stays up: the crash is history the board still shows for a while.
            return new PodProblem(pod, ProblemKind.Recovered,
                $"recovered: container {c.Name} {(IsOom(last) ? "was OOMKilled" : "crashed")} {Text.Duration(last.FinishedAt, now)} ago",
                [$"{who} {Text.Exit(last)}{Text.Ago(last.FinishedAt, now)}; restarted {Text.Times(c.RestartCount)}; running and ready for {Text.Duration(upSince, now)} since"],
                last.FinishedAt);
        }

        if (last is not null && lastIsCurrentOrRecent && !killedByProbe && IsOom(last))
        {
            return OomKilled(c, who, last, now, pod);
        }

        if ((killedByProbe && lastIsCurrentOrRecent) || (c.State is ContainerState.Running && probeFailures.Count > 0))
        {
            return LivenessFailing(c, who, killedByProbe ? last : null, now, pod);
        }

        if (c.State is ContainerState.Waiting { Reason: KubeReasons.CrashLoopBackOff } backOff)
        {
            var backOffFor = BackOffDelay().Match(backOff.Message ?? "") is { Success: true } m ? $" (back-off {m.Groups[1].Value})" : "";
            var lastExit = last is null ? "" : $"; last {Text.Exit(last)}{Text.Ago(last.FinishedAt, now)}";
            return Problem(
                ProblemKind.CrashLoop,
                CrashHeadline(c, last),
                [$"{who} is in CrashLoopBackOff{backOffFor} after {Text.Count(c.RestartCount, "restart")}{lastExit}", .. TerminationMessage(who, last)],
                last?.FinishedAt);
        }

        if (c.State is ContainerState.Waiting { Reason: { } configReason } config && ConfigErrorReasons.Contains(configReason))
        {
            return Problem(
                ProblemKind.ConfigError,
                $"container {c.Name} cannot start: {configReason}",
                [$"{who} cannot start ({configReason}){Text.Colon(config.Message)}"],
                pod.CreationTimestamp);
        }

        if (c.State is ContainerState.Terminated terminated && (terminated.ExitCode != 0 || !isInit))
        {
            var willRestart = pod.Phase != PodPhase.Failed && !(pod.RestartPolicy == "Never" || (terminated.ExitCode == 0 && pod.RestartPolicy == "OnFailure"));
            if (!willRestart && terminated.ExitCode == 0)
            {
                return null;
            }

            return willRestart
                ? Problem(
                    ProblemKind.CrashLoop,
                    CrashHeadline(c, terminated),
                    [$"{who} {Text.Exit(terminated)}{Text.Ago(terminated.FinishedAt, now)} and is being restarted; {Text.Count(c.RestartCount, "restart")} so far", .. TerminationMessage(who, terminated)],
                    terminated.FinishedAt)
                : Problem(
                    ProblemKind.Crashed,
                    $"container {c.Name} {Text.Exit(terminated)} and will not be restarted",
                    [$"{who} {Text.Exit(terminated)}{Text.Ago(terminated.FinishedAt, now)} and will not be restarted (pod phase {pod.Phase}, restartPolicy {pod.RestartPolicy ?? "Always"})", .. TerminationMessage(who, terminated)],
                    terminated.FinishedAt);
        }

        if (c.LastState is ContainerState.Terminated previous
            && previous.FinishedAt >= recentSince
            && c.RestartCount >= options.CrashRestartThreshold
            && (previous.ExitCode != 0 || pod.RestartPolicy is null or "Always"))
        {
            // Between back-offs a crash-looping container runs for a moment; the restarts give it away.
            return Problem(
                ProblemKind.CrashLoop,
                CrashHeadline(c, previous),
                [$"{who} restarted {Text.Times(c.RestartCount)}; last {Text.Exit(previous)}{Text.Ago(previous.FinishedAt, now)}", .. TerminationMessage(who, previous)],
                previous.FinishedAt);
        }

        if (c.State is ContainerState.Running running)
        {
            return isInit && !c.IsSidecar
                ? StuckInitContainer(c, who, running, now, options, pod)
                : NotReady(c, who, running, now, options, pod);
        }

        if (c.State is ContainerState.Waiting { Reason: { Length: > 0 } waitReason } waiting)
        {
            var waitingSince = pod.StartTime ?? pod.CreationTimestamp;
            if (waitingSince is not null && now - waitingSince >= options.StartupGrace)
            {
                return Problem(
                    ProblemKind.StartupStuck,
                    $"pod stuck in {waitReason}",
                    [$"{who} has been waiting ({waitReason}) for {Text.Duration(waitingSince, now)}{Text.Colon(waiting.Message)}"],
                    waitingSince);
            }
        }

        return null;

        PodProblem Problem(ProblemKind kind, string headline, IReadOnlyList<string> evidence, DateTimeOffset? since) =>
            new(pod, kind, headline, evidence, since);
    }

    /// <summary>When the container came up, if it is running, ready and has been up for at least <see cref="AgentHealthOptions.RecoveredAfter"/>.</summary>
    private static DateTimeOffset? Recovered(ContainerSnapshot c, ContainerState.Terminated last, DateTimeOffset now, AgentHealthOptions options)
    {
        // Up since it started after the crash (never earlier than the crash itself, whatever the clocks say).
        var upSince = c is { Ready: true, State: ContainerState.Running { StartedAt: { } startedAt } }
            ? (last.FinishedAt is { } finished && finished > startedAt ? finished : startedAt)
            : (DateTimeOffset?)null;
        return upSince is not null && now - upSince >= options.RecoveredAfter ? upSince : null;
    }

    private static PodProblem OomKilled(ContainerSnapshot c, string who, ContainerState.Terminated last, DateTimeOffset now, PodSnapshot pod)
    {
        var limit = c.Resources.MemoryLimit;
        var how = IsOomReason(last) ? KubeReasons.OomKilled : "SIGKILL, usually the OOM killer";
        List<string> evidence =
        [
            $"{who} exited {last.ExitCode} ({how}){Text.Ago(last.FinishedAt, now)}; restarted {Text.Times(c.RestartCount)}; "
                + (limit is null ? "no memory limit set" : $"memory limit {limit}"),
        ];
        if (c.State is ContainerState.Waiting { Reason: KubeReasons.CrashLoopBackOff })
        {
            evidence.Add($"{who} is in CrashLoopBackOff because of it");
        }

        return new PodProblem(
            pod,
            ProblemKind.OomKilled,
            $"container {c.Name} OOMKilled" + (limit is null ? " (no memory limit set)" : $" at its {limit} memory limit"),
            evidence,
            last.FinishedAt);
    }

    private static PodProblem LivenessFailing(ContainerSnapshot c, string who, ContainerState.Terminated? killed, DateTimeOffset now, PodSnapshot pod)
    {
        List<string> evidence =
        [
            killed is null
                ? $"{who} is failing its liveness probe"
                : $"{who} was restarted for failing its liveness probe: {Text.Exit(killed)}{Text.Ago(killed.FinishedAt, now)}; {Text.Count(c.RestartCount, "restart")} so far",
        ];
        if (c.LivenessProbe is { } liveness)
        {
            evidence.Add("liveness probe: " + liveness.Describe());
        }

        return new PodProblem(pod, ProblemKind.LivenessFailing, $"container {c.Name} fails its liveness probe", evidence, killed?.FinishedAt);
    }

    private static PodProblem? NotReady(
        ContainerSnapshot c,
        string who,
        ContainerState.Running running,
        DateTimeOffset now,
        AgentHealthOptions options,
        PodSnapshot pod)
    {
        if (c.Ready)
        {
            return null;
        }

        var startedAt = running.StartedAt ?? pod.StartTime ?? pod.CreationTimestamp;
        var grace = TimeSpan.FromSeconds(c.ReadinessProbe?.InitialDelaySeconds ?? 0) + options.NotReadyGrace;
        if (c.Started == false && c.StartupProbe is { } startup)
        {
            // The kubelet gives a startup probe this long before it kills the container; until then it is just slow.
            grace = TimeSpan.FromSeconds(startup.InitialDelaySeconds + ((long)startup.PeriodSeconds * startup.FailureThreshold)) + options.NotReadyGrace;
        }

        if (startedAt is null || now - startedAt < grace)
        {
            return null;
        }

        var probe = c.Started == false && c.StartupProbe is { } sp
            ? "startup probe has not passed: " + sp.Describe()
            : c.ReadinessProbe is { } rp ? "readiness probe: " + rp.Describe() : "it has no readiness probe";
        return new PodProblem(
            pod,
            ProblemKind.ReadinessFailing,
            $"container {c.Name} is running but not ready",
            [$"{who} has been running for {Text.Duration(startedAt, now)} but is not ready; {probe}"],
            startedAt + TimeSpan.FromSeconds(c.ReadinessProbe?.InitialDelaySeconds ?? 0));
    }

    private static PodProblem? StuckInitContainer(
        ContainerSnapshot c,
        string who,
        ContainerState.Running running,
        DateTimeOffset now,
        AgentHealthOptions options,
        PodSnapshot pod)
    {
        var startedAt = running.StartedAt ?? pod.StartTime;
        return startedAt is not null && now - startedAt >= options.StartupGrace
            ? new PodProblem(pod, ProblemKind.StartupStuck, "pod stuck initialising", [$"{who} still running after {Text.Duration(startedAt, now)}"], startedAt)
            : null;
    }

    private static string CrashHeadline(ContainerSnapshot c, ContainerState.Terminated? last) =>
        last is null ? $"container {c.Name} keeps crashing" : $"container {c.Name} keeps crashing ({Text.Exit(last)})";

    private static IEnumerable<string> TerminationMessage(string who, ContainerState.Terminated? terminated) =>
        string.IsNullOrWhiteSpace(terminated?.Message) ? [] : [$"{who} termination message{Text.Colon(terminated.Message)}"];

    private static bool IsOomReason(ContainerState.Terminated t) => t.Reason == KubeReasons.OomKilled;

    // The runbook treats exit 137 as OOM; a SIGKILL the kubelet sent for a failed probe is ruled out by the caller.
    private static bool IsOom(ContainerState.Terminated t) =>
        IsOomReason(t) || (t.ExitCode == SigKillExitCode && t.Reason != KubeReasons.Completed);

    [GeneratedRegex(@"^back-off (\S+)", RegexOptions.IgnoreCase)]
    private static partial Regex BackOffDelay();
}

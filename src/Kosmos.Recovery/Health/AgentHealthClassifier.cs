using Kosmos.Recovery.Model;
using Kosmos.Recovery.Status;

namespace Kosmos.Recovery.Health;

/// <summary>
/// Decides an agent's health from its Deployment, pods and recent events. Pure and thread-safe: everything
/// time-relative is measured against the <c>now</c> passed in.
/// </summary>
/// <remarks>
/// Precedence: no deployment and no pods is Unknown; zero replicas desired is ScaledToZero. Otherwise
/// each running pod gets its most telling problem (an OOM kill explains a crash loop; a probe kill explains a
/// restart). One kind of specific problem names the state even when other pods serve (a rollout stuck on a bad
/// image is ImagePull, not Degraded). Mixed or unexplained problems next to serving pods are Degraded; with no pod
/// serving, the most severe problem wins. Without problems, an unfinished rollout or pods still starting is
/// Progressing, and everything ready is Healthy. Finished pods are only judged when nothing else is running. A pod that
/// crashed recently but has served since counts as serving; when that is all there is, the agent is Recovered. While a
/// new revision rolls out, problems only in pods of an older template (other image or resources) make it Progressing:
/// they are what the rollout replaces.
/// </remarks>
public static class AgentHealthClassifier
{
    public static AgentHealth Classify(
        DeploymentSnapshot? deployment,
        IReadOnlyList<PodSnapshot> pods,
        IReadOnlyList<EventSnapshot> events,
        DateTimeOffset now,
        AgentHealthOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(events);
        options ??= AgentHealthOptions.Default;

        var agent = new AgentView(deployment, pods, new EventIndex(events, now - options.RecentWindow), now, options);
        if (deployment is null && pods.Count == 0)
        {
            return agent.Verdict(HealthState.Unknown, "no deployment or pods found", ["no Deployment and no pods with this app label"], null, RunbookSection.None);
        }

        if (deployment is { DesiredReplicas: 0 })
        {
            return ScaledToZero(agent);
        }

        // Pods that finished are history while others run; a bare pod that ran to its end is all there is to judge.
        var judged = agent.Live.Count > 0 ? agent.Live : agent.Finished;
        var problems = judged
            .Select(p => PodDiagnostics.Diagnose(p, agent.Events, now, options))
            .OfType<PodProblem>()
            .ToList();

        return problems.Count > 0 ? FromProblems(agent, problems) : WithoutProblems(agent);
    }

    private static AgentHealth ScaledToZero(AgentView agent)
    {
        List<string> evidence = ["spec.replicas is 0"];
        if (agent.Terminating.Count + agent.Live.Count > 0)
        {
            evidence.Add($"{Text.Count(agent.Terminating.Count + agent.Live.Count, "pod")} still shutting down");
        }

        return agent.Verdict(
            HealthState.ScaledToZero,
            "scaled to zero (0 replicas desired)",
            evidence,
            agent.Deployment?.GetCondition(ConditionTypes.Available)?.LastTransitionTime,
            RunbookSection.None);
    }

    private static AgentHealth FromProblems(AgentView agent, List<PodProblem> problems)
    {
        var current = problems.Where(p => p.Kind != ProblemKind.Recovered).ToList();
        if (current.Count == 0)
        {
            return agent.Rollout is null && agent.ReadyPods >= agent.DesiredPods ? Recovered(agent, problems) : WithoutProblems(agent);
        }

        // Pods that recovered serve; the problems of the others tell the story.
        problems = current;
        if (agent.Rollout is not null && agent.Deployment is { } deployment && problems.All(p => IsOutdated(p.Pod, deployment.Template)))
        {
            return Replacing(agent, problems);
        }

        var ordered = problems.OrderBy(p => p.Kind).ToList();
        var top = ordered[0];
        var states = problems.Select(p => p.State).Distinct().ToList();
        var serving = agent.Live.Where(p => p.IsReady && problems.All(x => x.Pod != p)).ToList();

        var state = states.Count == 1 && top.IsSpecific ? top.State
            : serving.Count > 0 ? HealthState.Degraded
            : top.State;

        // For a named state, the pods showing it lead; for Degraded, every problem is part of the story.
        var focus = state == HealthState.Degraded ? ordered : [.. ordered.Where(p => p.State == state)];
        var rest = ordered.Except(focus);
        var affected = focus.Select(p => p.Pod.Name).Distinct().ToList();

        var summary = state == HealthState.Degraded
            ? $"{agent.ReadyText}; {top.Headline}" + (states.Count > 1 ? $" and {Text.Count(ordered.Count - 1, "other problem")}" : "")
            : top.Headline + (affected.Count > 1 ? $" in {affected.Count} pods" : "") + $"; {agent.ReadyText}";

        IEnumerable<string> evidence = [.. focus.Concat(rest).SelectMany(p => p.Evidence), .. agent.DeploymentEvidence()];
        var since = focus.Select(p => p.Since).Where(t => t is not null).DefaultIfEmpty().Min();
        var section = state == HealthState.Unknown ? RunbookSection.None : top.Section;
        return agent.Verdict(state, summary, evidence, since, section, affected);
    }

    private static AgentHealth Recovered(AgentView agent, List<PodProblem> recovered)
    {
        var latest = recovered.OrderByDescending(p => p.Since ?? DateTimeOffset.MinValue).First();
        return agent.Verdict(
            HealthState.Recovered,
            $"{latest.Headline}; {agent.ReadyText}",
            [agent.ReadyText, .. recovered.SelectMany(p => p.Evidence), .. agent.DeploymentEvidence()],
            latest.Since,
            RunbookSection.None,
            recovered.Select(p => p.Pod.Name).Distinct());
    }

    private static AgentHealth Replacing(AgentView agent, List<PodProblem> old)
    {
        // E.g. the OOM-killed pod of the old 256Mi template while the 2Gi one rolls out: its headline is not the agent's now.
        return agent.Verdict(
            HealthState.Progressing,
            $"{agent.Rollout}; {agent.ReadyText}",
            [.. old.Select(p => $"pod {p.Pod.Name} of the previous template (being replaced): {p.Headline}"), .. agent.DeploymentEvidence()],
            old.Select(p => p.Since).Where(t => t is not null).DefaultIfEmpty().Min(),
            RunbookSection.None);
    }

    /// <summary>Whether a pod runs another image, resources or environment than the Deployment's template now has for the same container.</summary>
    private static bool IsOutdated(PodSnapshot pod, PodTemplateSnapshot template) =>
        pod.Containers.Any(c => template.Containers.FirstOrDefault(t => t.Name == c.Name) is { } spec
            && (spec.Image != c.Image || spec.Resources != c.Resources || spec.Env != c.Env || spec.EnvFrom != c.EnvFrom));

    private static AgentHealth WithoutProblems(AgentView agent)
    {
        var deployment = agent.Deployment;
        if (deployment is not null && RolloutStatus.HasExceededDeadline(deployment))
        {
            var progressing = deployment.GetCondition(ConditionTypes.Progressing)!;
            return agent.Verdict(
                HealthState.Degraded,
                $"rollout stalled: {agent.ReadyText}",
                [$"rollout exceeded its progress deadline{Text.Colon(progressing.Message)}", .. agent.DeploymentEvidence()],
                progressing.LastTransitionTime,
                RunbookSection.None);
        }

        if (deployment?.GetCondition(ConditionTypes.ReplicaFailure) is { IsTrue: true } replicaFailure)
        {
            return agent.Verdict(
                HealthState.Pending,
                $"pods cannot be created{Text.Colon(replicaFailure.Reason)}; {agent.ReadyText}",
                [$"ReplicaFailure ({replicaFailure.Reason}){Text.Colon(replicaFailure.Message)}", .. agent.DeploymentEvidence()],
                replicaFailure.LastTransitionTime,
                RunbookSection.Pending);
        }

        if (agent.Live.Count == 0 && agent.Finished.Count > 0 && agent.Finished.All(p => p.Phase == PodPhase.Succeeded))
        {
            var done = agent.Finished[0];
            var finishedAt = PodStatusFormatter.LastTermination(done)?.FinishedAt;
            return agent.Verdict(
                HealthState.Healthy,
                $"pod {done.Name} completed successfully; nothing is running",
                [$"pod {done.Name} is Succeeded: all containers exited 0{Text.Ago(finishedAt, agent.Now)}"],
                finishedAt,
                RunbookSection.None);
        }

        if (deployment is null && agent.Live.Count == 0 && agent.Finished.Count == 0)
        {
            // Only pods on their way out and nothing that will replace them: a shutdown, not a start.
            return agent.Verdict(
                HealthState.Progressing,
                "shutting down; nothing else is running",
                agent.DeploymentEvidence(),
                agent.Terminating.Min(p => p.DeletionTimestamp),
                RunbookSection.None);
        }

        var starting = agent.Live.Where(p => !p.IsReady).ToList();
        if (agent.Rollout is not null || starting.Count > 0 || agent.ReadyPods < agent.DesiredPods)
        {
            List<string> evidence = [];
            evidence.AddRange(starting.Select(p =>
                $"pod {p.Name} is starting ({PodStatusFormatter.Status(p)}, {PodStatusFormatter.Ready(p)} ready) for {PodStatusFormatter.Age(p, agent.Now)}"));
            var missing = agent.DesiredPods - agent.Live.Count;
            if (missing > 0)
            {
                evidence.Add($"waiting for {Text.Count(missing, "more pod")} to be created");
            }

            // Progress started when the oldest pod still on its way up was created, or, with none, when the rollout last moved.
            var since = starting.Count > 0
                ? starting.Min(p => p.CreationTimestamp)
                : deployment?.GetCondition(ConditionTypes.Progressing)?.LastUpdateTime;
            return agent.Verdict(
                HealthState.Progressing,
                (agent.Rollout ?? "starting") + $"; {agent.ReadyText}",
                [.. evidence, .. agent.DeploymentEvidence()],
                since,
                RunbookSection.None);
        }

        var readySince = deployment?.GetCondition(ConditionTypes.Available) is { IsTrue: true } available
            ? available.LastTransitionTime
            : agent.Live.Select(p => p.GetCondition(ConditionTypes.Ready)?.LastTransitionTime).Where(t => t is not null).DefaultIfEmpty().Max();
        List<string> healthyEvidence = [$"{agent.ReadyText}", .. agent.DeploymentEvidence()];
        return agent.Verdict(HealthState.Healthy, agent.ReadyText, healthyEvidence, readySince, RunbookSection.None);
    }

    /// <summary>The agent's objects sorted into the groups the rules talk about.</summary>
    private sealed class AgentView
    {
        private readonly AgentHealthOptions _options;

        public AgentView(DeploymentSnapshot? deployment, IReadOnlyList<PodSnapshot> pods, EventIndex events, DateTimeOffset now, AgentHealthOptions options)
        {
            _options = options;
            Deployment = deployment;
            Events = events;
            Now = now;
            Name = deployment?.Name ?? pods.Select(p => p.AgentName).FirstOrDefault(n => n is not null) ?? (pods.Count > 0 ? pods[0].Name : "");
            Live = [.. pods.Where(p => !p.IsTerminating && !p.IsTerminal)];
            Terminating = [.. pods.Where(p => p.IsTerminating)];
            Finished = [.. pods.Where(p => !p.IsTerminating && p.IsTerminal)];
            ReadyPods = Live.Count(p => p.IsReady);
            Rollout = deployment is not null && RolloutStatus.IsRollingOut(deployment) ? RolloutStatus.Describe(deployment) : null;

            // A bare pod (no Deployment) wants itself.
            DesiredPods = deployment?.DesiredReplicas ?? Math.Max(Live.Count, Finished.Count);
        }

        public DeploymentSnapshot? Deployment { get; }

        public EventIndex Events { get; }

        public DateTimeOffset Now { get; }

        public string Name { get; }

        public List<PodSnapshot> Live { get; }

        public List<PodSnapshot> Terminating { get; }

        public List<PodSnapshot> Finished { get; }

        public int ReadyPods { get; }

        public int DesiredPods { get; }

        /// <summary>What an unfinished rollout waits for; null when no new revision is rolling out.</summary>
        public string? Rollout { get; }

        public string ReadyText => $"{ReadyPods}/{DesiredPods} pods ready";

        /// <summary>Rollout progress, pods on their way out, and warnings about the Deployment and its ReplicaSets.</summary>
        public IEnumerable<string> DeploymentEvidence()
        {
            if (Rollout is not null)
            {
                yield return Rollout;
            }

            if (Terminating.Count > 0)
            {
                yield return $"{Text.Count(Terminating.Count, "pod")} terminating: {string.Join(", ", Terminating.Select(p => p.Name))}";
            }

            if (Deployment is not null)
            {
                foreach (var line in EventEvidence.Describe(Events.ForDeployment(Deployment).Where(e => e.IsWarning), Now))
                {
                    yield return line;
                }
            }
        }

        public AgentHealth Verdict(
            HealthState state,
            string summary,
            IEnumerable<string> evidence,
            DateTimeOffset? since,
            RunbookSection section,
            IEnumerable<string>? affectedPods = null) =>
            new(
                Name,
                state,
                summary,
                evidence.Distinct(StringComparer.Ordinal).Take(_options.MaxEvidence).ToValueList(),
                since,
                section,
                ReadyPods,
                DesiredPods,
                (affectedPods ?? []).ToValueList());
    }
}

using Kosmos.Recovery.Health;
using Kosmos.Recovery.Model;
using Kosmos.Recovery.Tests.Builders;
using static Kosmos.Recovery.Tests.Builders.Containers;
using static Kosmos.Recovery.Tests.Builders.PodBuilder;
using static Kosmos.Recovery.Tests.Builders.Workloads;

namespace Kosmos.Recovery.Tests.Health;

/// <summary>
/// The labels a person read wrong on the demo fleet (issue 13): what the board says beside "1/1 pods ready", for a
/// Deployment at zero replicas, and after the memory limit was raised.
/// </summary>
public sealed class MisleadingLabelTests
{
    private static readonly DateTimeOffset Now = Clock.At(30);

    public sealed record LabelCase(string Name, DeploymentSnapshot Deployment, PodSnapshot[] Pods, HealthState State, string Label, string SummaryStart)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<LabelCase> Cases => new()
    {
        new LabelCase(
            "crashed 12 min ago, up and ready since: recovered, not a crash loop",
            Deployment(),
            [Pod().Container(Running("agent", startedAt: Clock.At(18)).WithRestarts(4).WithLastTermination("Error", 1, Clock.At(18))).Ready().Build()],
            HealthState.Recovered,
            "Recovered",
            "recovered: container agent crashed 12m ago; 1/1 pods ready"),
        new LabelCase(
            "OOM-killed 5 min ago, up and ready since",
            Deployment(),
            [Pod().Container(Running("agent", startedAt: Clock.At(25)).WithRestarts(2).WithLastTermination(KubeReasons.OomKilled, ExitCodes.SigKill, Clock.At(25))).Ready().Build()],
            HealthState.Recovered,
            "Recovered",
            "recovered: container agent was OOMKilled 5m ago; 1/1 pods ready"),
        new LabelCase(
            "up for 30 s between back-offs after 4 restarts: still a crash loop",
            Deployment(),
            [Pod().Container(Running("agent", startedAt: Clock.At(29, 30)).WithRestarts(4).WithLastTermination("Error", 1, Clock.At(29, 30))).Ready().Build()],
            HealthState.CrashLoopBackOff,
            "Crash loop",
            "container agent keeps crashing (exited 1 (Error)); 1/1 pods ready"),
        new LabelCase(
            "crashed 20 min ago (outside the recent window): plainly healthy",
            Deployment(),
            [Pod().Container(Running("agent", startedAt: Clock.At(10)).WithRestarts(4).WithLastTermination("Error", 1, Clock.At(10))).Ready().Build()],
            HealthState.Healthy,
            "Healthy",
            "1/1 pods ready"),
        new LabelCase(
            "zero replicas desired: scaled to zero, not a green Healthy 0/0",
            Deployment(desired: 0),
            [],
            HealthState.ScaledToZero,
            "Scaled to zero",
            "scaled to zero (0 replicas desired)"),
        new LabelCase(
            "limit raised to 2Gi, old 256Mi pod still OOM-killed while the new one starts: progressing, not 'OOMKilled at its 256Mi limit'",
            Rolling(Deployment(), "2Gi"),
            [
                Pod("agent-old-aaaaa").Container(Waiting("agent", KubeReasons.CrashLoopBackOff).WithMemoryLimit("256Mi").WithRestarts(5)
                    .WithLastTermination(KubeReasons.OomKilled, ExitCodes.SigKill, Clock.At(29))).Build(),
                Pod("agent-new-bbbbb").Container(Running("agent", ready: false, startedAt: Clock.At(29, 50)).WithMemoryLimit("2Gi")).Build(),
            ],
            HealthState.Progressing,
            "Progressing",
            "rollout in progress: 1 old replicas are pending termination"),
        new LabelCase(
            "the new 2Gi pod OOM-killed too: the headline names the 2Gi it had",
            Deployment().WithTemplateLimit("2Gi"),
            [Pod().Container(Waiting("agent", KubeReasons.CrashLoopBackOff).WithMemoryLimit("2Gi").WithRestarts(1)
                .WithLastTermination(KubeReasons.OomKilled, ExitCodes.SigKill, Clock.At(29))).Build()],
            HealthState.OOMKilled,
            "Out of memory",
            "container agent OOMKilled at its 2Gi memory limit; 0/1 pods ready"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classify_Case_StateLabelAndSummary(LabelCase c)
    {
        var health = AgentHealthClassifier.Classify(c.Deployment, c.Pods, [], Now);

        Assert.Equal(c.State, health.State);
        Assert.Equal(c.Label, HealthStatePresentation.For(health.State).Label);
        Assert.StartsWith(c.SummaryStart, health.Summary, StringComparison.Ordinal);
        if (c.State == HealthState.Progressing)
        {
            Assert.EndsWith("; 0/1 pods ready", health.Summary, StringComparison.Ordinal);
            Assert.DoesNotContain("OOMKilled", health.Summary, StringComparison.Ordinal);
            Assert.Contains($"pod agent-old-aaaaa of the previous template (being replaced): container agent OOMKilled at its 256Mi memory limit", health.Evidence);
        }
    }

    // A Deployment whose new template (memory limit) is rolling out: observed, one updated replica not yet available.
    private static DeploymentSnapshot Rolling(DeploymentSnapshot d, string limit) => d.WithTemplateLimit(limit) with
    {
        Generation = 2,
        ObservedGeneration = 2,
        UpdatedReplicas = 1,
        ReadyReplicas = 0,
        AvailableReplicas = 0,
        UnavailableReplicas = 1,
        CurrentReplicas = 2,
    };
}

internal static class TemplateLimits
{
    public static DeploymentSnapshot WithTemplateLimit(this DeploymentSnapshot d, string limit) => d with
    {
        Template = new PodTemplateSnapshot { Containers = [Spec("agent").WithMemoryLimit(limit)] },
    };
}

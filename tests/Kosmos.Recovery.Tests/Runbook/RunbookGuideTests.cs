using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Recovery.Runbook;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Health;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Tests.Runbook;

public sealed class RunbookGuideTests
{
    [Fact]
    public void Build_OomAgentBelowTheRunbooksLimit_SuggestsTheRunbooksValuesAndLeavesOutTheRestart()
    {
        var detail = TestData.OomDetail();

        var guide = RunbookGuide.Build(detail, TestData.Now)!;

        Assert.Equal(RunbookSection.OutOfMemory, guide.Section.Section);
        Assert.Equal("512Mi", Fact(guide, "memory-limit"));
        Assert.Equal("256Mi", Fact(guide, "memory-request"));
        Assert.Equal("restarted 5 times; last OOMKilled, exit code 137, 2m ago", Fact(guide, "times-killed"));
        Assert.Equal($"512Mi (the limit pod {detail.Pods[0].Name} ran with)", Fact(guide, "killed-at"));
        Assert.StartsWith("2Gi (the runbook's values: container agent was OOMKilled", Fact(guide, "suggested-limit"), StringComparison.Ordinal);
        Assert.Equal("1Gi", Fact(guide, "suggested-request"));

        // The runbook's command as the runbook writes it (names filled in); its restart is not listed, and says why.
        Assert.Equal(["kubectl set resources deployment memory-agent -n kosmos --limits=memory=2Gi --requests=memory=1Gi"], guide.ResolutionCommands);
        var skipped = Assert.Single(guide.NotNeeded);
        Assert.Equal("kubectl rollout restart deployment memory-agent -n kosmos", skipped.Command);
        Assert.Equal(RunbookGuide.SetResourcesNote, skipped.Why);

        var suggestion = Assert.Single(guide.Suggestions);
        Assert.Equal(ActionKind.SetResources, suggestion.Action);
        Assert.Equal("kubectl set resources deployment memory-agent -n kosmos -c agent --limits=memory=2Gi --requests=memory=1Gi", suggestion.Command);
        Assert.Equal("container=agent, limits.memory=2Gi, requests.memory=1Gi", suggestion.Values.ToString());
        Assert.Null(guide.PreviousLog);
    }

    [Fact]
    public void Build_OomKilledAtTheRunbooksLimit_SuggestsMoreAndSaysWhy()
    {
        var detail = OomAt(killedAt: "2Gi", deployment: "2Gi");

        var guide = RunbookGuide.Build(detail, TestData.Now)!;

        Assert.StartsWith("4Gi (more than the runbook's 2Gi: container agent was OOMKilled", Fact(guide, "suggested-limit"), StringComparison.Ordinal);
        Assert.Contains("so 2Gi is not enough", Fact(guide, "suggested-limit"), StringComparison.Ordinal);
        Assert.Equal("2Gi", Fact(guide, "suggested-request"));
        Assert.Equal("kubectl set resources deployment memory-agent -n kosmos -c agent --limits=memory=4Gi --requests=memory=2Gi", Assert.Single(guide.Suggestions).Command);
        Assert.Equal(["kubectl set resources deployment memory-agent -n kosmos --limits=memory=2Gi --requests=memory=1Gi"], guide.ResolutionCommands);
    }

    [Fact]
    public void Build_OomLimitRaisedInDeploymentAlready_NothingToSetAndSaysSo()
    {
        var detail = OomAt(killedAt: "512Mi", deployment: "2Gi");

        var guide = RunbookGuide.Build(detail, TestData.Now)!;

        Assert.Equal("2Gi", Fact(guide, "memory-limit"));
        Assert.StartsWith("2Gi (the Deployment already has a 2Gi limit", Fact(guide, "suggested-limit"), StringComparison.Ordinal);
        Assert.Empty(guide.Suggestions);
    }

    [Fact]
    public void Build_CrashLoop_TargetsPreviousLogAndFillsDiagnosisCommands()
    {
        var detail = TestData.CrashDetail();
        var pod = detail.Pods[0].Name;

        var guide = RunbookGuide.Build(detail, TestData.Now)!;

        Assert.Equal(new LogTarget(pod, "agent"), guide.PreviousLog);
        Assert.Equal($"agent in pod {pod}", Fact(guide, "container"));
        Assert.Equal("4", Fact(guide, "restarts"));
        Assert.Equal("Error, exit code 1, 60s ago", Fact(guide, "last-exit"));
        Assert.Equal([$"kubectl describe pod {pod} -n kosmos", $"kubectl logs {pod} -n kosmos --previous"], guide.DiagnosisCommands.Select(c => c.Command));
        // The Runbook tab shows the crashed run's error lines before (above) its diagnosis steps.
        Assert.StartsWith("the last error lines of the crashed run are above", guide.DiagnosisCommands[1].DoneBy, StringComparison.Ordinal);
        Assert.Equal([new DependencyHint("VECTOR_STORE_URL", "vector-store", "kosmos", "vector-store")], guide.Dependencies);
    }

    [Fact]
    public void Build_CrashLoopDependencyUrlFromAConfigMap_DependencyFoundInThePreviousLog()
    {
        var detail = TestData.CrashDetail();
        var pod = detail.Pods[0];
        detail = detail with
        {
            Pods = [pod with { Containers = [pod.Containers[0] with { Env = [EnvVarSnapshot.FromConfigMap("KOSMOS_VECTOR_STORE_URL", "chat-config", "vector-store-url")] }] }],
        };

        var guide = RunbookGuide.Build(detail, TestData.Now, ["INFO config: KOSMOS_VECTOR_STORE_URL=http://vector-store.kosmos.svc:8080", "ERROR dependency vector-store unavailable"])!;

        Assert.Equal([new DependencyHint("KOSMOS_VECTOR_STORE_URL", "vector-store.kosmos.svc", "kosmos", "vector-store")], guide.Dependencies);
    }

    [Fact]
    public void Build_ImagePull_SuggestsSetImageToTheImageThePreviousRevisionRan()
    {
        var guide = RunbookGuide.Build(TestData.ImagePullDetail(), TestData.Now)!;

        var step = Assert.Single(guide.Suggestions);
        Assert.Equal(ActionKind.SetImage, step.Action);
        Assert.Equal(new SetImageRequest("agent", "ghcr.io/kosmos-ai/vector-store:2.4.2"), SetImageRequest.From(step.Values, out _));
        Assert.Equal("kubectl set image deployment/vector-store -n kosmos agent=ghcr.io/kosmos-ai/vector-store:2.4.2", step.Command);
        Assert.StartsWith("Set image of container agent to ghcr.io/kosmos-ai/vector-store:2.4.2: ghcr.io/kosmos-ai/vector-store:2.5.0-rc1 cannot be pulled, and", step.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ConfigErrorNeverStarted_NoPreviousLogButMissingSecretHint()
    {
        var detail = TestData.CrashDetail();
        var pod = detail.Pods[0] with
        {
            Containers =
            [
                TestData.AgentContainer() with
                {
                    StatusIndex = 0,
                    RestartCount = 0,
                    State = new ContainerState.Waiting(KubeReasons.CreateContainerConfigError, "secret \"kosmos-llm\" not found"),
                    LastState = null,
                },
            ],
        };
        var evidence = new[] { "container agent cannot start (CreateContainerConfigError): secret \"kosmos-llm\" not found" };
        detail = detail with
        {
            Pods = [pod],
            Summary = detail.Summary with { Health = detail.Summary.Health with { Evidence = evidence.ToValueList() } },
        };

        var guide = RunbookGuide.Build(detail, TestData.Now)!;

        Assert.Null(guide.PreviousLog);
        Assert.Equal("CreateContainerConfigError: secret \"kosmos-llm\" not found", Fact(guide, "waiting"));

        // No crashed run, so no error lines on the page: the --previous step must not point at them.
        Assert.Null(guide.DiagnosisCommands.Single(c => c.Command.Contains("--previous", StringComparison.Ordinal)).DoneBy);
        Assert.Equal([new ConfigHint("secret kosmos-llm", "not found")], guide.ConfigHints);
    }

    [Fact]
    public void Build_Unresponsive_ProbesFailuresAndTimeSinceReady()
    {
        var detail = TestData.UnresponsiveDetail();

        var guide = RunbookGuide.Build(detail, TestData.Now)!;

        Assert.Equal(TestData.Liveness.Describe(), Fact(guide, "liveness"));
        Assert.Equal(TestData.Readiness.Describe(), Fact(guide, "readiness"));
        Assert.Equal("9 failures, last 20s ago: Liveness probe failed: HTTP probe failed with statuscode: 503", Fact(guide, "probe-failures"));
        Assert.Equal("12m (since 2025-12-13 09:48:00 UTC)", Fact(guide, "not-ready-for"));
        Assert.Equal(["kubectl get pods -n kosmos -l app=slow-agent", "kubectl exec -it slow-agent-1 -n kosmos -- /bin/sh"], guide.DiagnosisCommands.Select(c => c.Command));
    }

    [Theory]
    [InlineData(HealthState.Healthy, RunbookSection.None)]
    [InlineData(HealthState.Progressing, RunbookSection.None)]
    [InlineData(HealthState.Degraded, RunbookSection.None)]
    public void Build_NoRunbookSection_Null(HealthState state, RunbookSection section)
    {
        var detail = new AgentDetail(TestData.Agent("x", state, section: section), null, [], [], [], [], []);

        Assert.Null(RunbookGuide.Build(detail, TestData.Now));
    }

    [Theory]
    [InlineData(RunbookSection.CrashLoopBackOff, "1. Pod CrashLoopBackOff", true)]
    [InlineData(RunbookSection.OutOfMemory, "2. Out of Memory (OOM)", true)]
    [InlineData(RunbookSection.UnresponsiveAgent, "3. Unresponsive Agent", true)]
    [InlineData(RunbookSection.Pending, "Pending pods (not in the runbook yet)", false)]
    [InlineData(RunbookSection.ImagePull, "Image cannot be pulled (not in the runbook yet)", false)]
    public void For_Section_RunbookTitle(RunbookSection section, string title, bool inRunbook)
    {
        var text = RunbookText.For(section)!;

        Assert.Equal((title, inRunbook), (text.Title, text.InRunbook));
    }

    // The OOM-killed memory-agent whose pod ran with a limit of killedAt, and whose Deployment now has deployment.
    private static AgentDetail OomAt(string killedAt, string deployment)
    {
        var detail = TestData.OomDetail();
        var pod = detail.Pods[0];
        pod = pod with { Containers = [.. pod.Containers.Select(c => c with { Resources = c.Resources with { Limits = StringMap.Of(("memory", killedAt)) } })] };
        var template = TestData.AgentContainer(memoryLimit: deployment);
        return detail with
        {
            Pods = [pod],
            Deployment = detail.Deployment! with { Template = new PodTemplateSnapshot { Containers = [template] } },
        };
    }

    private static string Fact(RunbookGuide guide, string key) => guide.Facts.First(f => f.Key == key).Value;
}

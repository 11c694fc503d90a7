using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;
using Kosmos.Recovery.Runbook;

namespace Kosmos.Recovery.Tests.Runbook;

public sealed class MemoryAdviceTests
{
    [Theory]
    // killed at | Deployment limit, request now | suggested limit, request | the runbook's values | already set
    [InlineData("256Mi", "256Mi", "128Mi", "2Gi", "1Gi", true, false)]
    [InlineData("1536Mi", "1536Mi", "1Gi", "2Gi", "1Gi", true, false)]
    [InlineData(null, null, null, "2Gi", "1Gi", true, false)]
    [InlineData("256Mi", "256Mi", "1536Mi", "2Gi", "1536Mi", true, false)] // a request set on purpose is not lowered
    [InlineData("2Gi", "2Gi", "1Gi", "4Gi", "2Gi", false, false)]        // killed at the runbook's limit: it is not enough
    [InlineData("3Gi", "3Gi", "1Gi", "6Gi", "3Gi", false, false)]
    [InlineData("256Mi", "2Gi", "1Gi", "2Gi", "1Gi", true, true)]         // raised since the kill: its pods are being replaced
    [InlineData("2Gi", "8Gi", "1Gi", "4Gi", "2Gi", false, true)]
    public void Suggest_KilledAtLimit_RunbookValuesUnlessNotEnough(string? killedAt, string? limitNow, string? requestNow,
        string limit, string request, bool fromRunbook, bool alreadySet)
    {
        var suggestion = Assert.Single(MemoryAdvice.Suggest(Detail(killedAt, limitNow, requestNow)));

        Assert.Equal((limit, request, fromRunbook, alreadySet), (suggestion.Limit, suggestion.Request, suggestion.FromRunbook, suggestion.AlreadySet));
        Assert.Equal(killedAt, suggestion.KilledAt);
    }

    [Fact]
    public void Suggest_KilledAtTheRunbooksLimit_SaysWhyTheRunbookIsNotEnough()
    {
        var suggestion = Assert.Single(MemoryAdvice.Suggest(Detail("2Gi", "2Gi", "1Gi")));

        Assert.Equal($"more than the runbook's 2Gi: container agent was OOMKilled (pod {TestData.OomPod().Name}) at a 2Gi limit, so 2Gi is not enough; this doubles 2Gi, rounded up", suggestion.Why);
    }

    [Fact]
    public void Suggest_NoOomKill_Nothing()
    {
        var detail = TestData.OomDetail();
        detail = detail with { Pods = [TestData.HealthyPod("memory-agent-1", "memory-agent")] };

        Assert.Empty(MemoryAdvice.Suggest(detail));
    }

    [Theory]
    [InlineData(KubeReasons.OomKilled, 137, true)]
    [InlineData("Error", ExitCodes.SigKill, true)]
    [InlineData(KubeReasons.Completed, 137, false)]
    [InlineData("Error", 1, false)]
    public void OomKill_ReasonOrExit137(string reason, int exitCode, bool oom)
    {
        var container = TestData.AgentContainer() with
        {
            LastState = new ContainerState.Terminated(reason, null, exitCode, null, TestData.Now.AddMinutes(-3), TestData.Now.AddMinutes(-2)),
        };

        Assert.Equal(oom, MemoryAdvice.OomKill(container) is not null);
    }

    private static AgentDetail Detail(string? killedAt, string? limitNow, string? requestNow)
    {
        var detail = TestData.OomDetail();
        var pod = detail.Pods[0];
        pod = pod with { Containers = [.. pod.Containers.Select(c => c with { Resources = Resources(killedAt, "256Mi") })] };
        var template = TestData.AgentContainer() with { Resources = Resources(limitNow, requestNow) };
        return detail with { Pods = [pod], Deployment = detail.Deployment! with { Template = new PodTemplateSnapshot { Containers = [template] } } };
    }

    private static ContainerResources Resources(string? limit, string? request) => new(
        request is null ? StringMap.Empty : StringMap.Of(("memory", request)),
        limit is null ? StringMap.Empty : StringMap.Of(("memory", limit)));
}

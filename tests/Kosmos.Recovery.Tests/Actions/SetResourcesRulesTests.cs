using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Model;
using Kosmos.Recovery.Quantities;
using Kosmos.Recovery.Tests.Builders;

namespace Kosmos.Recovery.Tests.Actions;

/// <summary>The set-resources rules: every refusal names the field and the value; nothing here talks to a cluster.</summary>
public sealed class SetResourcesRulesTests
{
    private static readonly AgentRef Agent = new("kosmos", "summarizer");

    // The summarizer as deploy/agents has it: requests cpu 250m / memory 128Mi, limits cpu 1 / memory 256Mi.
    private static readonly ContainerSnapshot AgentContainer = Containers.Spec("agent") with
    {
        Resources = new ContainerResources(StringMap.Of(("cpu", "250m"), ("memory", "128Mi")), StringMap.Of(("cpu", "1"), ("memory", "256Mi"))),
    };

    private static readonly PodTemplateSnapshot Template = new() { Containers = [AgentContainer, Containers.Spec("sidecar")] };

    public static TheoryData<string?, string?, string?, string?, string?, string> Refused => new()
    {
        // container, memory limit, memory request, cpu limit, cpu request → the error
        { "agent", "2Gx", null, null, null, "memory limit '2Gx' is not a valid quantity: " + Quantity.FormatError },
        { "agent", "1K", null, null, null, "memory limit '1K' is not a valid quantity: " + Quantity.SuffixError },
        { "agent", "2Gi", "1 Gi", null, null, "memory request '1 Gi' is not a valid quantity: " + Quantity.FormatError },
        { "agent", null, null, "one", null, "CPU limit 'one' is not a valid quantity: " + Quantity.FormatError },
        { "agent", "0", null, null, null, "memory limit must be more than zero (got '0')" },
        { "agent", "-1Gi", null, null, null, "memory limit must be more than zero (got '-1Gi')" },
        { "agent", null, null, null, "0m", "CPU request must be more than zero (got '0m')" },
        { "agent", "65Gi", null, null, null, "memory limit 65Gi is more than the largest this dashboard sets (64Gi); set it with kubectl if it is really meant" },
        { "agent", null, null, "128", null, "CPU limit 128 is more than the largest this dashboard sets (64); set it with kubectl if it is really meant" },
        { "agent", "1Gi", "2Gi", null, null, "Container agent: memory request 2Gi would be more than its memory limit 1Gi" },
        { "agent", null, "512Mi", null, null, "Container agent: memory request 512Mi would be more than its memory limit 256Mi (the current limit)" },
        { "agent", "100Mi", null, null, null, "Container agent: memory request 128Mi would be more than its memory limit 100Mi (the request is the current one: set a request too)" },
        { "agent", null, null, null, "2", "Container agent: CPU request 2 would be more than its CPU limit 1 (the current limit)" },
        { "worker", "2Gi", null, null, null, "Deployment kosmos/summarizer has no container 'worker' (its containers: agent, sidecar)" },
        { "agent", null, null, null, null, "Give at least one value to set: a memory or CPU limit or request" },
        { "agent", "256Mi", "128Mi", null, null, "Nothing would change: container agent already has limits.memory=256Mi, requests.memory=128Mi" },
        { "agent", "0.25Gi", null, "1000m", null, "Nothing would change: container agent already has limits.memory=256Mi, limits.cpu=1" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Check_BadRequest_RefusedWithASpecificMessage(string? container, string? memoryLimit, string? memoryRequest, string? cpuLimit, string? cpuRequest,
        string error)
    {
        var check = SetResourcesRules.Check(Agent, new SetResourcesRequest(container, memoryLimit, memoryRequest, cpuLimit, cpuRequest), Template, [], ResourceBounds.Default);

        Assert.False(check.Validation.IsValid);
        Assert.Equal(error, Assert.Single(check.Validation.Errors));
        Assert.Empty(check.Changes);
    }

    [Fact]
    public void Check_RunbookValues_ChangesLimitAndRequestBeforeToAfter()
    {
        var check = SetResourcesRules.Check(Agent, new SetResourcesRequest("agent", " 2Gi ", "1Gi", null, null), Template, [], ResourceBounds.Default);

        Assert.True(check.Validation.IsValid);
        Assert.Empty(check.Validation.Warnings);
        Assert.Equal(["agent limits.memory: 256Mi → 2Gi", "agent requests.memory: 128Mi → 1Gi"], check.Changes.Select(c => c.ToString()));
    }

    [Fact]
    public void Check_OneValueEqualByQuantity_OnlyTheOtherChanges()
    {
        var check = SetResourcesRules.Check(Agent, new SetResourcesRequest("agent", "1Gi", "0.125Gi", null, null), Template, [], ResourceBounds.Default);

        Assert.Equal("agent limits.memory: 256Mi → 1Gi", Assert.Single(check.Changes).ToString());
    }

    [Fact]
    public void Check_NoContainerNamed_EveryContainerAsKubectlDoes()
    {
        var check = SetResourcesRules.Check(Agent, new SetResourcesRequest(null, "1Gi", null, null, null), Template, [], ResourceBounds.Default);

        Assert.Equal(["agent limits.memory: 256Mi → 1Gi", "sidecar limits.memory: (none) → 1Gi"], check.Changes.Select(c => c.ToString()));
    }

    [Fact]
    public void Check_OomKilledAndLimitNotAboveIt_AllowedButWarned()
    {
        var pod = PodBuilder.Pod("summarizer-1").Container(AgentContainer.WithLastTermination(KubeReasons.OomKilled, 137, Clock.T0)).Build();

        var check = SetResourcesRules.Check(Agent, new SetResourcesRequest("agent", "200Mi", "100Mi", null, null), Template, [pod], ResourceBounds.Default);

        Assert.True(check.Validation.IsValid);
        Assert.Equal("Container agent was OOMKilled at a memory limit of 256Mi (pod summarizer-1): it needs more than that, so a limit of 200Mi will likely be OOMKilled again",
            Assert.Single(check.Validation.Warnings));
    }

    [Fact]
    public void Check_LimitLowered_Warned()
    {
        var check = SetResourcesRules.Check(Agent, new SetResourcesRequest("agent", "200Mi", "100Mi", null, null), Template, [], ResourceBounds.Default);

        Assert.Equal("Container agent's memory limit goes down from 256Mi to 200Mi: a pod that uses more is OOMKilled", Assert.Single(check.Validation.Warnings));
    }

    [Fact]
    public void Check_ConfiguredMaximum_IsTheBound()
    {
        var bounds = new ResourceBounds(Quantity.Parse("1Gi"), Quantity.Parse("2"));

        var check = SetResourcesRules.Check(Agent, new SetResourcesRequest("agent", "2Gi", null, null, null), Template, [], bounds);

        Assert.StartsWith("memory limit 2Gi is more than the largest this dashboard sets (1Gi)", Assert.Single(check.Validation.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_UnknownKeyInTheRequest_Refused()
    {
        var request = new ActionRequest(StringMap.Of(("limits.memory", "2Gi"), ("limits.gpu", "1")));
        var detail = new Kosmos.Recovery.Live.AgentDetail(null!, Workloads.Deployment(desired: 1) with { Template = Template }, [], [], [], [], []);

        var check = SetResourcesRules.Check(Agent, request, detail, ResourceBounds.Default);

        Assert.Equal("'limits.gpu' is not a value set resources takes (it takes: container, limits.cpu, limits.memory, requests.cpu, requests.memory)",
            Assert.Single(check.Validation.Errors));
    }

    [Fact]
    public void Request_RoundTripsThroughActionRequestAndPrintsKubectl()
    {
        var request = new SetResourcesRequest("agent", "2Gi", "1Gi", "", null);

        var back = SetResourcesRequest.From(request.ToActionRequest());

        Assert.Equal(new SetResourcesRequest("agent", "2Gi", "1Gi", null, null), back);
        Assert.Equal("kubectl set resources deployment summarizer -n kosmos -c agent --limits=memory=2Gi --requests=memory=1Gi", back.Kubectl(Agent));
        Assert.Equal("container=agent, limits.memory=2Gi, requests.memory=1Gi", request.ToActionRequest().ToString());
    }
}

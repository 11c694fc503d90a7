using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Kosmos.KubeSim.Fleet;
using Kosmos.KubeSim.Tests.Runtime;

namespace Kosmos.KubeSim.Tests.Fleet;

/// <summary>Agent behaviour documents and /sim/agents, over HTTP.</summary>
public sealed class AgentBehaviourTests(KubeletFixture fixture) : IClassFixture<KubeletFixture>
{
    [Fact]
    public async Task GetAgents_ListsTheDemoFleetsBehaviours()
    {
        var all = JsonNode.Parse(await fixture.Sim.GetStringAsync("/sim/agents"))!.AsObject();

        Assert.Equal(DemoBehaviours.All.Keys.Order(), all.Select(p => p.Key).Where(DemoBehaviours.All.ContainsKey).Order());
        Assert.Equal("700Mi", all["summarizer"]?["memory"]?["need"]?.GetValue<string>());
        Assert.Equal("vector-store", all["reviewer"]?["dependencies"]?[0]?["agent"]?.GetValue<string>());
        Assert.Equal("2.5.0-rc1", all["vector-store"]?["missingImageTags"]?[0]?.GetValue<string>());
    }

    [Fact]
    public async Task PutThenGet_RoundTripsABehaviour_AndDeleteMakesTheAgentHealthy()
    {
        const string Agent = "behaviour-roundtrip";
        using var put = await fixture.Sim.PutAsync($"/sim/agents/{Agent}/behaviour",
            new StringContent("""{"role":"coder","deadlock":{"afterSeconds":30},"requiredEnv":["KOSMOS_MODEL_ENDPOINT"]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var stored = JsonNode.Parse(await fixture.Sim.GetStringAsync($"/sim/agents/{Agent}/behaviour"))!;
        Assert.Equal("coder", stored["role"]?.GetValue<string>());
        Assert.Equal(30, stored["deadlock"]?["afterSeconds"]?.GetValue<double>());
        Assert.True(stored["deadlock"]?["oncePerAgent"]?.GetValue<bool>());
        Assert.Equal("KOSMOS_MODEL_ENDPOINT", stored["requiredEnv"]?[0]?.GetValue<string>());

        using var delete = await fixture.Sim.DeleteAsync($"/sim/agents/{Agent}/behaviour");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        using var gone = await fixture.Sim.GetAsync($"/sim/agents/{Agent}/behaviour");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Theory]
    [InlineData("""{"memory":{"need":"lots"}}""", "memory.need")]
    [InlineData("""{"deadlok":{}}""", "deadlok")]
    [InlineData("""{"workIntervalSeconds":0}""", "workIntervalSeconds")]
    [InlineData("""[1,2]""", "invalid behaviour")]
    public async Task Put_WithABadDocument_Is400NamingTheField(string body, string named)
    {
        using var put = await fixture.Sim.PutAsync("/sim/agents/behaviour-bad/behaviour", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Contains(named, await put.Content.ReadAsStringAsync());
    }

    [Fact]
    public void Behaviours_SetAgain_ReArmsAOneTimeDeadlock()
    {
        var behaviours = new AgentBehaviours();
        var deadlocking = new AgentBehaviour { Deadlock = new DeadlockBehaviour { AfterSeconds = 1 } };
        behaviours.Set("coder", deadlocking);

        Assert.True(behaviours.TryTriggerDeadlock("coder"));
        Assert.False(behaviours.TryTriggerDeadlock("coder"));
        Assert.True(behaviours.DeadlockSpent("coder"));

        behaviours.Set("coder", deadlocking);
        Assert.True(behaviours.TryTriggerDeadlock("coder"));
        Assert.False(behaviours.TryTriggerDeadlock("planner"));
    }
}

using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Recovery.Health;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Runbook;

namespace Kosmos.Recovery.Tests.Runbook;

/// <summary>When a restart cannot help, the guidance says why before anyone confirms one.</summary>
public sealed class AgentGuidanceTests
{
    [Fact]
    public void RestartWarnings_ConfigurationNamedInThePreviousLog_RestartWillCrashAgain()
    {
        var detail = TestData.CrashDetail();

        var guidance = AgentGuidance.Build(detail, TestData.Now, ["FATAL config: required setting KOSMOS_MODEL_ENDPOINT is not set"], null, (_, _) => null);

        Assert.StartsWith("The cause is configuration (KOSMOS_MODEL_ENDPOINT); a restart will crash again.", Assert.Single(guidance.RestartWarnings), StringComparison.Ordinal);
        Assert.Equal(["FATAL config: required setting KOSMOS_MODEL_ENDPOINT is not set"], guidance.ErrorLines);
    }

    [Fact]
    public void RestartWarnings_DependencyDown_NamesItAndItsState()
    {
        var detail = TestData.CrashDetail();
        AgentSummary? VectorStore(string ns, string name) => name == "vector-store" ? TestData.Agent("vector-store", HealthState.ImagePull) : null;

        var guidance = AgentGuidance.Build(detail, TestData.Now, ["connection refused"], null, VectorStore);

        Assert.Equal("It depends on vector-store (ImagePull), which is not serving; a restart will crash again until that is fixed.", Assert.Single(guidance.RestartWarnings));
    }

    [Fact]
    public void RestartWarnings_OomKilled_SetResourcesInstead()
    {
        var guidance = AgentGuidance.Build(TestData.OomDetail(), TestData.Now, null, null, (_, _) => null);

        Assert.Equal("Container agent was OOMKilled at its 512Mi memory limit; a restart keeps that limit and will be OOMKilled again. Set resources instead (no restart needed).",
            Assert.Single(guidance.RestartWarnings));
    }

    [Fact]
    public void RestartWarnings_HealthyAgent_None()
    {
        var detail = new AgentDetail(TestData.Agent("fine"), null, [TestData.HealthyPod("fine-1", "fine")], [], [], [], []);

        Assert.Empty(AgentGuidance.Build(detail, TestData.Now, null, null, (_, _) => null).RestartWarnings);
    }
}

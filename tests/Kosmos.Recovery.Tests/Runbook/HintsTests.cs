using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Recovery.Runbook;
using Kosmos.Recovery.Health;
using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Tests.Runbook;

public sealed class HintsTests
{
    public static TheoryData<string[], string[], string[]> Config => new()
    {
        { ["container agent cannot start (CreateContainerConfigError): secret \"kosmos-llm\" not found"], [], ["secret kosmos-llm: not found"] },
        { ["cannot start: couldn't find key api-key in Secret kosmos/kosmos-llm"], [], ["secret kosmos-llm/api-key: the key does not exist"] },
        { ["configmap \"agent-config\" not found"], [], ["configmap agent-config: not found"] },
        { [], ["FATAL: environment variable MCP_SERVER_URL is required"], ["MCP_SERVER_URL: named in an error; not set in the container's environment"] },
        { [], ["KeyError: 'LLM_API_KEY'"], ["LLM_API_KEY: named in an error; container agent sets it from secret kosmos-llm/api-key"] },
        { [], ["ERROR: connection to HTTP_PROXY refused"], [] },
        { [], ["INFO started", "ERROR something else"], [] },
    };

    [Theory]
    [MemberData(nameof(Config))]
    public void Find_EvidenceAndLog_ConfigHints(string[] evidence, string[] log, string[] expected) =>
        Assert.Equal(expected, ConfigHintFinder.Find(evidence, log, [TestData.AgentContainer()]).Select(h => $"{h.What}: {h.Detail}"));

    public static TheoryData<string, string, string?, string?> Hosts => new()
    {
        { "http://vector-store:6333", "vector-store", "kosmos", "vector-store" },
        { "grpc://memory-agent.kosmos.svc.cluster.local:9000/x", "memory-agent.kosmos.svc.cluster.local", "kosmos", "memory-agent" },
        { "tools.mcp:8080", "tools.mcp", "mcp", "tools" },
        { "https://api.openai.com/v1", "api.openai.com", null, null },
    };

    [Theory]
    [MemberData(nameof(Hosts))]
    public void FromEnv_LiteralUrl_Dependency(string value, string host, string? ns, string? agent)
    {
        var container = new ContainerSnapshot { Name = "agent", Env = [EnvVarSnapshot.Literal("DEP", value)] };

        var hint = Assert.Single(DependencyHints.FromEnv([container], "kosmos", "self"));

        Assert.Equal(new DependencyHint("DEP", host, ns, agent), hint);
    }

    [Theory]
    [InlineData("debug")]
    [InlineData("http://localhost:8080")]
    [InlineData("10.0.0.5:5432")]
    [InlineData("http://self:8080")]
    [InlineData("42")]
    public void FromEnv_NotADependency_Ignored(string value)
    {
        var container = new ContainerSnapshot { Name = "agent", Env = [EnvVarSnapshot.Literal("X", value), EnvVarSnapshot.FromSecret("S", "s", "k")] };

        Assert.Empty(DependencyHints.FromEnv([container], "kosmos", "self"));
    }

    [Fact]
    public void FromLog_ServiceUrlInAnErrorLine_Dependency_ExternalAndSelfIgnored()
    {
        // An agent that prints no config line still names what it cannot reach when it fails.
        string[] lines =
        [
            "2026-12-06T15:55:01.856Z ERROR dependency vector-store unavailable: connection refused (http://vector-store.kosmos.svc:8080)",
            "2026-12-06T15:55:01.857Z ERROR model call failed: https://api.openai.com/v1/chat timed out",
            "2026-12-06T15:55:01.858Z ERROR health check of http://self:8080/readyz failed",
        ];

        var hint = Assert.Single(DependencyHints.FromLog(lines, "kosmos", "self"));

        Assert.Equal(new DependencyHint("named in its error log: http://vector-store.kosmos.svc:8080", "vector-store.kosmos.svc", "kosmos", "vector-store"), hint);
    }

    [Fact]
    public void FromEnv_UrlFromAConfigMap_TakenFromTheSettingsTheCrashedRunPrinted()
    {
        // The pod spec only names the ConfigMap key; the value is in the crashed run's config line (secrets redacted there).
        var container = new ContainerSnapshot
        {
            Name = "agent",
            Env = [EnvVarSnapshot.FromConfigMap("KOSMOS_VECTOR_STORE_URL", "reviewer-config", "vector-store-url"), EnvVarSnapshot.FromSecret("KOSMOS_API_KEY", "reviewer-credentials", "api-key")],
        };
        string[] log =
        [
            "2026-12-06T05:00:00Z INFO starting kosmos-agent reviewer v1.2.3",
            "2026-12-06T05:00:00Z INFO config: KOSMOS_AGENT_NAME=reviewer KOSMOS_VECTOR_STORE_URL=http://vector-store.kosmos.svc:8080 KOSMOS_API_KEY=<redacted> KOSMOS_PROXY=<redacted>",
            "2026-12-06T05:00:05Z ERROR dependency vector-store unavailable: connection refused (http://vector-store.kosmos.svc:8080)",
        ];

        Assert.Empty(DependencyHints.FromEnv([container], "kosmos", "reviewer"));
        Assert.Equal([new DependencyHint("KOSMOS_VECTOR_STORE_URL", "vector-store.kosmos.svc", "kosmos", "vector-store")],
            DependencyHints.FromEnv([container], "kosmos", "reviewer", log));
    }

    [Fact]
    public void FromEnv_LiteralAndPrintedSameHost_OneHint()
    {
        var container = new ContainerSnapshot { Name = "agent", Env = [EnvVarSnapshot.Literal("DEP", "http://vector-store:6333")] };

        var hint = Assert.Single(DependencyHints.FromEnv([container], "kosmos", "self", ["INFO config: DEP=http://vector-store:6333"]));

        Assert.Equal(new DependencyHint("DEP", "vector-store", "kosmos", "vector-store"), hint);
    }

    [Fact]
    public void DependencyStatus_KnownUnknownExternal_Worded()
    {
        var agent = new DependencyHint("A", "vector-store", "kosmos", "vector-store");

        Assert.Equal((HealthState?)HealthState.Pending, DependencyStatus.From(agent, TestData.Agent("vector-store", HealthState.Pending)).State);
        Assert.StartsWith("no agent vector-store in kosmos", DependencyStatus.From(agent, null).Text, StringComparison.Ordinal);
        Assert.StartsWith("outside the cluster", DependencyStatus.From(new DependencyHint("B", "api.openai.com", null, null), null).Text, StringComparison.Ordinal);
    }
}

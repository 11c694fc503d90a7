using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Model;
using Kosmos.Recovery.Runbook;

namespace Kosmos.Recovery.Tests.Runbook;

/// <summary>When the crash of a missing setting gets a concrete Set env suggestion, and when the evidence is too weak for one.</summary>
public sealed class EnvSuggestionsTests
{
    private static readonly AgentRef Target = new("kosmos", "researcher");

    private static readonly ConfigHint Missing = new("KOSMOS_MODEL_ENDPOINT",
        "named in an error; not set in the container's environment (unless it comes from configmap researcher-config)");

    private const string ConfigLine = "2026-12-06T05:00:00Z INFO config: KOSMOS_AGENT_NAME=researcher KOSMOS_MODEL_URL=http://model-gateway.kosmos.svc:8000/v1 KOSMOS_LOG_LEVEL=info KOSMOS_API_KEY=<redacted>";

    private static ContainerSnapshot Agent(params EnvFromSnapshot[] envFrom) => new()
    {
        Name = "agent",
        Image = "ghcr.io/kosmos-ai/researcher:2.0.0",
        StatusIndex = 0,
        Env = new[] { EnvVarSnapshot.Literal("KOSMOS_AGENT_NAME", "researcher"), EnvVarSnapshot.FromSecret("KOSMOS_API_KEY", "researcher-credentials", "api-key") }.ToValueList(),
        EnvFrom = envFrom.ToValueList(),
    };

    [Fact]
    public void Suggest_RenamedKeyInTheImportedConfigMap_SetEnvFromThatKey()
    {
        var steps = EnvSuggestions.Suggest(Target, [Missing], [ConfigLine, "FATAL config: required setting KOSMOS_MODEL_ENDPOINT is not set"], "agent",
            [Agent(new EnvFromSnapshot(EnvVarSourceKind.ConfigMap, "researcher-config"))]);

        Assert.Equal([ActionKind.SetEnv, ActionKind.SetConfigKey], steps.Select(s => s.Action));
        var step = steps[0];
        var request = SetEnvRequest.From(step.Values, out var unknown);
        Assert.Empty(unknown);
        Assert.Equal("agent", request.Container);
        Assert.Equal([new EnvAssignment("KOSMOS_MODEL_ENDPOINT", EnvSourceKind.ConfigMap, "researcher-config/KOSMOS_MODEL_URL")], request.Set);
        Assert.Equal("kubectl patch deployment researcher -n kosmos -p '{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"agent\",\"env\":[{\"name\":\"KOSMOS_MODEL_ENDPOINT\"," +
            "\"valueFrom\":{\"configMapKeyRef\":{\"name\":\"researcher-config\",\"key\":\"KOSMOS_MODEL_URL\"}}}]}]}}}}'", step.Command);
        Assert.Contains("looks renamed", step.Why, StringComparison.Ordinal);
        Assert.Equal(new SetConfigKeyRequest("researcher-config", "KOSMOS_MODEL_ENDPOINT", "http://model-gateway.kosmos.svc:8000/v1"),
            SetConfigKeyRequest.From(steps[1].Values, out _));
        Assert.Equal("kubectl patch configmap researcher-config -n kosmos --type=merge -p '{\"data\":{\"KOSMOS_MODEL_ENDPOINT\":\"http://model-gateway.kosmos.svc:8000/v1\"}}' " +
            "&& kubectl rollout restart deployment/researcher -n kosmos", steps[1].Command);
        Assert.Contains("Pre-filled with the value of KOSMOS_MODEL_URL", steps[1].Why, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no config line in the log", "FATAL config: required setting KOSMOS_MODEL_ENDPOINT is not set")]
    [InlineData("no similar setting", "INFO config: KOSMOS_AGENT_NAME=researcher KOSMOS_LOG_LEVEL=info")]
    [InlineData("two similar settings", "INFO config: KOSMOS_MODEL_URL=http://a KOSMOS_MODEL_HOST=b")]
    [InlineData("similar setting is a secret's", "INFO config: KOSMOS_MODEL_URL=<redacted>")]
    [InlineData("similar setting masked", "INFO config: KOSMOS_MODEL_URL=****")]
    [InlineData("similar setting printed empty", "INFO config: KOSMOS_MODEL_URL=")]
    public void Suggest_MissingVariableAndOneConfigMapImportedWhole_SetConfigKeyWithoutAValue(string why, string log)
    {
        var steps = EnvSuggestions.Suggest(Target, [Missing], [log], "agent", [Agent(new EnvFromSnapshot(EnvVarSourceKind.ConfigMap, "researcher-config"))]);

        var step = Assert.Single(steps);
        Assert.True(step.Action == ActionKind.SetConfigKey, why);
        Assert.Equal(new SetConfigKeyRequest("researcher-config", "KOSMOS_MODEL_ENDPOINT", null), SetConfigKeyRequest.From(step.Values, out _));
        Assert.Contains("\"KOSMOS_MODEL_ENDPOINT\":\"<value>\"", step.Command, StringComparison.Ordinal);
        Assert.Contains("Type the value it should have in the dialog", step.Why, StringComparison.Ordinal);
    }

    public static TheoryData<string, string[], EnvFromSnapshot[]> Weak => new()
    {
        { "no config line in the log", ["FATAL config: required setting KOSMOS_MODEL_ENDPOINT is not set"], [new(EnvVarSourceKind.ConfigMap, "researcher-config")] },
        { "no similar setting", ["INFO config: KOSMOS_AGENT_NAME=researcher KOSMOS_LOG_LEVEL=info"], [new(EnvVarSourceKind.ConfigMap, "researcher-config")] },
        { "two similar settings", ["INFO config: KOSMOS_MODEL_URL=http://a KOSMOS_MODEL_HOST=b"], [new(EnvVarSourceKind.ConfigMap, "researcher-config")] },
        { "similar setting is a secret's", ["INFO config: KOSMOS_MODEL_URL=<redacted>"], [new(EnvVarSourceKind.ConfigMap, "researcher-config")] },
        { "no envFrom ConfigMap", [ConfigLine], [] },
        { "two envFrom ConfigMaps", [ConfigLine], [new(EnvVarSourceKind.ConfigMap, "a"), new(EnvVarSourceKind.ConfigMap, "b")] },
        { "a Secret imported whole too", [ConfigLine], [new(EnvVarSourceKind.ConfigMap, "researcher-config"), new(EnvVarSourceKind.Secret, "researcher-secrets")] },
        { "imported with a prefix", [ConfigLine], [new(EnvVarSourceKind.ConfigMap, "researcher-config", "KOSMOS_")] },
    };

    [Theory]
    [MemberData(nameof(Weak))]
    public void Suggest_WeakEvidence_NoSetEnv(string why, string[] log, EnvFromSnapshot[] envFrom)
    {
        Assert.True(EnvSuggestions.Suggest(Target, [Missing], log, "agent", [Agent(envFrom)]).All(s => s.Action != ActionKind.SetEnv), why);
    }

    [Fact]
    public void Suggest_HintNotAMissingVariable_NothingSuggested()
    {
        var set = new ConfigHint("KOSMOS_MODEL_ENDPOINT", "named in an error; container agent sets it to a literal value");

        Assert.Empty(EnvSuggestions.Suggest(Target, [set], [ConfigLine], "agent", [Agent(new EnvFromSnapshot(EnvVarSourceKind.ConfigMap, "researcher-config"))]));
    }

    // A sidecar that imports its own ConfigMap whole beside an agent container that imports none: the settings the agent
    // printed must not become a value of the sidecar's ConfigMap (nor an env of the sidecar).
    [Fact]
    public void Suggest_TwoContainersOnlyTheOtherImportsAConfigMap_NothingFromTheCrashedContainersSettings()
    {
        var sidecar = Agent(new EnvFromSnapshot(EnvVarSourceKind.ConfigMap, "sidecar-config")) with { Name = "sidecar", StatusIndex = 1 };

        var steps = EnvSuggestions.Suggest(Target, [Missing], [ConfigLine], "agent", [Agent(), sidecar]);

        Assert.Empty(steps);
    }

    [Fact]
    public void Suggest_TwoContainersEachWithItsConfigMap_OnlyTheContainerThatPrintedTheLog()
    {
        var sidecar = Agent(new EnvFromSnapshot(EnvVarSourceKind.ConfigMap, "sidecar-config")) with { Name = "sidecar", StatusIndex = 1 };
        var agent = Agent(new EnvFromSnapshot(EnvVarSourceKind.ConfigMap, "researcher-config"));

        var fromAgent = EnvSuggestions.Suggest(Target, [Missing], [ConfigLine], "agent", [agent, sidecar]);
        var fromSidecar = EnvSuggestions.Suggest(Target, [Missing], ["INFO config: KOSMOS_MODEL_HOST=sidecar-only"], "sidecar", [agent, sidecar]);

        Assert.Equal([ActionKind.SetEnv, ActionKind.SetConfigKey], fromAgent.Select(s => s.Action));
        var setEnv = SetEnvRequest.From(fromAgent[0].Values, out _);
        Assert.Equal("agent", setEnv.Container);
        Assert.Equal([new EnvAssignment("KOSMOS_MODEL_ENDPOINT", EnvSourceKind.ConfigMap, "researcher-config/KOSMOS_MODEL_URL")], setEnv.Set);
        Assert.Equal(new SetConfigKeyRequest("researcher-config", "KOSMOS_MODEL_ENDPOINT", "http://model-gateway.kosmos.svc:8000/v1"),
            SetConfigKeyRequest.From(fromAgent[1].Values, out _));
        Assert.Equal([ActionKind.SetEnv, ActionKind.SetConfigKey], fromSidecar.Select(s => s.Action));
        Assert.Equal("sidecar", SetEnvRequest.From(fromSidecar[0].Values, out _).Container);
        Assert.Equal(new SetConfigKeyRequest("sidecar-config", "KOSMOS_MODEL_ENDPOINT", "sidecar-only"), SetConfigKeyRequest.From(fromSidecar[1].Values, out _));
    }

    [Fact]
    public void Suggest_TwoContainersAndTheLogsContainerUnknown_NothingSuggested()
    {
        var sidecar = Agent(new EnvFromSnapshot(EnvVarSourceKind.ConfigMap, "sidecar-config")) with { Name = "sidecar", StatusIndex = 1 };

        Assert.Empty(EnvSuggestions.Suggest(Target, [Missing], [ConfigLine], null, [Agent(), sidecar]));
    }
}

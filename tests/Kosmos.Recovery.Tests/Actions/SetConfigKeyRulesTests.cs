using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Tests.Actions;

public sealed class SetConfigKeyRulesTests
{
    private static readonly AgentRef Target = new("kosmos", "researcher");

    private static PodTemplateSnapshot Template => TestData.ConfigReadingTemplate();

    public static TheoryData<string, SetConfigKeyRequest, string[], string[]> Cases => new()
    {
        { "imported whole", new("researcher-config", "KOSMOS_MODEL_ENDPOINT", "http://model:8000"), [], [] },
        { "a mounted one", new("researcher-files", "app.yaml", "a: 1"), [], [] },
        { "an empty value", new("researcher-config", "KOSMOS_LOG_LEVEL", ""), [], [] },
        { "the referenced key", new("shared-config", "model", "m2"), [], [] },
        {
            "a key the agent does not read", new("shared-config", "other", "x"), [],
            ["The agent reads only model of configmap shared-config (env key references): a new value of other changes nothing it reads until an env variable takes it"]
        },
        {
            "a ConfigMap it does not read", new("coder-config", "A", "1"),
            ["Deployment kosmos/researcher does not read configmap 'coder-config' (it reads: researcher-config, researcher-files, shared-config); set config key edits only a ConfigMap the agent reads"], []
        },
        {
            "a Secret is not a ConfigMap", new("researcher-credentials", "api-key", "x"),
            ["Deployment kosmos/researcher does not read configmap 'researcher-credentials' (it reads: researcher-config, researcher-files, shared-config); set config key edits only a ConfigMap the agent reads"], []
        },
        { "no ConfigMap", new(null, "A", "1"), ["Give the ConfigMap to edit (it reads: researcher-config, researcher-files, shared-config)"], [] },
        { "no key", new("researcher-config", " ", "1"), ["Give the key to set (e.g. KOSMOS_MODEL_ENDPOINT)"], [] },
        { "no value", new("researcher-config", "A", null), ["Give the new value (it may be empty)"], [] },
        { "a space in the key", new("researcher-config", "A B", "1"), ["key 'A B' is not a valid ConfigMap key: a valid config key must consist of alphanumeric characters, '-', '_' or '.'"], [] },
        { "a slash in the key", new("researcher-config", "a/b", "1"), ["key 'a/b' is not a valid ConfigMap key: a valid config key must consist of alphanumeric characters, '-', '_' or '.'"], [] },
        { "a line break in the key", new("researcher-config", "A\nB", "1"), ["key 'A\\nB' is not a valid ConfigMap key: it contains a line break or another control character"], [] },
        { "dot", new("researcher-config", ".", "1"), ["key '.' is not a valid ConfigMap key: must not be '.'"], [] },
        { "dot dot prefix", new("researcher-config", "..data", "1"), ["key '..data' is not a valid ConfigMap key: must not start with '..'"], [] },
        { "a key too long", new("researcher-config", new string('k', 254), "1"), ["key '" + new string('k', 200) + "… (254 characters)' is not a valid ConfigMap key: must be no more than 253 characters (got 254)"], [] },
        { "the longest key", new("researcher-config", new string('k', 253), "1"), [], [] },
        { "a value too large", new("researcher-config", "A", new string('v', 8193)), ["value of A is 8193 bytes, more than the largest this dashboard sets (8192 bytes); set it with kubectl if it is really meant"], [] },
        { "the largest value", new("researcher-config", "A", new string('v', 8192)), [], [] },
        { "a value too large in UTF-8", new("researcher-config", "A", new string('é', 4097)), ["value of A is 8194 bytes, more than the largest this dashboard sets (8192 bytes); set it with kubectl if it is really meant"], [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Check_Request_ErrorsAndWarnings(string name, SetConfigKeyRequest request, string[] errors, string[] warnings)
    {
        var check = SetConfigKeyRules.Check(Target, request, Template);

        Assert.True(errors.SequenceEqual(check.Errors), $"{name}: {string.Join(" | ", check.Errors)}");
        Assert.True(warnings.SequenceEqual(check.Warnings), $"{name}: {string.Join(" | ", check.Warnings)}");
    }

    // $ matches before a final line break: the key check must not take "FOO\n" (the request trims it, callers of the rule may not).
    [Theory]
    [InlineData("FOO\n")]
    [InlineData("FOO\r\n")]
    [InlineData("FOO\t")]
    public void ProblemWithKey_TrailingControlCharacter_Refused(string key)
    {
        Assert.Equal("it contains a line break or another control character", SetConfigKeyRules.ProblemWithKey(key));
    }

    [Fact]
    public void AlsoReadBy_OtherAgentsReadingTheKey_NamedByHowTheySeeTheNewValue()
    {
        static PodTemplateSnapshot Reads(EnvFromSnapshot[]? envFrom = null, EnvVarSnapshot[]? env = null, PodVolumeSnapshot[]? volumes = null) => new()
        {
            Containers = [new ContainerSnapshot { Name = "agent", EnvFrom = [.. envFrom ?? []], Env = [.. env ?? []] }],
            Volumes = [.. volumes ?? []],
        };
        (string, PodTemplateSnapshot)[] others =
        [
            ("planner", Reads(env: [EnvVarSnapshot.FromConfigMap("MODEL", "shared-config", "model")])),
            ("coder", Reads(envFrom: [new EnvFromSnapshot(EnvVarSourceKind.ConfigMap, "shared-config")])),
            ("reviewer", Reads(env: [EnvVarSnapshot.FromConfigMap("OTHER", "shared-config", "other")])),
            ("summarizer", Reads(volumes: [new PodVolumeSnapshot("files", "ConfigMap", "shared-config")])),
            ("archivist", Reads(envFrom: [new EnvFromSnapshot(EnvVarSourceKind.ConfigMap, "archivist-config")])),
        ];

        Assert.Equal("configmap shared-config (model) is also read by: coder, planner — they will see the new value at their next restart; " +
            "configmap shared-config is also mounted as a volume by: summarizer — the file changes there within about a minute, without a restart",
            SetConfigKeyRules.AlsoReadBy("shared-config", "model", others));
        Assert.Equal("configmap shared-config (other) is also read by: coder, reviewer — they will see the new value at their next restart; " +
            "configmap shared-config is also mounted as a volume by: summarizer — the file changes there within about a minute, without a restart",
            SetConfigKeyRules.AlsoReadBy("shared-config", "other", others));
        Assert.Null(SetConfigKeyRules.AlsoReadBy("researcher-config", "model", others));
    }

    [Fact]
    public void Check_TemplateReadingNoConfigMap_SaysSo()
    {
        var check = SetConfigKeyRules.Check(Target, new SetConfigKeyRequest("x", "A", "1"), new PodTemplateSnapshot { Containers = [new ContainerSnapshot { Name = "agent" }] });

        Assert.Equal(["Deployment kosmos/researcher does not read configmap 'x' (it reads no ConfigMap); set config key edits only a ConfigMap the agent reads"], check.Errors);
    }

    [Fact]
    public void Request_RoundTripsThroughActionRequest_KeepsTheValueAsTyped_AndUnknownKeysAreRefused()
    {
        var request = new SetConfigKeyRequest("researcher-config", "A", "  spaced  ");

        var back = SetConfigKeyRequest.From(request.ToActionRequest(), out var unknown);
        var bad = SetConfigKeyRequest.From(new ActionRequest(StringMap.Of(("configMap", "researcher-config"), ("key", "A"), ("value", "1"), ("remove", "true"))), out var extra);

        Assert.Empty(unknown);
        Assert.Equal(request, back);
        Assert.Equal(["remove"], extra);
        Assert.Equal(["'remove' is not a value set config key takes (it takes: configMap, key, value)"], SetConfigKeyRules.Check(Target, bad, Template, extra).Errors);
    }

    [Fact]
    public void Kubectl_QuotesTheMergePatchForTheShell()
    {
        var command = new SetConfigKeyRequest("researcher-config", "GREETING", "it's \"here\"").Kubectl(Target);

        Assert.Equal("kubectl patch configmap researcher-config -n kosmos --type=merge -p '{\"data\":{\"GREETING\":\"it'\\''s \\\"here\\\"\"}}' " +
            "&& kubectl rollout restart deployment/researcher -n kosmos", command);
    }

    [Fact]
    public void ConfigSources_Template_EachObjectOnceWithHowItIsRead()
    {
        var sources = ConfigSources.Of(Template);

        Assert.Equal(["configmap researcher-config", "configmap researcher-files", "configmap shared-config", "secret researcher-credentials"], sources.Select(s => s.Description));
        Assert.Equal((true, "envFrom of container agent"), (sources[0].AllKeys, sources[0].Uses.Single()));
        Assert.Equal((true, "volume files"), (sources[1].AllKeys, sources[1].Uses.Single()));
        Assert.Equal((false, "model", "env MODEL of container agent"), (sources[2].AllKeys, sources[2].ReferencedKeys.Single(), sources[2].Uses.Single()));
        Assert.Equal((false, "api-key"), (sources[3].AllKeys, sources[3].ReferencedKeys.Single()));
    }
}

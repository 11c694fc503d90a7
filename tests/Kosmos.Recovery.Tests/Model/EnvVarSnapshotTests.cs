using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Tests.Model;

public sealed class EnvVarSnapshotTests
{
    [Fact]
    public void FromSecret_CarriesOnlyTheReference()
    {
        var env = EnvVarSnapshot.FromSecret("LLM_API_KEY", "kosmos-llm", "api-key");

        Assert.Equal(EnvVarSourceKind.Secret, env.Kind);
        Assert.Null(env.Value);
        Assert.Equal("secret kosmos-llm/api-key", env.Source);
        Assert.Equal("<from secret kosmos-llm/api-key>", env.DisplayValue);
    }

    [Theory]
    [InlineData(EnvVarSourceKind.ConfigMap, "configmap agent-config/model")]
    [InlineData(EnvVarSourceKind.Field, "field metadata.name")]
    [InlineData(EnvVarSourceKind.Resource, "resource agent/limits.memory")]
    [InlineData(EnvVarSourceKind.File, "file config/env.txt#MODEL")]
    public void Factories_NonLiteralSources_DescribeTheSource(EnvVarSourceKind kind, string source)
    {
        var env = kind switch
        {
            EnvVarSourceKind.ConfigMap => EnvVarSnapshot.FromConfigMap("MODEL", "agent-config", "model"),
            EnvVarSourceKind.Field => EnvVarSnapshot.FromField("POD_NAME", "metadata.name"),
            EnvVarSourceKind.Resource => EnvVarSnapshot.FromResource("MEM", "limits.memory", "agent"),
            _ => EnvVarSnapshot.FromFile("MODEL", "config", "env.txt", "MODEL"),
        };

        Assert.Equal(kind, env.Kind);
        Assert.Equal(source, env.Source);
        Assert.Null(env.Value);
    }

    [Fact]
    public void Literal_KeepsValue()
    {
        var env = EnvVarSnapshot.Literal("LOG_LEVEL", "debug");

        Assert.Equal("debug", env.Value);
        Assert.Equal("debug", env.DisplayValue);
        Assert.Null(env.Source);
    }

    [Fact]
    public void EnvFromSnapshot_Description_NamesKindAndPrefix()
    {
        Assert.Equal("secret kosmos-llm (prefix LLM_)", new EnvFromSnapshot(EnvVarSourceKind.Secret, "kosmos-llm", "LLM_").Description);
        Assert.Equal("configmap agent-config", new EnvFromSnapshot(EnvVarSourceKind.ConfigMap, "agent-config").Description);
    }

    [Fact]
    public void ProbeSnapshot_Describe_MatchesKubectlDescribe()
    {
        var probe = new ProbeSnapshot(ProbeKind.Http, "http://:8080/healthz", InitialDelaySeconds: 5, PeriodSeconds: 10, TimeoutSeconds: 2, FailureThreshold: 6);

        Assert.Equal("http-get http://:8080/healthz delay=5s timeout=2s period=10s #success=1 #failure=6", probe.Describe());
    }
}

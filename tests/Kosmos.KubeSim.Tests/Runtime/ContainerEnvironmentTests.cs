using System.Text;
using System.Text.Json.Nodes;
using Kosmos.KubeSim.Runtime;
using Kosmos.KubeSim.Store;

namespace Kosmos.KubeSim.Tests.Runtime;

/// <summary>How a container's environment is resolved from the pod spec, ConfigMaps and Secrets, with the kubelet's error messages.</summary>
public sealed class ContainerEnvironmentTests
{
    private readonly ObjectStore _store = new(TimeProvider.System);

    public ContainerEnvironmentTests()
    {
        _store.Create(ResourceKinds.ConfigMaps, (JsonObject)JsonNode.Parse("""
            {"metadata":{"name":"agent-config","namespace":"kosmos"},"data":{"model-endpoint":"http://gw:8000","KOSMOS_LOG_LEVEL":"debug","bad key":"x"}}
            """)!);
        _store.Create(ResourceKinds.Secrets, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "agent-credentials", ["namespace"] = "kosmos" },
            ["data"] = new JsonObject { ["api-key"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("sk-123")) },
        });
    }

    [Fact]
    public void Resolve_ReadsLiteralsConfigMapsSecretsAndFields_InOrder()
    {
        var env = Resolve("""
            {"envFrom":[{"configMapRef":{"name":"agent-config"},"prefix":""}],
             "env":[
               {"name":"KOSMOS_MODEL_ENDPOINT","valueFrom":{"configMapKeyRef":{"name":"agent-config","key":"model-endpoint"}}},
               {"name":"KOSMOS_API_KEY","valueFrom":{"secretKeyRef":{"name":"agent-credentials","key":"api-key"}}},
               {"name":"POD_NAME","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}},
               {"name":"POD_IP","valueFrom":{"fieldRef":{"fieldPath":"status.podIP"}}},
               {"name":"APP","valueFrom":{"fieldRef":{"fieldPath":"metadata.labels['app']"}}},
               {"name":"URL","value":"$(KOSMOS_MODEL_ENDPOINT)/v1 costs $$5 $(UNDEFINED)"},
               {"name":"MEMORY_MI","valueFrom":{"resourceFieldRef":{"resource":"limits.memory","divisor":"1Mi"}}}],
             "resources":{"limits":{"memory":"256Mi"}}}
            """);

        Assert.Null(env.Error);
        Assert.Equal("debug", env["KOSMOS_LOG_LEVEL"]);
        Assert.Null(env["bad key"]);
        Assert.Equal("http://gw:8000", env["KOSMOS_MODEL_ENDPOINT"]);
        Assert.Equal("sk-123", env["KOSMOS_API_KEY"]);
        Assert.True(env.Vars.Single(v => v.Name == "KOSMOS_API_KEY").IsSecret);
        Assert.Equal("agent-0", env["POD_NAME"]);
        Assert.Equal("10.244.0.9", env["POD_IP"]);
        Assert.Equal("agent", env["APP"]);
        Assert.Equal("http://gw:8000/v1 costs $5 $(UNDEFINED)", env["URL"]);
        Assert.Equal("256", env["MEMORY_MI"]);
    }

    [Theory]
    [InlineData("""{"env":[{"name":"X","valueFrom":{"configMapKeyRef":{"name":"missing","key":"k"}}}]}""", "configmap \"missing\" not found")]
    [InlineData("""{"env":[{"name":"X","valueFrom":{"configMapKeyRef":{"name":"agent-config","key":"nope"}}}]}""", "couldn't find key nope in ConfigMap kosmos/agent-config")]
    [InlineData("""{"env":[{"name":"X","valueFrom":{"secretKeyRef":{"name":"missing","key":"k"}}}]}""", "secret \"missing\" not found")]
    [InlineData("""{"env":[{"name":"X","valueFrom":{"secretKeyRef":{"name":"agent-credentials","key":"nope"}}}]}""", "couldn't find key nope in Secret kosmos/agent-credentials")]
    [InlineData("""{"envFrom":[{"configMapRef":{"name":"missing"}}]}""", "configmap \"missing\" not found")]
    [InlineData("""{"envFrom":[{"secretRef":{"name":"missing"}}]}""", "secret \"missing\" not found")]
    public void Resolve_MissingReference_IsTheKubeletsCreateContainerConfigError(string container, string error) =>
        Assert.Equal(error, Resolve(container).Error);

    [Fact]
    public void Resolve_OptionalReferences_MayBeMissing()
    {
        var env = Resolve("""
            {"envFrom":[{"configMapRef":{"name":"missing","optional":true}}],
             "env":[{"name":"X","valueFrom":{"configMapKeyRef":{"name":"agent-config","key":"nope","optional":true}}}]}
            """);

        Assert.Null(env.Error);
        Assert.Null(env["X"]);
    }

    [Fact]
    public void VolumeProblem_NamesTheMissingConfigMap_AsFailedMountDoes()
    {
        var pod = Pod("""{"name":"agent"}""");
        pod["spec"]!["volumes"] = JsonNode.Parse("""[{"name":"settings","configMap":{"name":"gone"}}]""");

        Assert.Equal("MountVolume.SetUp failed for volume \"settings\" : configmap \"gone\" not found", ContainerEnvironment.VolumeProblem(_store, pod));
    }

    private ContainerEnvironment Resolve(string container)
    {
        var pod = Pod(container);
        return ContainerEnvironment.Resolve(_store, pod, (JsonObject)pod["spec"]!["containers"]![0]!, "10.244.0.9", "172.18.0.2");
    }

    private static JsonObject Pod(string container) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = "agent-0", ["namespace"] = "kosmos", ["uid"] = "u-1", ["labels"] = new JsonObject { ["app"] = "agent" } },
        ["spec"] = new JsonObject { ["containers"] = new JsonArray(JsonNode.Parse(container)) },
    };
}

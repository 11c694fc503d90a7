using System.Text.Json.Nodes;
using Kosmos.KubeSim.Machinery;

namespace Kosmos.KubeSim.Tests.Machinery;

public sealed class StrategicMergePatchTests
{
    private const string Containers = "/spec/template/spec/containers";

    // What `kubectl set resources deployment research-agent -n kosmos --limits=memory=2Gi --requests=memory=1Gi`
    // sends (strategicpatch.CreateTwoWayMergePatch over the typed object; all containers are selected by default).
    private const string SetResourcesPatch = """
        {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"agent"},{"name":"metrics-exporter"}],
          "containers":[{"name":"agent","resources":{"limits":{"memory":"2Gi"},"requests":{"memory":"1Gi"}}},
                        {"name":"metrics-exporter","resources":{"limits":{"memory":"2Gi"},"requests":{"memory":"1Gi"}}}]}}}}
        """;

    // `kubectl set resources ... -c agent`: only the selected container appears, the order directive lists both.
    private const string SetResourcesOneContainerPatch = """
        {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"agent"},{"name":"metrics-exporter"}],
          "containers":[{"name":"agent","resources":{"limits":{"memory":"2Gi"},"requests":{"memory":"1Gi"}}}]}}}}
        """;

    // What `kubectl rollout restart deployment research-agent -n kosmos` sends.
    private const string RolloutRestartPatch = """
        {"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2025-12-13T10:15:00Z"}}}}}
        """;

    [Fact]
    public void Apply_KubectlSetResourcesPatch_MergesMemoryIntoEveryContainerAndKeepsTheRest()
    {
        var result = StrategicMergePatch.Apply(Fixtures.Deployment(), Fixtures.Node(SetResourcesPatch), ResourceSchema.Deployment);

        Fixtures.AssertJsonEqual("""{"limits":{"cpu":"1","memory":"2Gi"},"requests":{"cpu":"250m","memory":"1Gi"}}""", Fixtures.At(result, Containers + "/0/resources"));
        Fixtures.AssertJsonEqual("""{"limits":{"memory":"2Gi"},"requests":{"cpu":"10m","memory":"1Gi"}}""", Fixtures.At(result, Containers + "/1/resources"));
        var containers = (JsonArray)Fixtures.At(result, Containers)!;
        Assert.Equal(["agent", "metrics-exporter"], containers.Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal(3, ((JsonArray)Fixtures.At(result, Containers + "/0/env")!).Count);
        Assert.Equal("ghcr.io/kosmos/research-agent:1.8.2", Fixtures.At(result, Containers + "/0/image")!.GetValue<string>());
        Assert.DoesNotContain("$setElementOrder", result.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_KubectlSetResourcesForOneContainer_LeavesOtherContainerUntouched()
    {
        var original = Fixtures.Deployment();

        var result = StrategicMergePatch.Apply(original, Fixtures.Node(SetResourcesOneContainerPatch), ResourceSchema.Deployment);

        Fixtures.AssertJsonEqual("""{"limits":{"cpu":"1","memory":"2Gi"},"requests":{"cpu":"250m","memory":"1Gi"}}""", Fixtures.At(result, Containers + "/0/resources"));
        Assert.True(JsonNode.DeepEquals(Fixtures.At(original, Containers + "/1"), Fixtures.At(result, Containers + "/1")));
    }

    [Fact]
    public void Apply_KubectlRolloutRestartPatch_AddsRestartedAtBesideExistingTemplateAnnotations()
    {
        var result = StrategicMergePatch.Apply(Fixtures.Deployment(), Fixtures.Node(RolloutRestartPatch), ResourceSchema.Deployment);

        Fixtures.AssertJsonEqual(
            """{"prometheus.io/scrape":"true","kubectl.kubernetes.io/restartedAt":"2025-12-13T10:15:00Z"}""",
            Fixtures.At(result, "/spec/template/metadata/annotations"));
        Fixtures.AssertJsonEqual("""{"deployment.kubernetes.io/revision":"3"}""", Fixtures.At(result, "/metadata/annotations"));
    }

    [Fact]
    public void Apply_AnyPatch_DoesNotMutateOriginalOrPatch()
    {
        var original = Fixtures.Deployment();
        var patch = Fixtures.Node(SetResourcesPatch)!;
        var originalBefore = original.ToJsonString();
        var patchBefore = patch.ToJsonString();

        var result = StrategicMergePatch.Apply(original, patch, ResourceSchema.Deployment);

        Assert.Equal(originalBefore, original.ToJsonString());
        Assert.Equal(patchBefore, patch.ToJsonString());
        Assert.NotSame(original, result);
    }

    // A three-way patch as client-side `kubectl apply` computes it after the manifest changed: new image, one env
    // var removed and one added, the cpu limit dropped, replicas raised, strategy switched to Recreate.
    [Fact]
    public void Apply_ClientSideApplyThreeWayPatch_AppliesDeletionsAdditionsAndOrder()
    {
        const string patch = """
            {
              "metadata": { "annotations": { "kubectl.kubernetes.io/last-applied-configuration": "{\"kind\":\"Deployment\"}\n" } },
              "spec": {
                "replicas": 3,
                "strategy": { "$retainKeys": ["type"], "type": "Recreate", "rollingUpdate": null },
                "template": { "spec": {
                  "$setElementOrder/containers": [ { "name": "agent" }, { "name": "metrics-exporter" } ],
                  "containers": [ {
                    "name": "agent",
                    "image": "ghcr.io/kosmos/research-agent:1.9.0",
                    "$setElementOrder/env": [ { "name": "LOG_LEVEL" }, { "name": "API_KEY" }, { "name": "FEATURE_X" } ],
                    "env": [ { "name": "FEATURE_X", "value": "on" }, { "$patch": "delete", "name": "POD_NAME" } ],
                    "resources": { "limits": { "cpu": null } }
                  } ]
                } }
              }
            }
            """;

        var result = StrategicMergePatch.Apply(Fixtures.Deployment(), Fixtures.Node(patch), ResourceSchema.Deployment);

        Assert.Equal(3, Fixtures.At(result, "/spec/replicas")!.GetValue<int>());
        Fixtures.AssertJsonEqual("""{"type":"Recreate"}""", Fixtures.At(result, "/spec/strategy"));
        Assert.Equal("ghcr.io/kosmos/research-agent:1.9.0", Fixtures.At(result, Containers + "/0/image")!.GetValue<string>());
        var env = (JsonArray)Fixtures.At(result, Containers + "/0/env")!;
        Assert.Equal(["LOG_LEVEL", "API_KEY", "FEATURE_X"], env.Select(e => e!["name"]!.GetValue<string>()));
        Fixtures.AssertJsonEqual("""{"memory":"512Mi"}""", Fixtures.At(result, Containers + "/0/resources/limits"));
        Assert.Equal(2, Fixtures.At(result, "/metadata/annotations")!.AsObject().Count);
        Assert.DoesNotContain("$", Fixtures.At(result, "/spec")!.ToJsonString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string, string, string> MergeKeyCases => new()
    {
        // kind, JSON pointer of the list, original list, patch list, expected list.
        // Items the live list lacks come first, as the API server orders them (see the prepend test below).
        { "Pod", "/spec/containers", """[{"name":"a","image":"x"},{"name":"b","image":"y"}]""", """[{"name":"b","image":"z"}]""", """[{"name":"a","image":"x"},{"name":"b","image":"z"}]""" },
        { "Pod", "/spec/initContainers", """[{"name":"init","image":"x"}]""", """[{"name":"init","args":["--once"]}]""", """[{"name":"init","image":"x","args":["--once"]}]""" },
        { "Pod", "/spec/ephemeralContainers", """[{"name":"debug","image":"busybox"}]""", """[{"name":"debug2","image":"alpine"}]""", """[{"name":"debug2","image":"alpine"},{"name":"debug","image":"busybox"}]""" },
        { "Pod", "/spec/containers/0/env", """[{"name":"A","value":"1"},{"name":"B","value":"2"}]""", """[{"name":"A","value":"9"}]""", """[{"name":"A","value":"9"},{"name":"B","value":"2"}]""" },
        { "Pod", "/spec/volumes", """[{"name":"data","emptyDir":{}}]""", """[{"name":"cache","emptyDir":{"medium":"Memory"}}]""", """[{"name":"cache","emptyDir":{"medium":"Memory"}},{"name":"data","emptyDir":{}}]""" },
        { "Pod", "/spec/imagePullSecrets", """[{"name":"regcred"}]""", """[{"name":"ghcr"}]""", """[{"name":"ghcr"},{"name":"regcred"}]""" },
        { "Pod", "/spec/containers/0/volumeMounts", """[{"name":"data","mountPath":"/data"}]""", """[{"name":"data","mountPath":"/data","readOnly":true}]""", """[{"name":"data","mountPath":"/data","readOnly":true}]""" },
        { "Pod", "/spec/containers/0/ports", """[{"containerPort":8080,"protocol":"TCP"}]""", """[{"containerPort":8080,"name":"http"}]""", """[{"containerPort":8080,"protocol":"TCP","name":"http"}]""" },
        { "Pod", "/status/conditions", """[{"type":"Ready","status":"False"},{"type":"PodScheduled","status":"True"}]""", """[{"type":"Ready","status":"True"}]""", """[{"type":"Ready","status":"True"},{"type":"PodScheduled","status":"True"}]""" },
        { "Deployment", "/status/conditions", """[{"type":"Available","status":"True"}]""", """[{"type":"Progressing","status":"True","reason":"NewReplicaSetAvailable"}]""", """[{"type":"Progressing","status":"True","reason":"NewReplicaSetAvailable"},{"type":"Available","status":"True"}]""" },
        { "Pod", "/metadata/ownerReferences", """[{"uid":"u1","kind":"ReplicaSet","name":"rs"}]""", """[{"uid":"u1","controller":true}]""", """[{"uid":"u1","kind":"ReplicaSet","name":"rs","controller":true}]""" },
    };

    [Theory]
    [MemberData(nameof(MergeKeyCases))]
    public void Apply_ListWithMergeKey_MergesItemsByKey(string kind, string pointer, string originalList, string patchList, string expectedList)
    {
        var original = WithList(new JsonObject(), pointer, originalList);
        var patch = WithList(new JsonObject(), pointer, patchList);

        var result = StrategicMergePatch.Apply(original, patch, ResourceSchema.Get(kind));

        Fixtures.AssertJsonEqual(expectedList, Fixtures.At(result, pointer));
    }

    [Theory]
    [InlineData("/spec/containers/0/envFrom", """[{"configMapRef":{"name":"a"}}]""", """[{"secretRef":{"name":"b"}}]""")]
    [InlineData("/spec/tolerations", """[{"key":"a","operator":"Exists"}]""", """[{"key":"b","operator":"Exists"}]""")]
    [InlineData("/spec/containers/0/args", """["--a","--b"]""", """["--c"]""")]
    [InlineData("/spec/unknownList", """[{"name":"a"}]""", """[{"name":"b"}]""")]
    public void Apply_ListWithoutMergeStrategy_ReplacesList(string pointer, string originalList, string patchList)
    {
        var original = WithList(new JsonObject(), pointer, originalList);
        var patch = WithList(new JsonObject(), pointer, patchList);

        var result = StrategicMergePatch.Apply(original, patch, ResourceSchema.Pod);

        Fixtures.AssertJsonEqual(patchList, Fixtures.At(result, pointer));
    }

    [Fact]
    public void Apply_DeleteDirectiveInList_RemovesItemWithThatKey()
    {
        var patch = Fixtures.Node("""{"spec":{"template":{"spec":{"containers":[{"$patch":"delete","name":"metrics-exporter"}]}}}}""");

        var result = StrategicMergePatch.Apply(Fixtures.Deployment(), patch, ResourceSchema.Deployment);

        var containers = (JsonArray)Fixtures.At(result, Containers)!;
        Assert.Equal(["agent"], containers.Select(c => c!["name"]!.GetValue<string>()));
    }

    [Fact]
    public void Apply_ReplaceDirectiveInList_ReplacesWholeList()
    {
        var patch = Fixtures.Node("""{"spec":{"template":{"spec":{"volumes":[{"$patch":"replace"},{"name":"scratch","emptyDir":{}}]}}}}""");

        var result = StrategicMergePatch.Apply(Fixtures.Deployment(), patch, ResourceSchema.Deployment);

        Fixtures.AssertJsonEqual("""[{"name":"scratch","emptyDir":{}}]""", Fixtures.At(result, "/spec/template/spec/volumes"));
    }

    [Fact]
    public void Apply_ReplaceDirectiveInMap_ReplacesMapInsteadOfMerging()
    {
        var patch = Fixtures.Node("""{"spec":{"template":{"metadata":{"labels":{"$patch":"replace","app":"research-agent"}}}}}""");

        var result = StrategicMergePatch.Apply(Fixtures.Deployment(), patch, ResourceSchema.Deployment);

        Fixtures.AssertJsonEqual("""{"app":"research-agent"}""", Fixtures.At(result, "/spec/template/metadata/labels"));
    }

    [Fact]
    public void Apply_DeleteDirectiveInMap_EmptiesMap()
    {
        var patch = Fixtures.Node("""{"spec":{"template":{"spec":{"securityContext":{"$patch":"delete"}}}}}""");

        var result = StrategicMergePatch.Apply(Fixtures.Deployment(), patch, ResourceSchema.Deployment);

        Fixtures.AssertJsonEqual("{}", Fixtures.At(result, "/spec/template/spec/securityContext"));
    }

    [Fact]
    public void Apply_MergeDirectiveInMap_MergesAsUsual()
    {
        var patch = Fixtures.Node("""{"metadata":{"labels":{"$patch":"merge","team":"research"}}}""");

        var result = StrategicMergePatch.Apply(Fixtures.Deployment(), patch, ResourceSchema.Deployment);

        Fixtures.AssertJsonEqual("""{"app":"research-agent","tier":"agents","team":"research"}""", Fixtures.At(result, "/metadata/labels"));
    }

    [Theory]
    [InlineData("""{"spec":{"containers":[{"$patch":"merge","name":"a"}]}}""", "merging lists cannot yet be specified in the patch")]
    [InlineData("""{"spec":{"containers":[{"$patch":"explode","name":"a"}]}}""", "unknown patch type")]
    [InlineData("""{"metadata":{"labels":{"$patch":"explode"}}}""", "unknown patch type")]
    [InlineData("""{"spec":{"containers":[{"image":"x"}]}}""", "does not contain declared merge key: name")]
    [InlineData("""{"spec":{"containers":[{"$patch":"delete"}]}}""", "does not contain declared merge key: name")]
    [InlineData("""{"spec":{"$setElementOrder/containers":[{"name":"a"}],"containers":[{"name":"b","image":"y"}]}}""", "doesn't match $setElementOrder/ list")]
    [InlineData("""{"spec":{"$setElementOrder/containers":"a"}}""", "invalid $setElementOrder/containers directive")]
    [InlineData("""{"spec":{"strategy":{"$retainKeys":"type"}}}""", "invalid $retainKeys directive")]
    [InlineData("""["not","an","object"]""", "must be a JSON object")]
    public void Apply_MalformedDirectiveOrItem_ThrowsPatchException(string patch, string expectedMessage)
    {
        var original = Fixtures.Parse("""{"spec":{"containers":[{"name":"a","image":"x"}]},"metadata":{"labels":{"a":"b"}}}""");

        var error = Assert.Throws<PatchException>(() => StrategicMergePatch.Apply(original, Fixtures.Node(patch), ResourceSchema.Pod));

        Assert.Contains(expectedMessage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_RetainKeysOnStrategy_DropsKeysNotListed()
    {
        var patch = Fixtures.Node("""{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}""");

        var result = StrategicMergePatch.Apply(Fixtures.Deployment(), patch, ResourceSchema.Deployment);

        Fixtures.AssertJsonEqual("""{"type":"Recreate"}""", Fixtures.At(result, "/spec/strategy"));
    }

    [Fact]
    public void Apply_RetainKeysInVolumeItem_SwitchesVolumeSource()
    {
        var patch = Fixtures.Node("""
            {"spec":{"template":{"spec":{"volumes":[{"$retainKeys":["name","emptyDir"],"name":"state","emptyDir":{}}]}}}}
            """);

        var result = StrategicMergePatch.Apply(Fixtures.Deployment(), patch, ResourceSchema.Deployment);

        Fixtures.AssertJsonEqual("""{"name":"state","emptyDir":{}}""", Fixtures.At(result, "/spec/template/spec/volumes/0"));
    }

    [Fact]
    public void Apply_DeleteFromPrimitiveList_RemovesOnlyListedFinalizers()
    {
        var original = Fixtures.Parse("""{"metadata":{"name":"p","finalizers":["a.io/x","b.io/y","c.io/z"]}}""");
        var patch = Fixtures.Node("""{"metadata":{"$deleteFromPrimitiveList/finalizers":["b.io/y"]}}""");

        var result = StrategicMergePatch.Apply(original, patch, ResourceSchema.Pod);

        Fixtures.AssertJsonEqual("""["a.io/x","c.io/z"]""", Fixtures.At(result, "/metadata/finalizers"));
    }

    [Fact]
    public void Apply_PrimitiveMergeList_MergesFinalizersAsSet()
    {
        var original = Fixtures.Parse("""{"metadata":{"name":"p","finalizers":["a.io/x"]}}""");
        var patch = Fixtures.Node("""{"metadata":{"finalizers":["a.io/x","b.io/y"]}}""");

        var result = StrategicMergePatch.Apply(original, patch, ResourceSchema.Pod);

        Fixtures.AssertJsonEqual("""["a.io/x","b.io/y"]""", Fixtures.At(result, "/metadata/finalizers"));
    }

    [Fact]
    public void Apply_SetElementOrder_ReordersMergedList()
    {
        var patch = Fixtures.Node("""{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"metrics-exporter"},{"name":"agent"}]}}}}""");

        var result = StrategicMergePatch.Apply(Fixtures.Deployment(), patch, ResourceSchema.Deployment);

        var containers = (JsonArray)Fixtures.At(result, Containers)!;
        Assert.Equal(["metrics-exporter", "agent"], containers.Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal("ghcr.io/kosmos/research-agent:1.8.2", containers[1]!["image"]!.GetValue<string>());
    }

    [Fact]
    public void Apply_NewItemsWithoutOrderDirective_AppendAfterServerItems()
    {
        var original = Fixtures.Parse("""{"spec":{"containers":[{"name":"a"},{"name":"b"},{"name":"c"}]}}""");
        var patch = Fixtures.Node("""{"spec":{"containers":[{"name":"c","image":"z"},{"name":"d","image":"w"}]}}""");

        var result = StrategicMergePatch.Apply(original, patch, ResourceSchema.Pod);

        var names = ((JsonArray)Fixtures.At(result, "/spec/containers")!).Select(c => c!["name"]!.GetValue<string>());
        Assert.Equal(["a", "b", "c", "d"], names);
    }

    // apimachinery's mergeSortedSlice: an item the live list lacks sorts before server-only items; the Kubernetes
    // docs' `kubectl patch` example shows the same (the added patch-demo-ctr-2 is listed first).
    [Fact]
    public void Apply_NewItemWithoutOrderDirective_IsPlacedBeforeServerOnlyItems()
    {
        var patch = Fixtures.Node("""{"spec":{"template":{"spec":{"containers":[{"name":"patch-demo-ctr-2","image":"redis"}]}}}}""");

        var result = StrategicMergePatch.Apply(Fixtures.Deployment(), patch, ResourceSchema.Deployment);

        var names = ((JsonArray)Fixtures.At(result, Containers)!).Select(c => c!["name"]!.GetValue<string>());
        Assert.Equal(["patch-demo-ctr-2", "agent", "metrics-exporter"], names);
    }

    [Fact]
    public void Apply_NullValue_DeletesField()
    {
        var patch = Fixtures.Node("""{"spec":{"revisionHistoryLimit":null,"template":{"spec":{"tolerations":null}}}}""");

        var result = StrategicMergePatch.Apply(Fixtures.Deployment(), patch, ResourceSchema.Deployment);

        Assert.False(result["spec"]!.AsObject().ContainsKey("revisionHistoryLimit"));
        Assert.False(Fixtures.At(result, "/spec/template/spec")!.AsObject().ContainsKey("tolerations"));
    }

    [Fact]
    public void Apply_NewValuesContainingNulls_DropsTheNulls()
    {
        var patch = Fixtures.Node("""{"spec":{"template":{"spec":{"nodeSelector":{"disk":"ssd","gpu":null},"containers":[{"name":"sidecar","image":"s","workingDir":null}]}}}}""");

        var result = StrategicMergePatch.Apply(Fixtures.Deployment(), patch, ResourceSchema.Deployment);

        Fixtures.AssertJsonEqual("""{"disk":"ssd"}""", Fixtures.At(result, "/spec/template/spec/nodeSelector"));
        Fixtures.AssertJsonEqual("""{"name":"sidecar","image":"s"}""", Fixtures.At(result, Containers + "/0"));
    }

    [Fact]
    public void Apply_UnknownFields_MergeMapsAndReplaceLists()
    {
        var original = Fixtures.Parse("""{"spec":{"extra":{"a":1,"list":[1,2]}}}""");
        var patch = Fixtures.Node("""{"spec":{"extra":{"b":2,"list":[3]}}}""");

        var result = StrategicMergePatch.Apply(original, patch, ResourceSchema.Pod);

        Fixtures.AssertJsonEqual("""{"a":1,"b":2,"list":[3]}""", Fixtures.At(result, "/spec/extra"));
    }

    [Fact]
    public void Apply_TypeChange_PatchValueWins()
    {
        var original = Fixtures.Parse("""{"spec":{"containers":[{"name":"a","args":"oops"}]}}""");
        var patch = Fixtures.Node("""{"spec":{"containers":[{"name":"a","args":["--ok"]}]}}""");

        var result = StrategicMergePatch.Apply(original, patch, ResourceSchema.Pod);

        Fixtures.AssertJsonEqual("""["--ok"]""", Fixtures.At(result, "/spec/containers/0/args"));
    }

    private static JsonObject WithList(JsonObject root, string pointer, string listJson)
    {
        var tokens = pointer.Split('/', StringSplitOptions.RemoveEmptyEntries);
        JsonNode current = root;
        for (var i = 0; i < tokens.Length - 1; i++)
        {
            var isIndex = int.TryParse(tokens[i + 1], out _);
            if (current is JsonArray array)
            {
                var index = int.Parse(tokens[i], System.Globalization.CultureInfo.InvariantCulture);
                while (array.Count <= index)
                {
                    array.Add(new JsonObject { ["name"] = "a" });
                }

                current = array[index]!;
                continue;
            }

            var obj = (JsonObject)current;
            obj[tokens[i]] ??= isIndex ? new JsonArray() : new JsonObject();
            current = obj[tokens[i]]!;
        }

        ((JsonObject)current)[tokens[^1]] = JsonNode.Parse(listJson);
        return root;
    }
}

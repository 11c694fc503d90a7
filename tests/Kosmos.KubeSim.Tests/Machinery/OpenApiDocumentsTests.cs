using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kosmos.KubeSim.Machinery;
using Kosmos.TestSupport;

namespace Kosmos.KubeSim.Tests.Machinery;

public sealed partial class OpenApiDocumentsTests
{
    public static TheoryData<string> Kinds => [.. ResourceSchema.All.Select(s => s.Kind)];

    [Fact]
    public void Index_ListsEachGroupVersionWithHashedServerRelativeUrl()
    {
        var index = JsonNode.Parse(OpenApiDocuments.Index)!["paths"]!.AsObject();

        Assert.Equal(["api/v1", "apis/apps/v1", "apis/networking.k8s.io/v1", "apis/policy/v1", "apis/rbac.authorization.k8s.io/v1", "apis/snapshot.storage.k8s.io/v1"], index.Select(p => p.Key).Order(StringComparer.Ordinal));
        foreach (var (gvPath, entry) in index)
        {
            var url = entry!["serverRelativeURL"]!.GetValue<string>();
            var match = HashedUrlRegex().Match(url);
            Assert.True(match.Success, url);
            Assert.Equal(gvPath, match.Groups["gv"].Value);
            Assert.True(OpenApiDocuments.TryGet(url, out var json));
            Assert.Equal(Convert.ToHexString(SHA512.HashData(Encoding.UTF8.GetBytes(json))), match.Groups["hash"].Value);
            Assert.Equal(match.Groups["hash"].Value, OpenApiDocuments.HashOf(gvPath));
        }
    }

    [Fact]
    public void TryGet_IndexPath_ReturnsTheIndexWhateverTheQueryOrSlash()
    {
        Assert.True(OpenApiDocuments.TryGet("/openapi/v3", out var plain));
        Assert.True(OpenApiDocuments.TryGet("/openapi/v3/?timeout=32s", out var withQuery));
        Assert.Equal(OpenApiDocuments.Index, plain);
        Assert.Equal(plain, withQuery);
    }

    [Theory]
    [InlineData("/openapi/v3/apis/apps/v2")]
    [InlineData("/openapi/v3/apis/batch/v1")]
    [InlineData("/openapi/v2")]
    [InlineData("/api/v1")]
    public void TryGet_UnknownPath_ReturnsFalse(string path)
    {
        Assert.False(OpenApiDocuments.TryGet(path, out var json));
        Assert.Null(json);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Document_EachKind_HasComponentTaggedWithItsGroupVersionKind(string kind)
    {
        var schema = ResourceSchema.Get(kind);
        var doc = Document(schema);

        Assert.Equal("3.0.0", doc["openapi"]!.GetValue<string>());
        var component = doc["components"]!["schemas"]!.AsObject()
            .Single(c => c.Value!["x-kubernetes-group-version-kind"] is JsonArray gvks && gvks.Any(g => Matches(g, schema, kind)));
        var expectedName = kind == "VolumeSnapshot" ? "io.k8s.storage.snapshot.v1.VolumeSnapshot" : schema.Root.Definition;
        Assert.Equal(expectedName, component.Key);
        Assert.NotNull(component.Value!["properties"]!["metadata"]);
    }

    // kubectl's queryParamVerifierV3.HasSupport (k8s.io/cli-runtime resource/query_param_verifier_v3.go): it walks the
    // paths in Go map order and decides on the first PATCH operation tagged with the GVK, so every one must qualify.
    [Theory]
    [MemberData(nameof(Kinds))]
    public void Document_EveryPatchOperationOfKind_AcceptsFieldValidationAndDryRunQueryParameters(string kind)
    {
        var schema = ResourceSchema.Get(kind);
        var patches = PatchOperations(Document(schema), schema).ToList();

        Assert.NotEmpty(patches);
        foreach (var (path, operation) in patches)
        {
            var parameters = operation["parameters"]!.AsArray();
            Assert.Contains(parameters, p => p!["name"]!.GetValue<string>() == "fieldValidation" && p["in"]!.GetValue<string>() == "query");
            Assert.Contains(parameters, p => p!["name"]!.GetValue<string>() == "dryRun" && p["in"]!.GetValue<string>() == "query");
            Assert.Equal("patch", operation["x-kubernetes-action"]!.GetValue<string>());
            Assert.True(path.Length > 0);
        }
    }

    // kubectl's Patcher.gvkSupportsPatchOpenAPIV3: strategic merge for built-in kinds, JSON merge patch for the CRD.
    [Theory]
    [MemberData(nameof(Kinds))]
    public void Document_PatchRequestBody_OffersStrategicMergeOnlyForBuiltInKinds(string kind)
    {
        var schema = ResourceSchema.Get(kind);

        foreach (var (_, operation) in PatchOperations(Document(schema), schema))
        {
            var content = operation["requestBody"]!["content"]!.AsObject();
            Assert.Equal(!schema.IsCustomResource, content.ContainsKey("application/strategic-merge-patch+json"));
            Assert.True(content.ContainsKey("application/merge-patch+json"));
            Assert.True(content.ContainsKey("application/apply-patch+yaml"));
        }
    }

    [Theory]
    [InlineData("Deployment", "/apis/apps/v1/namespaces/{namespace}/deployments/{name}")]
    [InlineData("Pod", "/api/v1/namespaces/{namespace}/pods/{name}")]
    [InlineData("PersistentVolumeClaim", "/api/v1/namespaces/{namespace}/persistentvolumeclaims/{name}")]
    [InlineData("VolumeSnapshot", "/apis/snapshot.storage.k8s.io/v1/namespaces/{namespace}/volumesnapshots/{name}")]
    [InlineData("Namespace", "/api/v1/namespaces/{name}")]
    public void Document_ObjectPath_HasGetPutPatchDeleteTaggedWithKindAndAction(string kind, string path)
    {
        var schema = ResourceSchema.Get(kind);
        var item = Document(schema)["paths"]![path]!.AsObject();

        foreach (var (verb, action) in (ReadOnlySpan<(string, string)>)[("get", "get"), ("put", "put"), ("patch", "patch"), ("delete", "delete")])
        {
            var operation = item[verb]!;
            Assert.Equal(action, operation["x-kubernetes-action"]!.GetValue<string>());
            Assert.True(Matches(operation["x-kubernetes-group-version-kind"], schema, kind));
        }

        Assert.Contains(item["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "name" && p["in"]!.GetValue<string>() == "path" && p["required"]!.GetValue<bool>());
    }

    [Fact]
    public void Document_ApiV1_HasNamespacePatchWithFieldValidation_WhichKubectlChecksForCrds()
    {
        var doc = Document(ResourceSchema.Namespace);

        Assert.Contains(PatchOperations(doc, ResourceSchema.Namespace), p => p.Path == "/api/v1/namespaces/{name}");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Document_EveryReference_ResolvesToAComponentOfTheSameDocument(string kind)
    {
        var doc = Document(ResourceSchema.Get(kind));
        var components = doc["components"]!["schemas"]!.AsObject();
        var refs = new List<string>();
        CollectRefs(doc, refs);

        Assert.NotEmpty(refs);
        Assert.All(refs, r => Assert.True(components.ContainsKey(r["#/components/schemas/".Length..]), r));
    }

    [Theory]
    [InlineData("Deployment", "spec.template.spec.containers", "name", "merge")]
    [InlineData("Deployment", "spec.template.spec.containers[].env", "name", "merge")]
    [InlineData("Deployment", "spec.template.spec.containers[].volumeMounts", "mountPath", "merge")]
    [InlineData("Deployment", "spec.template.spec.containers[].ports", "containerPort", "merge")]
    [InlineData("Deployment", "spec.template.spec.volumes", "name", "merge,retainKeys")]
    [InlineData("Deployment", "spec.template.spec.containers[].envFrom", null, null)]
    [InlineData("Deployment", "spec.template.spec.tolerations", null, null)]
    [InlineData("Deployment", "spec.strategy", null, "retainKeys")]
    [InlineData("Deployment", "status.conditions", "type", "merge")]
    [InlineData("Deployment", "metadata.ownerReferences", "uid", "merge")]
    [InlineData("Deployment", "metadata.finalizers", null, "merge")]
    [InlineData("Pod", "spec.imagePullSecrets", "name", "merge")]
    [InlineData("Pod", "status.conditions", "type", "merge")]
    public void PatchMetaLookup_KeyedField_CarriesTheGoPatchTags(string kind, string fieldPath, string? mergeKey, string? strategy)
    {
        var schema = ResourceSchema.Get(kind);
        var doc = Document(schema);

        var (field, _) = KubectlPatchMeta.Lookup(doc, schema, fieldPath);

        Assert.Equal(mergeKey, field["x-kubernetes-patch-merge-key"]?.GetValue<string>());
        Assert.Equal(strategy, field["x-kubernetes-patch-strategy"]?.GetValue<string>());
    }

    // kubectl apply's three-way diff looks up patch metadata for every map- or list-valued field of the manifest
    // (strategicpatch.PatchMetaFromOpenAPIV3). A field it cannot find makes kubectl print
    // "warning: error calculating patch from openapi v3 spec" and fall back, so a realistic manifest must resolve fully.
    [Theory]
    [InlineData("Deployment")]
    [InlineData("ReplicaSet")]
    [InlineData("Pod")]
    [InlineData("PersistentVolumeClaim")]
    [InlineData("ConfigMap")]
    [InlineData("Secret")]
    [InlineData("Namespace")]
    [InlineData("Event")]
    public void PatchMetaLookup_EveryNestedFieldOfRealisticManifest_IsFound(string kind)
    {
        var schema = ResourceSchema.Get(kind);
        var doc = Document(schema);
        var manifest = Fixtures.Parse(Fixtures.ByKind[kind]);
        manifest.Remove("status");

        var visited = KubectlPatchMeta.WalkManifest(doc, schema, manifest);

        Assert.True(visited > 0, "no nested field was walked");
    }

    [Fact]
    public void PatchMetaLookup_RealClusterPods_EveryNestedFieldIsFound()
    {
        var doc = Document(ResourceSchema.Pod);

        foreach (var pod in RealPodFiles.Names.Select(RealPodFiles.Json))
        {
            Assert.True(KubectlPatchMeta.WalkManifest(doc, ResourceSchema.Pod, Fixtures.Parse(pod)) > 0);
        }
    }

    private static JsonObject Document(ResourceSchema schema)
    {
        var gvPath = schema.Group.Length == 0 ? $"api/{schema.Version}" : $"apis/{schema.Group}/{schema.Version}";
        Assert.True(OpenApiDocuments.TryGet($"/openapi/v3/{gvPath}?hash={OpenApiDocuments.HashOf(gvPath)}", out var json));
        return (JsonObject)JsonNode.Parse(json)!;
    }

    private static bool Matches(JsonNode? gvk, ResourceSchema schema, string kind) =>
        gvk is JsonObject g &&
        g["group"]?.GetValue<string>() == schema.Group &&
        g["version"]?.GetValue<string>() == schema.Version &&
        g["kind"]?.GetValue<string>() == kind;

    private static IEnumerable<(string Path, JsonObject Operation)> PatchOperations(JsonObject doc, ResourceSchema schema)
    {
        foreach (var (path, item) in doc["paths"]!.AsObject())
        {
            if (item?["patch"] is JsonObject patch && Matches(patch["x-kubernetes-group-version-kind"], schema, schema.Kind))
            {
                yield return (path, patch);
            }
        }
    }

    private static void CollectRefs(JsonNode? node, List<string> refs)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key == "$ref")
                    {
                        refs.Add(value!.GetValue<string>());
                    }
                    else
                    {
                        CollectRefs(value, refs);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    CollectRefs(item, refs);
                }

                break;
        }
    }

    [GeneratedRegex(@"^/openapi/v3/(?<gv>[a-z0-9./]+)\?hash=(?<hash>[0-9A-F]{128})$")]
    private static partial Regex HashedUrlRegex();

    /// <summary>A transcription of how strategicpatch.PatchMetaFromOpenAPIV3 walks a schema (traverse, then resolve allOf/$ref).</summary>
    private static class KubectlPatchMeta
    {
        public static (JsonObject Field, JsonObject Resolved) Lookup(JsonObject doc, ResourceSchema schema, string fieldPath)
        {
            var current = KindComponent(doc, schema);
            JsonObject field = current;
            foreach (var segment in fieldPath.Split('.'))
            {
                var isSlice = segment.EndsWith("[]", StringComparison.Ordinal);
                (field, current) = Step(doc, current, isSlice ? segment[..^2] : segment, isSlice);
            }

            return (field, current);
        }

        public static int WalkManifest(JsonObject doc, ResourceSchema schema, JsonObject manifest) =>
            Walk(doc, KindComponent(doc, schema), manifest);

        private static int Walk(JsonObject doc, JsonObject schema, JsonObject value)
        {
            var count = 0;
            foreach (var (key, child) in value)
            {
                switch (child)
                {
                    case JsonObject map:
                        count += 1 + Walk(doc, Step(doc, schema, key, isSlice: false).Resolved, map);
                        break;
                    case JsonArray list:
                        {
                            var items = Step(doc, schema, key, isSlice: true).Resolved;
                            count++;
                            foreach (var item in list.OfType<JsonObject>())
                            {
                                count += Walk(doc, items, item);
                            }

                            break;
                        }
                }
            }

            return count;
        }

        private static JsonObject KindComponent(JsonObject doc, ResourceSchema schema) =>
            (JsonObject)doc["components"]!["schemas"]!.AsObject()
                .Single(c => c.Value!["x-kubernetes-group-version-kind"] is JsonArray gvks && gvks.Any(g => Matches(g, schema, schema.Kind))).Value!;

        private static (JsonObject Field, JsonObject Resolved) Step(JsonObject doc, JsonObject schema, string key, bool isSlice)
        {
            // Maps (labels, limits, data) have additionalProperties: kubectl never looks up their string values.
            if (schema["additionalProperties"] is JsonObject values && schema["properties"] is null)
            {
                return (values, Resolve(doc, values));
            }

            var properties = schema["properties"] as JsonObject;
            Assert.True(properties is { Count: > 0 } && properties.ContainsKey(key), $"unable to find api field \"{key}\"");
            var field = (JsonObject)properties![key]!;
            var target = isSlice && field["items"] is JsonObject items ? items : field;
            return (field, Resolve(doc, target));
        }

        private static JsonObject Resolve(JsonObject doc, JsonObject schema)
        {
            if (schema["allOf"] is JsonArray allOf && allOf.Count > 0)
            {
                schema = (JsonObject)allOf[0]!;
            }

            if (schema["$ref"]?.GetValue<string>() is { } reference)
            {
                var name = reference["#/components/schemas/".Length..];
                schema = doc["components"]!["schemas"]![name] as JsonObject ?? throw new InvalidOperationException($"unable to resolve {reference} in OpenAPI V3");
            }

            return schema;
        }
    }
}

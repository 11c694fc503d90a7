using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kosmos.KubeSim.Machinery;

/// <summary>
/// The OpenAPI v3 documents kubectl reads before <c>kubectl apply</c>, generated from <see cref="ResourceSchema.All"/>:
/// <list type="bullet">
/// <item><c>GET /openapi/v3</c> — the index: <c>{"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=…"},…}}</c>;</item>
/// <item><c>GET /openapi/v3/apis/apps/v1?hash=…</c> — one OpenAPI 3.0 document per group-version with
/// <c>components.schemas</c> per kind (tagged <c>x-kubernetes-group-version-kind</c>, keyed lists tagged
/// <c>x-kubernetes-patch-merge-key</c>/<c>x-kubernetes-patch-strategy</c>) and the object paths with get/put/patch/delete
/// operations, each tagged <c>x-kubernetes-group-version-kind</c> and <c>x-kubernetes-action</c>.</item>
/// </list>
/// kubectl's field-validation verifier accepts a kind when the first PATCH operation tagged with its GVK has a
/// <c>fieldValidation</c> query parameter, so every PATCH operation carries one (and <c>dryRun</c>). Built-in kinds
/// accept <c>application/strategic-merge-patch+json</c>; the VolumeSnapshot CRD does not, which makes kubectl fall
/// back to a JSON merge patch for it, as against a real cluster. Built once; thread-safe.
/// </summary>
public static class OpenApiDocuments
{
    /// <summary>The Content-Type of every document.</summary>
    public const string ContentType = "application/json";

    /// <summary>The index path.</summary>
    public const string IndexPath = "/openapi/v3";

    private const string SchemaRef = "#/components/schemas/";
    private const string QuantityDefinition = "io.k8s.apimachinery.pkg.api.resource.Quantity";
    private const string IntOrStringDefinition = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
    private const string TimeDefinition = "io.k8s.apimachinery.pkg.apis.meta.v1.Time";
    private const string StatusDefinition = "io.k8s.apimachinery.pkg.apis.meta.v1.Status";
    private const string PatchDefinition = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";
    private const string DeleteOptionsDefinition = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions";
    private const string ListMetaDefinition = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta";

    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    private static readonly Lazy<(string Index, IReadOnlyDictionary<string, string> Documents)> Built = new(Build);

    /// <summary>The index document (<c>/openapi/v3</c>).</summary>
    public static string Index => Built.Value.Index;

    /// <summary>
    /// The document for a request path: <c>/openapi/v3</c> gives the index, <c>/openapi/v3/&lt;group-version path&gt;</c>
    /// (query string such as <c>?hash=…</c> ignored) a group-version document. False for anything else.
    /// </summary>
    public static bool TryGet(string path, [NotNullWhen(true)] out string? json)
    {
        ArgumentNullException.ThrowIfNull(path);
        json = null;
        var query = path.IndexOf('?', StringComparison.Ordinal);
        var clean = (query >= 0 ? path[..query] : path).TrimEnd('/');
        if (clean == IndexPath)
        {
            json = Index;
            return true;
        }

        if (!clean.StartsWith(IndexPath + "/", StringComparison.Ordinal))
        {
            return false;
        }

        return Built.Value.Documents.TryGetValue(clean[(IndexPath.Length + 1)..], out json);
    }

    /// <summary>The content hash the index advertises for a group-version path (uppercase hex SHA-512), or null.</summary>
    public static string? HashOf(string groupVersionPath) =>
        Built.Value.Documents.TryGetValue(groupVersionPath, out var json) ? Hash(json) : null;

    private static (string, IReadOnlyDictionary<string, string>) Build()
    {
        var documents = new Dictionary<string, string>(StringComparer.Ordinal);
        var indexPaths = new JsonObject();
        foreach (var group in ResourceSchema.All.GroupBy(s => (s.Group, s.Version)))
        {
            var gvPath = group.Key.Group.Length == 0 ? $"api/{group.Key.Version}" : $"apis/{group.Key.Group}/{group.Key.Version}";
            var json = GroupVersionDocument(group.ToList()).ToJsonString(Compact);
            documents[gvPath] = json;
            indexPaths[gvPath] = new JsonObject { ["serverRelativeURL"] = $"{IndexPath}/{gvPath}?hash={Hash(json)}" };
        }

        return (new JsonObject { ["paths"] = indexPaths }.ToJsonString(Compact), documents);
    }

    private static string Hash(string json) => Convert.ToHexString(SHA512.HashData(Encoding.UTF8.GetBytes(json)));

    private static JsonObject GroupVersionDocument(IReadOnlyList<ResourceSchema> kinds)
    {
        var components = new JsonObject();
        var paths = new JsonObject();
        AddCommonComponents(components);
        foreach (var kind in kinds)
        {
            var definition = kind.Root.Definition ?? CrdDefinition(kind);
            EmitObject(kind.Root, definition, components);
            var kindSchema = (JsonObject)components[definition]!;
            kindSchema["x-kubernetes-group-version-kind"] = new JsonArray(Gvk(kind));
            components[definition + "List"] = new JsonObject
            {
                ["type"] = "object",
                ["required"] = new JsonArray("items"),
                ["properties"] = new JsonObject
                {
                    ["apiVersion"] = new JsonObject { ["type"] = "string" },
                    ["items"] = new JsonObject { ["type"] = "array", ["items"] = Ref(definition) },
                    ["kind"] = new JsonObject { ["type"] = "string" },
                    ["metadata"] = Ref(ListMetaDefinition),
                },
                ["x-kubernetes-group-version-kind"] = new JsonArray(Gvk(kind, kind.Kind + "List")),
            };
            AddPaths(paths, kind, definition);
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = components },
        };
    }

    private static string CrdDefinition(ResourceSchema kind) =>
        string.Join('.', kind.Group.Split('.').Reverse()) + $".{kind.Version}.{kind.Kind}";

    private static JsonObject Gvk(ResourceSchema kind, string? kindName = null) => new()
    {
        ["group"] = kind.Group,
        ["kind"] = kindName ?? kind.Kind,
        ["version"] = kind.Version,
    };

    private static JsonObject Ref(string definition) => new() { ["$ref"] = SchemaRef + definition };

    private static void AddCommonComponents(JsonObject components)
    {
        components[QuantityDefinition] = new JsonObject
        {
            ["description"] = "A fixed-point number such as 2Gi, 500m or 1.5.",
            ["oneOf"] = new JsonArray(new JsonObject { ["type"] = "string" }, new JsonObject { ["type"] = "number" }),
        };
        components[IntOrStringDefinition] = new JsonObject
        {
            ["format"] = "int-or-string",
            ["oneOf"] = new JsonArray(new JsonObject { ["type"] = "integer" }, new JsonObject { ["type"] = "string" }),
        };
        components[TimeDefinition] = new JsonObject { ["type"] = "string", ["format"] = "date-time" };
        components[PatchDefinition] = new JsonObject
        {
            ["description"] = "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.",
            ["type"] = "object",
        };
        components[ListMetaDefinition] = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["continue"] = new JsonObject { ["type"] = "string" },
                ["remainingItemCount"] = new JsonObject { ["type"] = "integer", ["format"] = "int64" },
                ["resourceVersion"] = new JsonObject { ["type"] = "string" },
                ["selfLink"] = new JsonObject { ["type"] = "string" },
            },
        };
        components[StatusDefinition] = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["apiVersion"] = new JsonObject { ["type"] = "string" },
                ["code"] = new JsonObject { ["type"] = "integer", ["format"] = "int32" },
                ["details"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true },
                ["kind"] = new JsonObject { ["type"] = "string" },
                ["message"] = new JsonObject { ["type"] = "string" },
                ["metadata"] = Ref(ListMetaDefinition),
                ["reason"] = new JsonObject { ["type"] = "string" },
                ["status"] = new JsonObject { ["type"] = "string" },
            },
            ["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject { ["group"] = "", ["kind"] = "Status", ["version"] = "v1" }),
        };
        components[DeleteOptionsDefinition] = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["apiVersion"] = new JsonObject { ["type"] = "string" },
                ["dryRun"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } },
                ["gracePeriodSeconds"] = new JsonObject { ["type"] = "integer", ["format"] = "int64" },
                ["kind"] = new JsonObject { ["type"] = "string" },
                ["propagationPolicy"] = new JsonObject { ["type"] = "string" },
            },
        };
    }

    // Emits a struct as a named component (once) or inline, and returns the schema to put where it is used.
    private static JsonObject EmitObject(SchemaNode node, string? definition, JsonObject components)
    {
        if (definition is not null && components.ContainsKey(definition))
        {
            return Ref(definition);
        }

        var properties = new JsonObject();
        var schema = new JsonObject { ["type"] = "object", ["properties"] = properties };
        if (definition is not null)
        {
            components[definition] = schema;
        }

        foreach (var (name, child) in node.Properties)
        {
            properties[name] = Emit(child, components);
        }

        return definition is null ? schema : Ref(definition);
    }

    private static JsonObject Emit(SchemaNode node, JsonObject components)
    {
        var schema = node.Type switch
        {
            SchemaType.Object => EmitObject(node, node.Definition, components),
            SchemaType.Map => new JsonObject { ["type"] = "object", ["additionalProperties"] = Emit(node.Values!, components) },
            SchemaType.Array => new JsonObject { ["type"] = "array", ["items"] = Emit(node.Items!, components) },
            SchemaType.String when node.Format == "date-time" => Ref(TimeDefinition),
            SchemaType.String => Primitive("string", node.Format),
            SchemaType.Integer => Primitive("integer", node.Format),
            SchemaType.Number => Primitive("number", "double"),
            SchemaType.Boolean => Primitive("boolean", null),
            SchemaType.Quantity => Ref(QuantityDefinition),
            SchemaType.IntOrString => Ref(IntOrStringDefinition),
            _ => new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true },
        };

        if (node.PatchStrategy.Length == 0)
        {
            return schema;
        }

        // Extensions beside a $ref are ignored by JSON Schema, so a referenced type is wrapped in allOf as Kubernetes does.
        if (schema.ContainsKey("$ref"))
        {
            schema = new JsonObject { ["allOf"] = new JsonArray(schema) };
        }

        if (node.MergeKey is not null)
        {
            schema["x-kubernetes-list-map-keys"] = new JsonArray(node.MergeKey);
            schema["x-kubernetes-list-type"] = "map";
            schema["x-kubernetes-patch-merge-key"] = node.MergeKey;
        }
        else if (node.Type == SchemaType.Array)
        {
            schema["x-kubernetes-list-type"] = "set";
        }

        schema["x-kubernetes-patch-strategy"] = node.PatchStrategy;
        return schema;
    }

    private static JsonObject Primitive(string type, string? format)
    {
        var schema = new JsonObject { ["type"] = type };
        if (format is not null)
        {
            schema["format"] = format;
        }

        return schema;
    }

    private static void AddPaths(JsonObject paths, ResourceSchema kind, string definition)
    {
        var prefix = kind.Group.Length == 0 ? $"/api/{kind.Version}" : $"/apis/{kind.Group}/{kind.Version}";
        var scope = kind.Namespaced ? "Namespaced" : "";
        var collection = kind.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{kind.Plural}" : $"{prefix}/{kind.Plural}";
        var item = $"{collection}/{{name}}";
        var tag = Tag(kind);

        var collectionItem = new JsonObject
        {
            ["get"] = Operation(kind, tag, "list", $"list{scope}{kind.Kind}", ListParameters(), Response("200", definition + "List")),
            ["post"] = Operation(kind, tag, "post", $"create{scope}{kind.Kind}", WriteParameters(patch: false),
                Responses(definition, "200", "201", "202"), Body(definition)),
            ["parameters"] = PathParameters(kind, withName: false),
        };
        if (kind.Namespaced)
        {
            collectionItem["delete"] = Operation(kind, tag, "deletecollection", $"deleteCollection{scope}{kind.Kind}",
                [.. ListParameters(), .. DeleteParameters()], Response("200", StatusDefinition), Body(DeleteOptionsDefinition));
        }

        paths[collection] = collectionItem;
        paths[item] = ItemPath(kind, tag, definition, $"{scope}{kind.Kind}", withDelete: true);
        foreach (var subresource in kind.Subresources.Where(s => s == "status"))
        {
            paths[$"{item}/{subresource}"] = ItemPath(kind, tag, definition, $"{scope}{kind.Kind}Status", withDelete: false);
        }

        if (kind.Namespaced)
        {
            paths[$"{prefix}/{kind.Plural}"] = new JsonObject
            {
                ["get"] = Operation(kind, tag, "list", $"list{kind.Kind}ForAllNamespaces", ListParameters(), Response("200", definition + "List")),
            };
        }
    }

    private static JsonObject ItemPath(ResourceSchema kind, string tag, string definition, string operationSuffix, bool withDelete)
    {
        var patchBody = new JsonObject();
        var patchTypes = new List<string> { "application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json" };
        if (!kind.IsCustomResource)
        {
            patchTypes.Add("application/strategic-merge-patch+json");
        }

        foreach (var type in patchTypes)
        {
            patchBody[type] = new JsonObject { ["schema"] = Ref(PatchDefinition) };
        }

        var path = new JsonObject
        {
            ["get"] = Operation(kind, tag, "get", $"read{operationSuffix}", [], Response("200", definition)),
            ["put"] = Operation(kind, tag, "put", $"replace{operationSuffix}", WriteParameters(patch: false),
                Responses(definition, "200", "201"), Body(definition)),
            ["patch"] = Operation(kind, tag, "patch", $"patch{operationSuffix}", WriteParameters(patch: true),
                Responses(definition, "200", "201"), new JsonObject { ["content"] = patchBody, ["required"] = true }),
        };
        if (withDelete)
        {
            path["delete"] = Operation(kind, tag, "delete", $"delete{operationSuffix}", DeleteParameters(),
                Responses(StatusDefinition, "200", "202"), Body(DeleteOptionsDefinition));
        }

        path["parameters"] = PathParameters(kind, withName: true);
        return path;
    }

    private static JsonObject Operation(ResourceSchema kind, string tag, string action, string operationId,
        IEnumerable<JsonObject> parameters, JsonObject responses, JsonObject? requestBody = null)
    {
        var operation = new JsonObject
        {
            ["tags"] = new JsonArray(tag),
            ["description"] = $"{action} {kind.Kind}",
            ["operationId"] = operationId,
            ["parameters"] = new JsonArray([.. parameters]),
        };
        if (requestBody is not null)
        {
            operation["requestBody"] = requestBody;
        }

        operation["responses"] = responses;
        operation["x-kubernetes-action"] = action;
        operation["x-kubernetes-group-version-kind"] = Gvk(kind);
        return operation;
    }

    private static string Tag(ResourceSchema kind)
    {
        if (kind.Group.Length == 0)
        {
            return "core_" + kind.Version;
        }

        var parts = kind.Group.Split('.');
        return parts[0] + string.Concat(parts.Skip(1).Select(p => char.ToUpperInvariant(p[0]) + p[1..])) + "_" + kind.Version;
    }

    private static JsonObject Body(string definition) => new()
    {
        ["content"] = new JsonObject { ["*/*"] = new JsonObject { ["schema"] = Ref(definition) } },
        ["required"] = true,
    };

    private static JsonObject Response(string code, string definition) => Responses(definition, code);

    private static JsonObject Responses(string definition, params string[] codes)
    {
        var responses = new JsonObject();
        foreach (var code in codes)
        {
            responses[code] = new JsonObject
            {
                ["description"] = code switch { "201" => "Created", "202" => "Accepted", _ => "OK" },
                ["content"] = new JsonObject
                {
                    ["application/json"] = new JsonObject { ["schema"] = Ref(definition) },
                    ["application/yaml"] = new JsonObject { ["schema"] = Ref(definition) },
                },
            };
        }

        responses["401"] = new JsonObject { ["description"] = "Unauthorized" };
        return responses;
    }

    private static JsonArray PathParameters(ResourceSchema kind, bool withName)
    {
        var parameters = new JsonArray();
        if (withName)
        {
            parameters.Add(PathParameter("name", $"name of the {kind.Kind}"));
        }

        if (kind.Namespaced)
        {
            parameters.Add(PathParameter("namespace", "object name and auth scope, such as for teams and projects"));
        }

        parameters.Add(Query("pretty", "If 'true', then the output is pretty printed.", "string"));
        return parameters;
    }

    private static JsonObject PathParameter(string name, string description) => new()
    {
        ["name"] = name,
        ["in"] = "path",
        ["description"] = description,
        ["required"] = true,
        ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
    };

    private static JsonObject Query(string name, string description, string type) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["description"] = description,
        ["schema"] = new JsonObject { ["type"] = type, ["uniqueItems"] = true },
    };

    private static List<JsonObject> WriteParameters(bool patch)
    {
        var parameters = new List<JsonObject>
        {
            Query("dryRun", "When present, indicates that modifications should not be persisted. Valid value: All.", "string"),
            Query("fieldManager", "fieldManager is a name associated with the actor or entity that is making these changes.", "string"),
            Query("fieldValidation", "fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values: Ignore, Warn (default), Strict.", "string"),
        };
        if (patch)
        {
            parameters.Add(Query("force", "Force is going to \"force\" Apply requests. It must be unset for non-apply patch requests.", "boolean"));
        }

        return parameters;
    }

    private static List<JsonObject> DeleteParameters() =>
    [
        Query("dryRun", "When present, indicates that modifications should not be persisted. Valid value: All.", "string"),
        Query("gracePeriodSeconds", "The duration in seconds before the object should be deleted.", "integer"),
        Query("propagationPolicy", "Whether and how garbage collection will be performed: Orphan, Background or Foreground.", "string"),
    ];

    private static List<JsonObject> ListParameters() =>
    [
        Query("allowWatchBookmarks", "allowWatchBookmarks requests watch events with type \"BOOKMARK\".", "boolean"),
        Query("continue", "The continue option should be set when retrieving more results from the server.", "string"),
        Query("fieldSelector", "A selector to restrict the list of returned objects by their fields.", "string"),
        Query("labelSelector", "A selector to restrict the list of returned objects by their labels.", "string"),
        Query("limit", "limit is a maximum number of responses to return for a list call.", "integer"),
        Query("resourceVersion", "resourceVersion sets a constraint on what resource versions a request may be served from.", "string"),
        Query("timeoutSeconds", "Timeout for the list/watch call.", "integer"),
        Query("watch", "Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.", "boolean"),
    ];
}

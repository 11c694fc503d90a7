using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kosmos.KubeSim.Control;
using Kosmos.KubeSim.Runtime;
using Kosmos.KubeSim.Store;
using Microsoft.AspNetCore.Http;

namespace Kosmos.KubeSim.Api;

/// <summary>Serves every resource URL: list, get, watch, create, replace, patch, delete, deletecollection and subresources.</summary>
public sealed class ResourceHandler(ObjectStore store, SimulatorStats stats, TimeProvider time, IPodRuntime? runtime, WatchOptions watchOptions)
{
    public async Task HandleAsync(HttpContext http, ApiPath path)
    {
        var method = http.Request.Method;
        if (path.Subresource is "log" or "exec")
        {
            await HandlePodStreamAsync(http, path);
            return;
        }

        if (path.IsCollection)
        {
            switch (method)
            {
                case "GET" when HttpJson.QueryFlag(http.Request, "watch"):
                    stats.CountRequest("watch", path.Kind.Plural);
                    await new WatchStreamer(store, time, watchOptions, stats).StreamAsync(http, path.Kind, path.Namespace, Selectors(http.Request, path.Kind));
                    return;
                case "GET":
                    stats.CountRequest("list", path.Kind.Plural);
                    await ListAsync(http, path);
                    return;
                case "POST":
                    stats.CountRequest("create", path.Kind.Plural);
                    await CreateAsync(http, path);
                    return;
                case "DELETE":
                    stats.CountRequest("deletecollection", path.Kind.Plural);
                    await DeleteCollectionAsync(http, path);
                    return;
            }
        }
        else
        {
            switch (method)
            {
                case "GET":
                    stats.CountRequest("get", path.Kind.Plural);
                    await GetAsync(http, path);
                    return;
                case "PUT":
                    stats.CountRequest("update", path.Kind.Plural);
                    await ReplaceAsync(http, path);
                    return;
                case "PATCH":
                    stats.CountRequest("patch", path.Kind.Plural);
                    await PatchAsync(http, path);
                    return;
                case "DELETE" when path.Subresource is null:
                    stats.CountRequest("delete", path.Kind.Plural);
                    await DeleteAsync(http, path);
                    return;
            }
        }

        throw ApiException.MethodNotAllowed($"the server does not allow this method on the requested resource");
    }

    private async Task ListAsync(HttpContext http, ApiPath path)
    {
        var selectors = Selectors(http.Request, path.Kind);
        var (page, rv, continueToken) = Paging.List(store, path.Kind, path.Namespace, selectors.Matches, http.Request);
        if (HttpJson.WantsTable(http.Request))
        {
            var table = TableConverter.ToTable(path.Kind, page, rv, time.GetUtcNow(), IncludeFullObject(http.Request));
            if (continueToken is not null)
            {
                table["metadata"]!["continue"] = continueToken;
            }

            await WriteAsync(http, 200, table, HttpJson.TableContentType);
            return;
        }

        var metadata = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture) };
        if (continueToken is not null)
        {
            metadata["continue"] = continueToken;
        }

        var list = new JsonObject
        {
            ["kind"] = path.Kind.ListKind,
            ["apiVersion"] = path.Kind.ApiVersion,
            ["metadata"] = metadata,
            ["items"] = new JsonArray(page.Select(i => (JsonNode?)i.DeepClone()).ToArray()),
        };
        await WriteAsync(http, 200, list);
    }

    private async Task GetAsync(HttpContext http, ApiPath path)
    {
        var obj = Require(path);
        switch (path.Subresource)
        {
            case "scale":
                await WriteAsync(http, 200, Scale.From(path.Kind, obj));
                return;
            case null when HttpJson.WantsTable(http.Request):
                await WriteAsync(http, 200, TableConverter.ToTable(path.Kind, [obj], store.CurrentResourceVersion, time.GetUtcNow(), IncludeFullObject(http.Request)),
                    HttpJson.TableContentType);
                return;
            default:
                await WriteAsync(http, 200, obj);
                return;
        }
    }

    private async Task CreateAsync(HttpContext http, ApiPath path)
    {
        var body = HttpJson.ParseOrThrow(await HttpJson.ReadBodyAsync(http)) as JsonObject
            ?? throw ApiException.BadRequest("the body of the request must be a JSON object");
        CheckTypeAndNamespace(path, body);
        RequireNamespace(path);
        var (accepted, warnings) = Admission.Validate(path.Kind, body, Admission.ParseFieldValidation(HttpJson.Query(http.Request, "fieldValidation")));
        var created = store.Create(path.Kind, Admission.Mutate(path.Kind, accepted), DryRun(http.Request));
        AddWarnings(http, warnings);
        await WriteAsync(http, 201, created);
    }

    private async Task ReplaceAsync(HttpContext http, ApiPath path)
    {
        var body = HttpJson.ParseOrThrow(await HttpJson.ReadBodyAsync(http)) as JsonObject
            ?? throw ApiException.BadRequest("the body of the request must be a JSON object");
        CheckTypeAndNamespace(path, body);
        var bodyName = body["metadata"]?["name"]?.GetValue<string>();
        if (bodyName != path.Name)
        {
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({path.Name})");
        }

        var mode = Admission.ParseFieldValidation(HttpJson.Query(http.Request, "fieldValidation"));
        if (path.Subresource == "scale")
        {
            var replicas = (int?)JsonValues.Long(body["spec"]?["replicas"]) ?? 0;
            var scaled = store.Update(path.Kind, path.Namespace, path.Name!, o => Scale.WithReplicas(o, replicas), UpdateScope.Main, DryRun(http.Request));
            await WriteAsync(http, 200, Scale.From(path.Kind, scaled));
            return;
        }

        IReadOnlyList<string> warnings = [];
        var updated = store.Update(path.Kind, path.Namespace, path.Name!, _ =>
        {
            (var accepted, warnings) = Admission.Validate(path.Kind, body, mode);
            return accepted;
        }, ScopeOf(path), DryRun(http.Request));
        AddWarnings(http, warnings);
        await WriteAsync(http, 200, updated);
    }

    private async Task PatchAsync(HttpContext http, ApiPath path)
    {
        var patchKind = PatchDispatcher.ParseContentType(http.Request.ContentType, path.Kind);
        var body = await HttpJson.ReadBodyAsync(http);
        var dryRun = DryRun(http.Request);
        var mode = Admission.ParseFieldValidation(HttpJson.Query(http.Request, "fieldValidation"));
        if (patchKind == PatchKind.Apply && path.Subresource is null && store.Get(path.Kind, path.Namespace, path.Name!) is null)
        {
            // Server-side apply of an object that does not exist yet creates it.
            var applied = PatchDispatcher.ParseApplyBody(body);
            CheckTypeAndNamespace(path, applied);
            if (applied["metadata"]?["name"]?.GetValue<string>() != path.Name)
            {
                throw ApiException.BadRequest("the name of the object does not match the name on the URL");
            }

            RequireNamespace(path);
            var (accepted, applyWarnings) = Admission.Validate(path.Kind, applied, mode);
            AddWarnings(http, applyWarnings);
            await WriteAsync(http, 201, store.Create(path.Kind, Admission.Mutate(path.Kind, accepted), dryRun));
            return;
        }

        if (path.Subresource == "scale")
        {
            var scaled = store.Update(path.Kind, path.Namespace, path.Name!, o =>
            {
                var scale = PatchDispatcher.Apply(path.Kind, Scale.From(path.Kind, o), patchKind == PatchKind.Strategic ? PatchKind.Merge : patchKind, body);
                return Scale.WithReplicas(o, (int?)JsonValues.Long(scale["spec"]?["replicas"]) ?? 0);
            }, UpdateScope.Main, dryRun);
            await WriteAsync(http, 200, Scale.From(path.Kind, scaled));
            return;
        }

        IReadOnlyList<string> warnings = [];
        var updated = store.Update(path.Kind, path.Namespace, path.Name!, current =>
        {
            var patched = PatchDispatcher.Apply(path.Kind, current, patchKind, body);
            (var accepted, warnings) = Admission.Validate(path.Kind, patched, mode);
            return accepted;
        }, ScopeOf(path), dryRun);
        AddWarnings(http, warnings);
        await WriteAsync(http, 200, updated);
    }

    private async Task DeleteAsync(HttpContext http, ApiPath path)
    {
        var options = await DeleteOptions.ReadAsync(http);
        var deleted = DeleteOne(path.Kind, path.Namespace, path.Name!, options);
        await WriteAsync(http, 200, deleted);
    }

    private async Task DeleteCollectionAsync(HttpContext http, ApiPath path)
    {
        var options = await DeleteOptions.ReadAsync(http);
        var selectors = Selectors(http.Request, path.Kind);
        var (items, _) = store.List(path.Kind, path.Namespace, selectors.Matches);
        var deleted = new JsonArray();
        foreach (var item in items)
        {
            var meta = item["metadata"]!;
            try
            {
                deleted.Add(DeleteOne(path.Kind, meta["namespace"]?.GetValue<string>(), meta["name"]!.GetValue<string>(), options));
            }
            catch (ApiException ex) when (ex.Code == 404)
            {
                // Deleted by someone else meanwhile: the goal is reached all the same.
            }
        }

        await WriteAsync(http, 200, new JsonObject
        {
            ["kind"] = path.Kind.ListKind,
            ["apiVersion"] = path.Kind.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = store.CurrentResourceVersion.ToString(CultureInfo.InvariantCulture) },
            ["items"] = deleted,
        });
    }

    private JsonObject DeleteOne(ResourceKind kind, string? ns, string name, DeleteOptions options)
    {
        var current = store.Get(kind, ns, name) ?? throw ApiException.NotFound(kind, name);
        if (options.PreconditionUid is { } uid && current["metadata"]?["uid"]?.GetValue<string>() != uid)
        {
            throw new ApiException(409, "Conflict",
                $"Operation cannot be fulfilled on {kind.QualifiedPlural} \"{name}\": Precondition failed: UID in precondition: {uid}, UID in object meta: {current["metadata"]?["uid"]}");
        }

        if (kind == ResourceKinds.Pods && runtime is not null)
        {
            var grace = options.GracePeriodSeconds ?? JsonValues.Long(current["spec"]?["terminationGracePeriodSeconds"]) ?? 30;

            // Like the real API server: a pod no kubelet runs (unscheduled) or that has finished has nothing to stop.
            var unscheduled = JsonValues.String(JsonValues.At(current, "spec", "nodeName")) is null or "";
            var finished = JsonValues.String(JsonValues.At(current, "status", "phase")) is "Succeeded" or "Failed";
            if (grace > 0 && !unscheduled && !finished)
            {
                // Graceful deletion: the pod is marked and lives on as Terminating until the kubelet has stopped it.
                if (current["metadata"]?["deletionTimestamp"] is not null)
                {
                    return current;
                }

                return store.Update(kind, ns, name, pod =>
                {
                    var meta = ObjectStore.Metadata(pod);
                    meta["deletionTimestamp"] = ObjectStore.Timestamp(time.GetUtcNow().AddSeconds(grace));
                    meta["deletionGracePeriodSeconds"] = grace;
                    return pod;
                }, UpdateScope.All, options.DryRun);
            }
        }

        if (kind != ResourceKinds.Pods && ObjectStore.HasFinalizers(ObjectStore.Metadata(current)))
        {
            // Finalizers (a claim's kubernetes.io/pvc-protection) hold the object: it is only marked, answered as the
            // object itself, and goes when its controllers have removed the last one.
            return current["metadata"]?["deletionTimestamp"] is not null ? current : store.Update(kind, ns, name, obj =>
            {
                var meta = ObjectStore.Metadata(obj);
                meta["deletionTimestamp"] = ObjectStore.Timestamp(time.GetUtcNow());
                meta["deletionGracePeriodSeconds"] = 0;
                return obj;
            }, UpdateScope.All, options.DryRun);
        }

        var gone = store.Delete(kind, ns, name, options.DryRun);

        // As the registries answer (ReturnDeletedObject): pods and claims give the deleted object back, other kinds a Status.
        // KubernetesClient's typed DeleteNamespacedPersistentVolumeClaimAsync cannot read a Status.
        return kind == ResourceKinds.Pods || kind == ResourceKinds.PersistentVolumeClaims ? gone : Status.Success(kind, name, gone["metadata"]?["uid"]?.GetValue<string>());
    }

    private async Task HandlePodStreamAsync(HttpContext http, ApiPath path)
    {
        if (runtime is null)
        {
            throw new ApiException(503, "ServiceUnavailable", "no kubelet is running in this simulator");
        }

        Require(path);
        var container = HttpJson.Query(http.Request, "container");
        if (path.Subresource == "exec")
        {
            stats.CountRequest("exec", "pods");
            var command = http.Request.Query["command"].Where(c => c is not null).Select(c => c!).ToList();
            if (command.Count == 0)
            {
                throw ApiException.BadRequest("you must specify at least 1 command");
            }

            await runtime.ExecAsync(http, path.Namespace!, path.Name!, container, command, http.RequestAborted);
            return;
        }

        stats.CountRequest("log", "pods");
        await new LogStreamer(runtime, time).StreamAsync(http, path.Namespace!, path.Name!, container);
    }

    private void RequireNamespace(ApiPath path)
    {
        if (path.Kind.Namespaced && store.Get(ResourceKinds.Namespaces, null, path.Namespace ?? "default") is null)
        {
            throw ApiException.NotFound(ResourceKinds.Namespaces, path.Namespace ?? "default");
        }
    }

    private JsonObject Require(ApiPath path) =>
        store.Get(path.Kind, path.Namespace, path.Name!) ?? throw ApiException.NotFound(path.Kind, path.Name!);

    private async Task WriteAsync(HttpContext http, int code, JsonNode body, string contentType = HttpJson.Json)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body);
        stats.CountBytes(bytes.Length);
        http.Response.StatusCode = code;
        http.Response.ContentType = contentType;
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
    }

    private static UpdateScope ScopeOf(ApiPath path) => path.Subresource == "status" ? UpdateScope.Status : UpdateScope.Main;

    private static bool DryRun(HttpRequest request) => request.Query["dryRun"].Contains("All");

    private static bool IncludeFullObject(HttpRequest request) => HttpJson.Query(request, "includeObject") == "Object";

    private static void AddWarnings(HttpContext http, IReadOnlyList<string> warnings)
    {
        foreach (var w in warnings)
        {
            http.Response.Headers.Append("Warning", $"299 - \"{w.Replace("\"", "'", StringComparison.Ordinal)}\"");
        }
    }

    private static ObjectSelectors Selectors(HttpRequest request, ResourceKind kind) =>
        ObjectSelectors.Parse(kind, HttpJson.Query(request, "labelSelector"), HttpJson.Query(request, "fieldSelector"));

    private static void CheckTypeAndNamespace(ApiPath path, JsonObject body)
    {
        var kind = body["kind"]?.GetValue<string>();
        var apiVersion = body["apiVersion"]?.GetValue<string>();
        if (path.Subresource is null && kind is not null && (kind != path.Kind.Kind || (apiVersion is not null && apiVersion != path.Kind.ApiVersion)))
        {
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({path.Kind.ApiVersion})"
                + (kind != path.Kind.Kind ? $" or kind {kind} is not {path.Kind.Kind}" : ""));
        }

        var bodyNs = body["metadata"]?["namespace"]?.GetValue<string>();
        if (path.Kind.Namespaced && bodyNs is { Length: > 0 } && bodyNs != path.Namespace)
        {
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        if (path.Kind.Namespaced && body["metadata"] is JsonObject meta)
        {
            meta["namespace"] = path.Namespace;
        }
    }
}

/// <summary>The DeleteOptions a client may send in the query or the body.</summary>
internal sealed record DeleteOptions(long? GracePeriodSeconds, string? PropagationPolicy, string? PreconditionUid, bool DryRun)
{
    public static async Task<DeleteOptions> ReadAsync(HttpContext http)
    {
        var text = await HttpJson.ReadBodyAsync(http);
        var body = string.IsNullOrWhiteSpace(text) ? null : HttpJson.ParseOrThrow(text) as JsonObject;
        long? grace = JsonValues.Long(body?["gracePeriodSeconds"]);
        if (HttpJson.Query(http.Request, "gracePeriodSeconds") is { } q && long.TryParse(q, CultureInfo.InvariantCulture, out var g))
        {
            grace = g;
        }

        var dryRun = http.Request.Query["dryRun"].Contains("All")
            || (body?["dryRun"] as JsonArray)?.Any(d => d?.GetValue<string>() == "All") == true;
        return new DeleteOptions(grace,
            body?["propagationPolicy"]?.GetValue<string>() ?? HttpJson.Query(http.Request, "propagationPolicy"),
            body?["preconditions"]?["uid"]?.GetValue<string>(), dryRun);
    }
}

/// <summary>The autoscaling/v1 Scale view of a deployment or replica set.</summary>
internal static class Scale
{
    public static JsonObject From(ResourceKind kind, JsonObject obj)
    {
        var meta = obj["metadata"]!;
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = meta["name"]?.DeepClone(),
                ["namespace"] = meta["namespace"]?.DeepClone(),
                ["uid"] = meta["uid"]?.DeepClone(),
                ["resourceVersion"] = meta["resourceVersion"]?.DeepClone(),
                ["creationTimestamp"] = meta["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = (int?)JsonValues.Long(obj["spec"]?["replicas"]) ?? 0 },
            ["status"] = new JsonObject
            {
                ["replicas"] = (int?)JsonValues.Long(obj["status"]?["replicas"]) ?? 0,
                ["selector"] = string.Join(",", (obj["spec"]?["selector"]?["matchLabels"] as JsonObject ?? []).Select(p => $"{p.Key}={p.Value}")),
            },
        };
    }

    public static JsonObject WithReplicas(JsonObject obj, int replicas)
    {
        if (replicas < 0)
        {
            throw new ApiException(422, "Invalid", $"Scale.autoscaling \"{obj["metadata"]?["name"]}\" is invalid: spec.replicas: Invalid value: {replicas}: must be greater than or equal to 0");
        }

        obj["spec"]!["replicas"] = replicas;
        return obj;
    }
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Kosmos.KubeSim.Machinery;

/// <summary>
/// The per-kind value rules of the API server's validation (<c>pkg/apis/core/validation</c>,
/// <c>pkg/apis/apps/validation</c>, the snapshot CRD schema) that real manifests and the runbook's commands touch.
/// Values of the wrong JSON type are skipped here: the structural walk reports them.
/// </summary>
internal static partial class ObjectRules
{
    private const int TotalAnnotationSizeLimit = 256 * 1024;
    private const int MaxSecretOrConfigMapSize = 1024 * 1024;

    private static readonly string[] RestartPolicies = ["Always", "OnFailure", "Never"];
    private static readonly string[] DnsPolicies = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];
    private static readonly string[] PullPolicies = ["Always", "IfNotPresent", "Never"];
    private static readonly string[] Protocols = ["SCTP", "TCP", "UDP"];
    private static readonly string[] AccessModes = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];
    private static readonly string[] VolumeModes = ["Block", "Filesystem"];
    private static readonly string[] StrategyTypes = ["Recreate", "RollingUpdate"];
    private static readonly string[] TolerationOperators = ["Equal", "Exists"];
    private static readonly string[] ProbeHandlers = ["exec", "httpGet", "tcpSocket", "grpc"];

    public static List<FieldError> Check(ResourceSchema schema, JsonObject obj)
    {
        var errors = new List<FieldError>();
        var metadata = obj["metadata"] as JsonObject;
        Func<string, IReadOnlyList<string>> nameRule = schema.Kind == "Namespace" ? NameRules.Dns1123Label : NameRules.Dns1123Subdomain;
        ObjectMeta(errors, metadata, "metadata", schema.Namespaced, nameRule, requireName: true);
        var spec = obj["spec"] as JsonObject;
        switch (schema.Kind)
        {
            case "Pod":
                PodSpec(errors, spec ?? [], "spec", template: false);
                break;
            case "Deployment":
            case "ReplicaSet":
                Workload(errors, schema.Kind, spec ?? []);
                break;
            case "PersistentVolumeClaim":
                PvcSpec(errors, spec ?? [], "spec");
                break;
            case "ConfigMap":
                ConfigData(errors, obj, secret: false);
                break;
            case "Secret":
                ConfigData(errors, obj, secret: true);
                break;
            case "Event":
                Event(errors, obj, metadata);
                break;
            case "VolumeSnapshot":
                VolumeSnapshot(errors, obj);
                break;
            case "Role":
            case "ClusterRole":
                PolicyRules(errors, obj["rules"] as JsonArray, namespaced: schema.Kind == "Role");
                break;
            case "RoleBinding":
            case "ClusterRoleBinding":
                Binding(errors, obj, namespaced: schema.Kind == "RoleBinding");
                break;
        }

        return errors;
    }

    private static void ObjectMeta(List<FieldError> errors, JsonObject? metadata, string path, bool namespaced, Func<string, IReadOnlyList<string>> nameRule, bool requireName)
    {
        var name = Str(metadata, "name");
        if (string.IsNullOrEmpty(name))
        {
            if (requireName && string.IsNullOrEmpty(Str(metadata, "generateName")))
            {
                errors.Add(Rules.Required($"{path}.name", "name or generateName is required"));
            }
        }
        else
        {
            errors.AddRange(nameRule(name).Select(message => Rules.Invalid($"{path}.name", JsonNodes.GoQuote(name), message)));
        }

        var ns = Str(metadata, "namespace");
        if (!string.IsNullOrEmpty(ns))
        {
            if (namespaced)
            {
                errors.AddRange(NameRules.Dns1123Label(ns).Select(message => Rules.Invalid($"{path}.namespace", JsonNodes.GoQuote(ns), message)));
            }
            else
            {
                errors.Add(Rules.Forbidden($"{path}.namespace", "not allowed on this type"));
            }
        }

        Labels(errors, metadata?["labels"] as JsonObject, $"{path}.labels");
        if (metadata?["annotations"] is JsonObject annotations)
        {
            var size = 0;
            foreach (var (key, value) in annotations)
            {
                errors.AddRange(NameRules.QualifiedName(key.ToLowerInvariant()).Select(message => Rules.Invalid($"{path}.annotations", JsonNodes.GoQuote(key), message)));
                size += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(JsonNodes.ScalarText(value));
            }

            if (size > TotalAnnotationSizeLimit)
            {
                errors.Add(Rules.TooLong($"{path}.annotations", TotalAnnotationSizeLimit));
            }
        }
    }

    private static void Labels(List<FieldError> errors, JsonObject? labels, string path)
    {
        if (labels is null)
        {
            return;
        }

        foreach (var (key, value) in labels)
        {
            errors.AddRange(NameRules.QualifiedName(key).Select(message => Rules.Invalid(path, JsonNodes.GoQuote(key), message)));
            if (JsonNodes.GetString(value) is { } text)
            {
                errors.AddRange(NameRules.LabelValue(text).Select(message => Rules.Invalid(path, JsonNodes.GoQuote(text), message)));
            }
        }
    }

    private static void Workload(List<FieldError> errors, string kind, JsonObject spec)
    {
        NonNegative(errors, spec, "replicas", "spec.replicas");
        NonNegative(errors, spec, "minReadySeconds", "spec.minReadySeconds");
        var selectorNode = spec["selector"];
        var selector = LabelSelector.Nothing;
        if (selectorNode is not JsonObject selectorObject)
        {
            errors.Add(Rules.Required("spec.selector"));
        }
        else
        {
            SelectorRules(errors, selectorObject, "spec.selector");
            var empty = (selectorObject["matchLabels"] as JsonObject)?.Count is null or 0 && (selectorObject["matchExpressions"] as JsonArray)?.Count is null or 0;
            if (empty)
            {
                errors.Add(Rules.Invalid("spec.selector", Rules.ShowLabelSelector(selectorObject), "empty selector is invalid for deployment"));
            }

            try
            {
                selector = LabelSelector.FromJson(selectorObject);
            }
            catch (FormatException)
            {
                errors.Add(Rules.Invalid("spec.selector", Rules.ShowLabelSelector(selectorObject), "invalid label selector"));
                selector = null;
            }
        }

        if (selector is not null)
        {
            var template = spec["template"] as JsonObject;
            if (template is null)
            {
                errors.Add(Rules.Required("spec.template"));
            }
            else
            {
                var labels = template["metadata"]?["labels"] as JsonObject;
                if (!selector.IsEverything && !selector.MatchesObject(template))
                {
                    errors.Add(Rules.Invalid("spec.template.metadata.labels", Rules.ShowStringMap(labels), "`selector` does not match template `labels`"));
                }

                ObjectMeta(errors, template["metadata"] as JsonObject, "spec.template.metadata", namespaced: true, NameRules.Dns1123Subdomain, requireName: false);
                var podSpec = template["spec"] as JsonObject ?? [];
                PodSpec(errors, podSpec, "spec.template.spec", template: true);
                var restartPolicy = Str(podSpec, "restartPolicy") ?? "Always";
                if (restartPolicy != "Always")
                {
                    errors.Add(Rules.NotSupported("spec.template.spec.restartPolicy", restartPolicy, "Always"));
                }

                if (podSpec["activeDeadlineSeconds"] is not null)
                {
                    errors.Add(Rules.Forbidden("spec.template.spec.activeDeadlineSeconds", "activeDeadlineSeconds in ReplicaSet is not Supported"));
                }
            }
        }

        if (kind != "Deployment")
        {
            return;
        }

        NonNegative(errors, spec, "revisionHistoryLimit", "spec.revisionHistoryLimit");
        if (NonNegative(errors, spec, "progressDeadlineSeconds", "spec.progressDeadlineSeconds") is { } deadline &&
            JsonNodes.TryGetInt64(spec["minReadySeconds"], out var minReady) && deadline <= minReady)
        {
            errors.Add(Rules.Invalid("spec.progressDeadlineSeconds", Rules.Show(deadline), "must be greater than minReadySeconds"));
        }

        if (spec["strategy"] is JsonObject strategy)
        {
            var type = Str(strategy, "type");
            if (type is not null && !StrategyTypes.Contains(type))
            {
                errors.Add(Rules.NotSupported("spec.strategy.type", type, StrategyTypes));
            }

            if (type == "Recreate" && strategy["rollingUpdate"] is not null)
            {
                errors.Add(Rules.Forbidden("spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'"));
            }

            if (strategy["rollingUpdate"] is JsonObject rolling)
            {
                var unavailableZero = IntOrPercent(errors, rolling["maxUnavailable"], "spec.strategy.rollingUpdate.maxUnavailable");
                var surgeZero = IntOrPercent(errors, rolling["maxSurge"], "spec.strategy.rollingUpdate.maxSurge");
                if (unavailableZero && surgeZero)
                {
                    errors.Add(Rules.Invalid("spec.strategy.rollingUpdate.maxUnavailable", Rules.Show(rolling["maxUnavailable"]), "may not be 0 when `maxSurge` is 0"));
                }
            }
        }
    }

    // Returns whether the value is zero (0 or "0%"); reports values that are neither integers nor percentages.
    private static bool IntOrPercent(List<FieldError> errors, JsonNode? value, string path)
    {
        if (JsonNodes.TryGetInt64(value, out var number))
        {
            if (number < 0)
            {
                errors.Add(Rules.Invalid(path, Rules.Show(number), "must be greater than or equal to 0"));
            }

            return number == 0;
        }

        if (JsonNodes.GetString(value) is { } text)
        {
            if (!PercentRegex().IsMatch(text))
            {
                errors.Add(Rules.Invalid(path, JsonNodes.GoQuote(text), "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"));
                return false;
            }

            return text == "0%";
        }

        return false;
    }

    private static void SelectorRules(List<FieldError> errors, JsonObject selector, string path)
    {
        Labels(errors, selector["matchLabels"] as JsonObject, $"{path}.matchLabels");
        if (selector["matchExpressions"] is not JsonArray expressions)
        {
            return;
        }

        for (var i = 0; i < expressions.Count; i++)
        {
            var expression = expressions[i] as JsonObject;
            var itemPath = $"{path}.matchExpressions[{i}]";
            var op = Str(expression, "operator") ?? "";
            var values = expression?["values"] as JsonArray;
            switch (op)
            {
                case "In" or "NotIn" when values is null || values.Count == 0:
                    errors.Add(Rules.Required($"{itemPath}.values", "must be specified when `operator` is 'In' or 'NotIn'"));
                    break;
                case "Exists" or "DoesNotExist" when values is { Count: > 0 }:
                    errors.Add(Rules.Forbidden($"{itemPath}.values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                    break;
                case "In" or "NotIn" or "Exists" or "DoesNotExist":
                    break;
                default:
                    errors.Add(Rules.Invalid($"{itemPath}.operator", JsonNodes.GoQuote(op), "not a valid selector operator"));
                    break;
            }

            var key = Str(expression, "key") ?? "";
            errors.AddRange(NameRules.QualifiedName(key).Select(message => Rules.Invalid($"{itemPath}.key", JsonNodes.GoQuote(key), message)));
            for (var v = 0; values is not null && v < values.Count; v++)
            {
                if (JsonNodes.GetString(values[v]) is { } text)
                {
                    errors.AddRange(NameRules.LabelValue(text).Select(message => Rules.Invalid($"{itemPath}.values[{v}]", JsonNodes.GoQuote(text), message)));
                }
            }
        }
    }

    private static void PodSpec(List<FieldError> errors, JsonObject spec, string path, bool template)
    {
        var volumeNames = Volumes(errors, spec["volumes"] as JsonArray, $"{path}.volumes");
        var containerNames = new HashSet<string>(StringComparer.Ordinal);
        Containers(errors, spec["initContainers"] as JsonArray, $"{path}.initContainers", volumeNames, containerNames);
        if (spec["containers"] is not JsonArray containers || containers.Count == 0)
        {
            errors.Add(Rules.Required($"{path}.containers"));
        }
        else
        {
            Containers(errors, containers, $"{path}.containers", volumeNames, containerNames);
        }

        if (Str(spec, "restartPolicy") is { } restartPolicy && !RestartPolicies.Contains(restartPolicy) && !template)
        {
            errors.Add(Rules.NotSupported($"{path}.restartPolicy", restartPolicy, RestartPolicies));
        }

        if (Str(spec, "dnsPolicy") is { } dnsPolicy && !DnsPolicies.Contains(dnsPolicy))
        {
            errors.Add(Rules.NotSupported($"{path}.dnsPolicy", dnsPolicy, DnsPolicies));
        }

        NonNegative(errors, spec, "terminationGracePeriodSeconds", $"{path}.terminationGracePeriodSeconds");
        if (spec["tolerations"] is JsonArray tolerations)
        {
            for (var i = 0; i < tolerations.Count; i++)
            {
                if (Str(tolerations[i] as JsonObject, "operator") is { Length: > 0 } op && !TolerationOperators.Contains(op))
                {
                    errors.Add(Rules.NotSupported($"{path}.tolerations[{i}].operator", op, TolerationOperators));
                }
            }
        }
    }

    private static HashSet<string> Volumes(List<FieldError> errors, JsonArray? volumes, string path)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; volumes is not null && i < volumes.Count; i++)
        {
            var volume = volumes[i] as JsonObject ?? [];
            var itemPath = $"{path}[{i}]";
            var name = Str(volume, "name");
            if (string.IsNullOrEmpty(name))
            {
                errors.Add(Rules.Required($"{itemPath}.name"));
            }
            else
            {
                errors.AddRange(NameRules.Dns1123Label(name).Select(message => Rules.Invalid($"{itemPath}.name", JsonNodes.GoQuote(name), message)));
                if (!names.Add(name))
                {
                    errors.Add(Rules.Duplicate($"{itemPath}.name", JsonNodes.GoQuote(name)));
                }
            }

            var sources = volume.Where(p => p.Key != "name" && p.Value is not null).Select(p => p.Key).ToList();
            if (sources.Count == 0)
            {
                errors.Add(Rules.Required(itemPath, "must specify a volume type"));
            }

            foreach (var extra in sources.Skip(1))
            {
                errors.Add(Rules.Forbidden($"{itemPath}.{extra}", "may not specify more than 1 volume type"));
            }

            RequireString(errors, volume["persistentVolumeClaim"] as JsonObject, "claimName", $"{itemPath}.persistentVolumeClaim");
            RequireString(errors, volume["configMap"] as JsonObject, "name", $"{itemPath}.configMap");
            RequireString(errors, volume["secret"] as JsonObject, "secretName", $"{itemPath}.secret");
        }

        return names;
    }

    private static void Containers(List<FieldError> errors, JsonArray? containers, string path, HashSet<string> volumeNames, HashSet<string> containerNames)
    {
        for (var i = 0; containers is not null && i < containers.Count; i++)
        {
            var container = containers[i] as JsonObject ?? [];
            var itemPath = $"{path}[{i}]";
            var name = Str(container, "name");
            if (string.IsNullOrEmpty(name))
            {
                errors.Add(Rules.Required($"{itemPath}.name"));
            }
            else
            {
                errors.AddRange(NameRules.Dns1123Label(name).Select(message => Rules.Invalid($"{itemPath}.name", JsonNodes.GoQuote(name), message)));
                if (!containerNames.Add(name))
                {
                    errors.Add(Rules.Duplicate($"{itemPath}.name", JsonNodes.GoQuote(name)));
                }
            }

            var image = Str(container, "image");
            if (string.IsNullOrEmpty(image))
            {
                errors.Add(Rules.Required($"{itemPath}.image"));
            }
            else if (image.Trim() != image)
            {
                errors.Add(Rules.Invalid($"{itemPath}.image", JsonNodes.GoQuote(image), "must not have leading or trailing whitespace"));
            }

            if (Str(container, "imagePullPolicy") is { } pullPolicy && !PullPolicies.Contains(pullPolicy))
            {
                errors.Add(Rules.NotSupported($"{itemPath}.imagePullPolicy", pullPolicy, PullPolicies));
            }

            Ports(errors, container["ports"] as JsonArray, $"{itemPath}.ports");
            Env(errors, container["env"] as JsonArray, $"{itemPath}.env");
            Resources(errors, container["resources"] as JsonObject, $"{itemPath}.resources");
            VolumeMounts(errors, container["volumeMounts"] as JsonArray, $"{itemPath}.volumeMounts", volumeNames);
            Probe(errors, container["livenessProbe"] as JsonObject, $"{itemPath}.livenessProbe", successMustBeOne: true);
            Probe(errors, container["readinessProbe"] as JsonObject, $"{itemPath}.readinessProbe", successMustBeOne: false);
            Probe(errors, container["startupProbe"] as JsonObject, $"{itemPath}.startupProbe", successMustBeOne: true);
        }
    }

    private static void Ports(List<FieldError> errors, JsonArray? ports, string path)
    {
        for (var i = 0; ports is not null && i < ports.Count; i++)
        {
            var port = ports[i] as JsonObject ?? [];
            var itemPath = $"{path}[{i}]";
            var isNumber = JsonNodes.TryGetInt64(port["containerPort"], out var number);
            if (port["containerPort"] is null || (isNumber && number == 0))
            {
                errors.Add(Rules.Required($"{itemPath}.containerPort"));
            }
            else if (isNumber && number is < 1 or > 65535)
            {
                errors.Add(Rules.Invalid($"{itemPath}.containerPort", Rules.Show(number), "must be between 1 and 65535, inclusive"));
            }

            if (Str(port, "protocol") is { } protocol && !Protocols.Contains(protocol))
            {
                errors.Add(Rules.NotSupported($"{itemPath}.protocol", protocol, Protocols));
            }
        }
    }

    private static void Env(List<FieldError> errors, JsonArray? env, string path)
    {
        for (var i = 0; env is not null && i < env.Count; i++)
        {
            var variable = env[i] as JsonObject ?? [];
            var itemPath = $"{path}[{i}]";
            if (string.IsNullOrEmpty(Str(variable, "name")))
            {
                errors.Add(Rules.Required($"{itemPath}.name"));
            }

            if (variable["valueFrom"] is not JsonObject valueFrom)
            {
                continue;
            }

            if (!string.IsNullOrEmpty(Str(variable, "value")))
            {
                errors.Add(Rules.Invalid($"{itemPath}.valueFrom", "\"\"", "may not be specified when `value` is not empty"));
            }

            var sources = valueFrom.Where(p => p.Value is not null).Select(p => p.Key).ToList();
            if (sources.Count == 0)
            {
                errors.Add(Rules.Invalid($"{itemPath}.valueFrom", "\"\"", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"));
            }
            else if (sources.Count > 1)
            {
                errors.Add(Rules.Invalid($"{itemPath}.valueFrom", "\"\"", "may not have more than one field specified at a time"));
            }

            RequireString(errors, valueFrom["fieldRef"] as JsonObject, "fieldPath", $"{itemPath}.valueFrom.fieldRef");
            RequireString(errors, valueFrom["resourceFieldRef"] as JsonObject, "resource", $"{itemPath}.valueFrom.resourceFieldRef");
            foreach (var reference in (string[])["configMapKeyRef", "secretKeyRef"])
            {
                if (valueFrom[reference] is JsonObject keyRef)
                {
                    RequireString(errors, keyRef, "name", $"{itemPath}.valueFrom.{reference}");
                    RequireString(errors, keyRef, "key", $"{itemPath}.valueFrom.{reference}");
                }
            }
        }
    }

    private static void Resources(List<FieldError> errors, JsonObject? resources, string path)
    {
        var limits = NonNegativeQuantities(errors, resources?["limits"] as JsonObject, $"{path}.limits");
        var requests = NonNegativeQuantities(errors, resources?["requests"] as JsonObject, $"{path}.requests");
        foreach (var (resource, request) in requests)
        {
            if (limits.TryGetValue(resource, out var limit) && request > limit)
            {
                errors.Add(Rules.Invalid($"{path}.requests[{resource}]", JsonNodes.GoQuote(request.ToString()),
                    $"must be less than or equal to {resource} limit of {limit}"));
            }
        }
    }

    // Quantities that parse (malformed ones are the structural walk's to report), checked for sign.
    private static Dictionary<string, Quantity> NonNegativeQuantities(List<FieldError> errors, JsonObject? map, string path)
    {
        var result = new Dictionary<string, Quantity>(StringComparer.Ordinal);
        foreach (var (resource, value) in map ?? [])
        {
            var text = JsonNodes.GetString(value) ?? (JsonNodes.KindOf(value) == JsonValueKind.Number ? JsonNodes.NumberText(value!) : null);
            if (text is null || !Quantity.TryParse(text, out var quantity))
            {
                continue;
            }

            if (quantity.Sign < 0)
            {
                errors.Add(Rules.Invalid($"{path}[{resource}]", JsonNodes.GoQuote(quantity.ToString()), "must be greater than or equal to 0"));
            }

            result[resource] = quantity;
        }

        return result;
    }

    private static void VolumeMounts(List<FieldError> errors, JsonArray? mounts, string path, HashSet<string> volumeNames)
    {
        var mountPaths = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; mounts is not null && i < mounts.Count; i++)
        {
            var mount = mounts[i] as JsonObject ?? [];
            var itemPath = $"{path}[{i}]";
            var name = Str(mount, "name");
            if (string.IsNullOrEmpty(name))
            {
                errors.Add(Rules.Required($"{itemPath}.name"));
            }
            else if (!volumeNames.Contains(name))
            {
                errors.Add(Rules.NotFound($"{itemPath}.name", JsonNodes.GoQuote(name)));
            }

            var mountPath = Str(mount, "mountPath");
            if (string.IsNullOrEmpty(mountPath))
            {
                errors.Add(Rules.Required($"{itemPath}.mountPath"));
            }
            else if (!mountPaths.Add(mountPath))
            {
                errors.Add(Rules.Invalid($"{itemPath}.mountPath", JsonNodes.GoQuote(mountPath), "must be unique"));
            }
        }
    }

    private static void Probe(List<FieldError> errors, JsonObject? probe, string path, bool successMustBeOne)
    {
        if (probe is null)
        {
            return;
        }

        var handlers = ProbeHandlers.Where(h => probe[h] is not null).ToList();
        if (handlers.Count == 0)
        {
            errors.Add(Rules.Required(path, "must specify a handler type"));
        }

        foreach (var extra in handlers.Skip(1))
        {
            errors.Add(Rules.Forbidden($"{path}.{extra}", "may not specify more than 1 handler type"));
        }

        foreach (var field in (string[])["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"])
        {
            NonNegative(errors, probe, field, $"{path}.{field}");
        }

        if (successMustBeOne && JsonNodes.TryGetInt64(probe["successThreshold"], out var success) && success != 1)
        {
            errors.Add(Rules.Invalid($"{path}.successThreshold", Rules.Show(success), "must be 1"));
        }

        foreach (var (action, portPath) in (ReadOnlySpan<(string, string)>)[("httpGet", "httpGet.port"), ("tcpSocket", "tcpSocket.port")])
        {
            if (probe[action] is not JsonObject handler)
            {
                continue;
            }

            if (JsonNodes.TryGetInt64(handler["port"], out var port))
            {
                if (port is < 1 or > 65535)
                {
                    errors.Add(Rules.Invalid($"{path}.{portPath}", Rules.Show(port), "must be between 1 and 65535, inclusive"));
                }
            }
            else if (handler["port"] is null)
            {
                errors.Add(Rules.Required($"{path}.{portPath}"));
            }
        }
    }

    private static void PvcSpec(List<FieldError> errors, JsonObject spec, string path)
    {
        var accessModes = spec["accessModes"] as JsonArray;
        if (accessModes is null || accessModes.Count == 0)
        {
            errors.Add(Rules.Required($"{path}.accessModes", "at least 1 access mode is required"));
        }

        foreach (var mode in accessModes ?? [])
        {
            if (JsonNodes.GetString(mode) is { } text && !AccessModes.Contains(text))
            {
                errors.Add(Rules.NotSupported($"{path}.accessModes", text, AccessModes));
            }
        }

        var resources = spec["resources"] as JsonObject;
        NonNegativeQuantities(errors, resources?["limits"] as JsonObject, $"{path}.resources.limits");
        var requests = NonNegativeQuantities(errors, resources?["requests"] as JsonObject, $"{path}.resources.requests");
        if (resources?["requests"]?["storage"] is null)
        {
            errors.Add(Rules.Required($"{path}.resources[storage]"));
        }
        else if (requests.TryGetValue("storage", out var storage) && storage.Sign == 0)
        {
            errors.Add(Rules.Invalid($"{path}.resources[storage]", JsonNodes.GoQuote(storage.ToString()), "must be greater than zero"));
        }

        if (Str(spec, "volumeMode") is { } volumeMode && !VolumeModes.Contains(volumeMode))
        {
            errors.Add(Rules.NotSupported($"{path}.volumeMode", volumeMode, VolumeModes));
        }

        foreach (var reference in (string[])["dataSource", "dataSourceRef"])
        {
            if (spec[reference] is not JsonObject source)
            {
                continue;
            }

            RequireString(errors, source, "name", $"{path}.{reference}");
            RequireString(errors, source, "kind", $"{path}.{reference}");
            if (string.IsNullOrEmpty(Str(source, "apiGroup")) && Str(source, "kind") is { Length: > 0 } kind && kind != "PersistentVolumeClaim")
            {
                errors.Add(Rules.Invalid($"{path}.{reference}", JsonNodes.GoQuote(kind), "must be 'PersistentVolumeClaim' when referencing the default apiGroup"));
            }
        }
    }

    private static void ConfigData(List<FieldError> errors, JsonObject obj, bool secret)
    {
        var data = obj["data"] as JsonObject;
        var second = obj[secret ? "stringData" : "binaryData"] as JsonObject;
        var size = 0;
        foreach (var (key, value) in data ?? [])
        {
            errors.AddRange(NameRules.ConfigMapKey(key).Select(message => Rules.Invalid($"data[{key}]", JsonNodes.GoQuote(key), message)));
            size += DataSize(value, base64: secret);
        }

        foreach (var (key, value) in second ?? [])
        {
            var field = secret ? "data" : "binaryData";
            errors.AddRange(NameRules.ConfigMapKey(key).Select(message => Rules.Invalid($"{field}[{key}]", JsonNodes.GoQuote(key), message)));
            if (!secret && data?.ContainsKey(key) == true)
            {
                errors.Add(Rules.Invalid($"data[{key}]", JsonNodes.GoQuote(key), "duplicate of key present in binaryData"));
            }

            size += DataSize(value, base64: !secret);
        }

        if (size > MaxSecretOrConfigMapSize)
        {
            errors.Add(Rules.TooLong(secret ? "data" : "", MaxSecretOrConfigMapSize));
        }

        if (!secret)
        {
            return;
        }

        var keys = (data ?? []).Select(p => p.Key).Concat((second ?? []).Select(p => p.Key)).ToHashSet(StringComparer.Ordinal);
        string[] required = Str(obj, "type") switch
        {
            "kubernetes.io/tls" => ["tls.crt", "tls.key"],
            "kubernetes.io/dockerconfigjson" => [".dockerconfigjson"],
            "kubernetes.io/dockercfg" => [".dockercfg"],
            _ => [],
        };
        foreach (var key in required.Where(k => !keys.Contains(k)))
        {
            errors.Add(Rules.Required($"data[{key}]"));
        }
    }

    private static int DataSize(JsonNode? value, bool base64)
    {
        var text = JsonNodes.ScalarText(value);
        return base64 ? text.Length / 4 * 3 : Encoding.UTF8.GetByteCount(text);
    }

    private static void Event(List<FieldError> errors, JsonObject obj, JsonObject? metadata)
    {
        var involved = obj["involvedObject"] as JsonObject;
        var eventNamespace = Str(metadata, "namespace") ?? "";
        var involvedNamespace = Str(involved, "namespace") ?? "";
        if (involvedNamespace.Length > 0 && eventNamespace.Length > 0 && involvedNamespace != eventNamespace)
        {
            errors.Add(Rules.Invalid("involvedObject.namespace", JsonNodes.GoQuote(involvedNamespace), "does not match event.namespace"));
        }
    }

    private static void VolumeSnapshot(List<FieldError> errors, JsonObject obj)
    {
        if (obj["spec"] is not JsonObject spec)
        {
            errors.Add(Rules.Required("spec"));
            return;
        }

        if (spec["source"] is not JsonObject source)
        {
            errors.Add(Rules.Required("spec.source"));
            return;
        }

        var sources = (string[])["persistentVolumeClaimName", "volumeSnapshotContentName"];
        if (sources.Count(s => !string.IsNullOrEmpty(Str(source, s))) != 1)
        {
            errors.Add(Rules.Invalid("spec.source", "\"object\"", "exactly one of persistentVolumeClaimName or volumeSnapshotContentName must be set"));
        }
    }

    private static long? NonNegative(List<FieldError> errors, JsonObject? obj, string field, string path)
    {
        if (!JsonNodes.TryGetInt64(obj?[field], out var value))
        {
            return null;
        }

        if (value < 0)
        {
            errors.Add(Rules.Invalid(path, Rules.Show(value), "must be greater than or equal to 0"));
        }

        return value;
    }

    private static void RequireString(List<FieldError> errors, JsonObject? obj, string field, string path)
    {
        if (obj is not null && string.IsNullOrEmpty(Str(obj, field)))
        {
            errors.Add(Rules.Required($"{path}.{field}"));
        }
    }

    private static string? Str(JsonObject? obj, string field) => JsonNodes.GetString(obj?[field]);

    [GeneratedRegex("^[0-9]+%\\z")]
    private static partial Regex PercentRegex();
}

using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kosmos.KubeSim.Machinery;
using Kosmos.KubeSim.Store;

namespace Kosmos.KubeSim.Runtime;

/// <summary>One environment variable of a container. <see cref="SecretName"/> is set when the value came from a Secret: never log it.</summary>
public sealed record EnvVar(string Name, string Value, string? SecretName = null)
{
    public bool IsSecret => SecretName is not null;
}

/// <summary>
/// A container's environment, resolved as the kubelet does when it creates the container: <c>envFrom</c> first, then
/// <c>env</c> (literal values with <c>$(VAR)</c> expansion, configMapKeyRef, secretKeyRef, fieldRef, resourceFieldRef).
/// A missing non-optional ConfigMap/Secret or key is the kubelet's CreateContainerConfigError, with its message.
/// </summary>
public sealed partial class ContainerEnvironment
{
    private ContainerEnvironment(IReadOnlyList<EnvVar> vars, string? error)
    {
        Vars = vars;
        Error = error;
    }

    /// <summary>In definition order; a later definition of a name replaces an earlier one.</summary>
    public IReadOnlyList<EnvVar> Vars { get; }

    /// <summary>The CreateContainerConfigError message (e.g. <c>configmap "x" not found</c>), or null.</summary>
    public string? Error { get; }

    public string? this[string name] => Vars.LastOrDefault(v => v.Name == name)?.Value;

    public IReadOnlyDictionary<string, string> ToDictionary()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var v in Vars)
        {
            result[v.Name] = v.Value;
        }

        return result;
    }

    public static ContainerEnvironment Resolve(ObjectStore store, JsonObject pod, JsonObject container, string? podIp, string? hostIp)
    {
        var ns = PodSpec.Namespace(pod);
        var vars = new List<EnvVar>();
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);

        void Add(EnvVar v)
        {
            vars.RemoveAll(x => x.Name == v.Name);
            vars.Add(v);
            byName[v.Name] = v.Value;
        }

        foreach (var source in (container["envFrom"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var prefix = JsonValues.String(source["prefix"]) ?? "";
            if (source["configMapRef"] is JsonObject cmRef)
            {
                var name = JsonValues.String(cmRef["name"]) ?? "";
                var cm = store.Get(ResourceKinds.ConfigMaps, ns, name);
                if (cm is null)
                {
                    if (JsonValues.Bool(cmRef["optional"]) == true)
                    {
                        continue;
                    }

                    return Failed($"configmap \"{name}\" not found");
                }

                foreach (var (key, value) in cm["data"] as JsonObject ?? [])
                {
                    if (IsEnvName(prefix + key))
                    {
                        Add(new EnvVar(prefix + key, JsonValues.String(value) ?? ""));
                    }
                }
            }
            else if (source["secretRef"] is JsonObject secretRef)
            {
                var name = JsonValues.String(secretRef["name"]) ?? "";
                var secret = store.Get(ResourceKinds.Secrets, ns, name);
                if (secret is null)
                {
                    if (JsonValues.Bool(secretRef["optional"]) == true)
                    {
                        continue;
                    }

                    return Failed($"secret \"{name}\" not found");
                }

                foreach (var (key, value) in SecretData(secret))
                {
                    if (IsEnvName(prefix + key))
                    {
                        Add(new EnvVar(prefix + key, value, name));
                    }
                }
            }
        }

        foreach (var entry in (container["env"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = JsonValues.String(entry["name"]) ?? "";
            if (entry["valueFrom"] is not JsonObject from)
            {
                Add(new EnvVar(name, Expand(JsonValues.String(entry["value"]) ?? "", byName)));
                continue;
            }

            if (from["configMapKeyRef"] is JsonObject cmKey)
            {
                var cmName = JsonValues.String(cmKey["name"]) ?? "";
                var key = JsonValues.String(cmKey["key"]) ?? "";
                var optional = JsonValues.Bool(cmKey["optional"]) == true;
                var cm = store.Get(ResourceKinds.ConfigMaps, ns, cmName);
                if (cm is null)
                {
                    if (optional)
                    {
                        continue;
                    }

                    return Failed($"configmap \"{cmName}\" not found");
                }

                if (JsonValues.String(cm["data"]?[key]) is not { } value)
                {
                    if (optional)
                    {
                        continue;
                    }

                    return Failed($"couldn't find key {key} in ConfigMap {ns}/{cmName}");
                }

                Add(new EnvVar(name, value));
            }
            else if (from["secretKeyRef"] is JsonObject secretKey)
            {
                var secretName = JsonValues.String(secretKey["name"]) ?? "";
                var key = JsonValues.String(secretKey["key"]) ?? "";
                var optional = JsonValues.Bool(secretKey["optional"]) == true;
                var secret = store.Get(ResourceKinds.Secrets, ns, secretName);
                if (secret is null)
                {
                    if (optional)
                    {
                        continue;
                    }

                    return Failed($"secret \"{secretName}\" not found");
                }

                if (!SecretData(secret).TryGetValue(key, out var value))
                {
                    if (optional)
                    {
                        continue;
                    }

                    return Failed($"couldn't find key {key} in Secret {ns}/{secretName}");
                }

                Add(new EnvVar(name, value, secretName));
            }
            else if (from["fieldRef"] is JsonObject fieldRef)
            {
                Add(new EnvVar(name, FieldValue(pod, JsonValues.String(fieldRef["fieldPath"]) ?? "", podIp, hostIp)));
            }
            else if (from["resourceFieldRef"] is JsonObject resourceRef)
            {
                Add(new EnvVar(name, ResourceValue(container, resourceRef)));
            }
        }

        return new ContainerEnvironment(vars, null);
    }

    /// <summary>Checks the pod's configMap and secret volumes exist; returns the kubelet's FailedMount message, or null.</summary>
    public static string? VolumeProblem(ObjectStore store, JsonObject pod)
    {
        var ns = PodSpec.Namespace(pod);
        foreach (var volume in (pod["spec"]?["volumes"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var volumeName = JsonValues.String(volume["name"]) ?? "";
            if (volume["configMap"] is JsonObject cm && JsonValues.Bool(cm["optional"]) != true
                && JsonValues.String(cm["name"]) is { } cmName && store.Get(ResourceKinds.ConfigMaps, ns, cmName) is null)
            {
                return $"MountVolume.SetUp failed for volume \"{volumeName}\" : configmap \"{cmName}\" not found";
            }

            if (volume["secret"] is JsonObject secret && JsonValues.Bool(secret["optional"]) != true
                && JsonValues.String(secret["secretName"]) is { } secretName && store.Get(ResourceKinds.Secrets, ns, secretName) is null)
            {
                return $"MountVolume.SetUp failed for volume \"{volumeName}\" : secret \"{secretName}\" not found";
            }

            if (volume["persistentVolumeClaim"] is JsonObject pvc && JsonValues.String(pvc["claimName"]) is { } claim
                && store.Get(ResourceKinds.PersistentVolumeClaims, ns, claim) is null)
            {
                return $"Unable to attach or mount volumes: unmounted volumes=[{volumeName}], unattached volumes=[], failed to process volumes=[{volumeName}]: error processing PVC {ns}/{claim}: PVC is not bound";
            }
        }

        return null;
    }

    /// <summary>A Secret's data, base64-decoded (stringData read too, for objects stored without the API server's conversion).</summary>
    public static IReadOnlyDictionary<string, string> SecretData(JsonObject secret)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in secret["stringData"] as JsonObject ?? [])
        {
            result[key] = JsonValues.String(value) ?? "";
        }

        foreach (var (key, value) in secret["data"] as JsonObject ?? [])
        {
            try
            {
                result[key] = Encoding.UTF8.GetString(Convert.FromBase64String(JsonValues.String(value) ?? ""));
            }
            catch (FormatException)
            {
                result[key] = JsonValues.String(value) ?? "";
            }
        }

        return result;
    }

    private static ContainerEnvironment Failed(string message) => new([], message);

    private static bool IsEnvName(string name) => EnvName().IsMatch(name);

    // $(VAR) expands to a defined variable, $$ escapes; an undefined reference stays as written (Kubernetes' expansion rules).
    private static string Expand(string value, Dictionary<string, string> defined) =>
        value.Contains('$', StringComparison.Ordinal)
            ? Reference().Replace(value, m => m.Value == "$$" ? "$" : defined.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value)
            : value;

    private static string FieldValue(JsonObject pod, string path, string? podIp, string? hostIp)
    {
        if (FieldMap().Match(path) is { Success: true } m)
        {
            return JsonValues.String(pod["metadata"]?[m.Groups[1].Value]?[m.Groups[2].Value]) ?? "";
        }

        return path switch
        {
            "metadata.name" => PodSpec.Name(pod),
            "metadata.namespace" => PodSpec.Namespace(pod),
            "metadata.uid" => PodSpec.Uid(pod),
            "spec.nodeName" => PodSpec.NodeName(pod) ?? "",
            "spec.serviceAccountName" => JsonValues.String(pod["spec"]?["serviceAccountName"]) ?? "default",
            "status.podIP" => podIp ?? "",
            "status.hostIP" => hostIp ?? "",
            _ => "",
        };
    }

    private static string ResourceValue(JsonObject container, JsonObject reference)
    {
        var resource = JsonValues.String(reference["resource"]) ?? "";
        var parts = resource.Split('.');
        if (parts.Length != 2)
        {
            return "";
        }

        var value = Quantity.Decode(container["resources"]?[parts[0]]?[parts[1]]);
        var divisor = Quantity.Decode(reference["divisor"]) is { Sign: > 0 } d ? d.ToDecimal() : 1m;
        return value is { } v ? Math.Ceiling(v.ToDecimal() / divisor).ToString(CultureInfo.InvariantCulture) : "";
    }

    [GeneratedRegex(@"^[-._a-zA-Z][-._a-zA-Z0-9]*$")]
    private static partial Regex EnvName();

    [GeneratedRegex(@"\$\$|\$\(([-._a-zA-Z][-._a-zA-Z0-9]*)\)")]
    private static partial Regex Reference();

    [GeneratedRegex(@"^metadata\.(labels|annotations)\['([^']+)'\]$")]
    private static partial Regex FieldMap();
}

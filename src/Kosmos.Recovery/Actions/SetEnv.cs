using System.Text.RegularExpressions;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Actions;

/// <summary>Where a variable's new value comes from: a literal, or a key of a ConfigMap or Secret (never its value).</summary>
public enum EnvSourceKind
{
    Literal,
    ConfigMap,
    Secret,
}

/// <summary>One variable to set: <see cref="Value"/> is the literal, or <c>name/key</c> of the ConfigMap or Secret.</summary>
public sealed record EnvAssignment(string Name, EnvSourceKind Kind, string Value)
{
    /// <summary>The ConfigMap or Secret (for a reference), split from <see cref="Value"/>.</summary>
    public (string Object, string Key)? Reference => Kind == EnvSourceKind.Literal || Value.Split('/') is not [var obj, var key] ? null : (obj, key);

    /// <summary>How kubectl is told: <c>NAME=value</c>; a reference has no kubectl set env form per key, so it is described.</summary>
    public override string ToString() => Kind switch
    {
        EnvSourceKind.Literal => $"{Name}={Value}",
        EnvSourceKind.ConfigMap => $"{Name} from configmap {Value}",
        _ => $"{Name} from secret {Value}",
    };
}

/// <summary>
/// What <c>kubectl set env deployment &lt;agent&gt; [-c container] NAME=value NAME-</c> is given, plus variables taken from one
/// key of a ConfigMap or Secret (<c>valueFrom.configMapKeyRef</c> / <c>secretKeyRef</c>). Carried in an
/// <see cref="ActionRequest"/> as <c>container</c>, <c>set.NAME</c>, <c>fromConfigMap.NAME</c> (<c>configmap/key</c>),
/// <c>fromSecret.NAME</c> (<c>secret/key</c>) and <c>remove.NAME</c> (empty). Immutable.
/// </summary>
public sealed record SetEnvRequest(string? Container, IReadOnlyList<EnvAssignment> Set, IReadOnlyList<string> Remove)
{
    public const string ContainerKey = "container";
    public const string SetPrefix = "set.";
    public const string ConfigMapPrefix = "fromConfigMap.";
    public const string SecretPrefix = "fromSecret.";
    public const string RemovePrefix = "remove.";

    public ActionRequest ToActionRequest()
    {
        var entries = new List<(string, string)>();
        if (!string.IsNullOrWhiteSpace(Container))
        {
            entries.Add((ContainerKey, Container.Trim()));
        }

        foreach (var a in Set)
        {
            entries.Add((PrefixOf(a.Kind) + a.Name, a.Value));
        }

        entries.AddRange(Remove.Select(name => (RemovePrefix + name, "")));
        return new ActionRequest(StringMap.Of([.. entries]));
    }

    /// <summary>The request an <see cref="ActionRequest"/> carries; keys it does not know are returned in <paramref name="unknown"/>.</summary>
    public static SetEnvRequest From(ActionRequest request, out IReadOnlyList<string> unknown)
    {
        ArgumentNullException.ThrowIfNull(request);
        var set = new List<EnvAssignment>();
        var remove = new List<string>();
        var bad = new List<string>();
        string? container = null;
        foreach (var (key, value) in request.Values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            if (key == ContainerKey)
            {
                container = value;
            }
            else if (Strip(key, SetPrefix) is { } literal)
            {
                set.Add(new EnvAssignment(literal, EnvSourceKind.Literal, value));
            }
            else if (Strip(key, ConfigMapPrefix) is { } fromConfigMap)
            {
                set.Add(new EnvAssignment(fromConfigMap, EnvSourceKind.ConfigMap, value.Trim()));
            }
            else if (Strip(key, SecretPrefix) is { } fromSecret)
            {
                set.Add(new EnvAssignment(fromSecret, EnvSourceKind.Secret, value.Trim()));
            }
            else if (Strip(key, RemovePrefix) is { } removed)
            {
                remove.Add(removed);
            }
            else
            {
                bad.Add(key);
            }
        }

        unknown = bad;
        return new SetEnvRequest(container, set, remove);
    }

    /// <summary>
    /// The kubectl command that does the same, when <c>kubectl set env</c> can say it: literals, removals, and references whose
    /// variable is named like the key (<c>--from=configmap/x --keys=KEY</c>); null otherwise (the handler shows its patch).
    /// </summary>
    /// <summary>
    /// This request as others may read it (the preview's kubectl line, the audit): the literal value of a variable whose name
    /// looks secret (<see cref="SecretNames"/>) is <see cref="SecretNames.Hidden"/>.
    /// </summary>
    public SetEnvRequest Shown() => this with
    {
        Set = [.. Set.Select(a => a.Kind == EnvSourceKind.Literal && SecretNames.LooksSecret(a.Name) ? a with { Value = SecretNames.Hidden } : a)],
    };

    public string? Kubectl(AgentRef target)
    {
        if (Set.Any(a => a.Kind != EnvSourceKind.Literal && a.Reference?.Key != a.Name))
        {
            return null;
        }

        var command = $"kubectl set env deployment/{target.Name} -n {target.Namespace}";
        if (!string.IsNullOrWhiteSpace(Container))
        {
            command += " -c " + Container.Trim();
        }

        foreach (var a in Set.Where(a => a.Kind == EnvSourceKind.Literal))
        {
            command += " " + Quote($"{a.Name}={a.Value}");
        }

        foreach (var name in Remove)
        {
            command += $" {name}-";
        }

        foreach (var a in Set.Where(a => a.Kind != EnvSourceKind.Literal))
        {
            command += $" --from={(a.Kind == EnvSourceKind.ConfigMap ? "configmap" : "secret")}/{a.Reference!.Value.Object} --keys={a.Name}";
        }

        return command;
    }

    private static string PrefixOf(EnvSourceKind kind) => kind switch
    {
        EnvSourceKind.ConfigMap => ConfigMapPrefix,
        EnvSourceKind.Secret => SecretPrefix,
        _ => SetPrefix,
    };

    private static string? Strip(string key, string prefix) =>
        key.StartsWith(prefix, StringComparison.Ordinal) && key.Length > prefix.Length ? key[prefix.Length..] : null;

    private static string Quote(string text) => text.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$' or '`' or '\\') ? "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'" : text;
}

/// <summary>One variable a set-env request changes in one container, as the board shows it before (null: not set) and after.</summary>
public sealed record EnvChange(string Container, string Name, string? Before, string? After)
{
    public override string ToString() => $"{Container} env {Name}: {Before ?? ChangeLine.Absent} → {After ?? ChangeLine.Absent}";
}

/// <summary>A validated set-env request: what it changes (empty when invalid) and the verdict.</summary>
public sealed record SetEnvCheck(ActionValidation Validation, ValueList<EnvChange> Changes);

/// <summary>
/// The rules a set-env request must pass before anything reaches the cluster, as pure functions of the pod template: names as
/// Kubernetes takes them, references as <c>name/key</c>, the container exists, a variable is not both set and removed, and
/// something changes. Whether a referenced ConfigMap or Secret key exists is the cluster handler's check (the board holds
/// neither).
/// </summary>
public static partial class SetEnvRules
{
    public static SetEnvCheck Check(AgentRef target, SetEnvRequest request, PodTemplateSnapshot template, IEnumerable<string>? unknownKeys = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(template);
        var errors = new List<string>();
        foreach (var key in unknownKeys ?? [])
        {
            errors.Add($"'{key}' is not a value set env takes (it takes: container, set.NAME, fromConfigMap.NAME, fromSecret.NAME, remove.NAME)");
        }

        if (request.Set.Count == 0 && request.Remove.Count == 0)
        {
            errors.Add("Give at least one variable to set or remove");
        }

        foreach (var name in request.Set.Select(a => a.Name).Concat(request.Remove).Distinct(StringComparer.Ordinal))
        {
            if (InputText.HasControl(name))
            {
                errors.Add($"'{InputText.Visible(name)}' is not a valid environment variable name: it contains a line break or another control character");
            }
            else if (!EnvName().IsMatch(name))
            {
                errors.Add($"'{name}' is not a valid environment variable name: a valid name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit");
            }
        }

        foreach (var a in request.Set.Where(a => a.Kind != EnvSourceKind.Literal && a.Reference is null))
        {
            errors.Add($"{a.Name}: '{a.Value}' is not a {(a.Kind == EnvSourceKind.ConfigMap ? "configmap" : "secret")}/key reference (e.g. researcher-config/KOSMOS_MODEL_URL)");
        }

        foreach (var name in request.Set.Select(a => a.Name).Intersect(request.Remove, StringComparer.Ordinal))
        {
            errors.Add($"{name} is both set and removed");
        }

        var named = request.Container?.Trim();
        var targets = string.IsNullOrEmpty(named) ? template.Containers.ToList() : template.Containers.Where(c => c.Name == named).ToList();
        if (targets.Count == 0)
        {
            errors.Add(string.IsNullOrEmpty(named)
                ? $"Deployment {target} has no containers"
                : $"Deployment {target} has no container '{named}' (its containers: {string.Join(", ", template.Containers.Select(c => c.Name))})");
        }

        if (errors.Count > 0)
        {
            return new SetEnvCheck(new ActionValidation([.. errors], ValueList<string>.Empty), ValueList<EnvChange>.Empty);
        }

        var changes = new List<EnvChange>();
        foreach (var container in targets)
        {
            foreach (var a in request.Set)
            {
                var before = Describe(container.Env.FirstOrDefault(e => e.Name == a.Name));
                var after = a.Kind switch
                {
                    EnvSourceKind.Literal => a.Value,
                    EnvSourceKind.ConfigMap => $"<from configmap {a.Value}>",
                    _ => $"<from secret {a.Value}>",
                };
                if (before != after)
                {
                    changes.Add(new EnvChange(container.Name, a.Name, before, after));
                }
            }

            foreach (var name in request.Remove.Where(n => container.Env.Any(e => e.Name == n)))
            {
                changes.Add(new EnvChange(container.Name, name, Describe(container.Env.First(e => e.Name == name)), null));
            }
        }

        if (changes.Count == 0)
        {
            errors.Add("Nothing would change: " + string.Join("; ", targets.Select(c => $"container {c.Name} already has " +
                string.Join(", ", request.Set.Select(a => a.ToString()).Concat(request.Remove.Select(r => $"no {r}"))))));
        }

        return new SetEnvCheck(new ActionValidation([.. errors], ValueList<string>.Empty), errors.Count > 0 ? ValueList<EnvChange>.Empty : [.. changes]);
    }

    public static SetEnvCheck Check(AgentRef target, ActionRequest request, AgentDetail detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        var parsed = SetEnvRequest.From(request, out var unknown);
        return Check(target, parsed, detail.Deployment?.Template ?? PodTemplateSnapshot.Empty, unknown);
    }

    /// <summary>How a variable reads in a change line: its literal value, or where it comes from (a secret's value is never carried).</summary>
    private static string? Describe(EnvVarSnapshot? env) => env is null ? null : env.Kind == EnvVarSourceKind.Literal ? env.Value : $"<from {env.Source}>";

    // \z, not $: $ also matches before a final line break, so "FOO\n" would pass as a name.
    [GeneratedRegex(@"^[-._a-zA-Z][-._a-zA-Z0-9]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex EnvName();
}

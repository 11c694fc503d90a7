namespace Kosmos.Recovery.Model;

public enum EnvVarSourceKind
{
    Literal,
    Secret,
    ConfigMap,
    Field,
    Resource,
    File,

    /// <summary>A source this code does not know (a newer API); nothing of its value is carried.</summary>
    Other,
}

/// <summary>
/// One environment variable of a container. Only literal values are carried; for everything else
/// <see cref="Source"/> says where the value comes from (e.g. <c>secret kosmos-llm/api-key</c>).
/// Properties have no init accessors and the factories are the only way in, so a secret's value
/// cannot be attached later with <c>with</c>.
/// </summary>
public sealed record EnvVarSnapshot
{
    private EnvVarSnapshot(string name, EnvVarSourceKind kind, string? value, string? source, bool optional)
    {
        Name = name;
        Kind = kind;
        Value = value;
        Source = source;
        Optional = optional;
    }

    public string Name { get; }

    public EnvVarSourceKind Kind { get; }

    /// <summary>The literal value; always null unless <see cref="Kind"/> is <see cref="EnvVarSourceKind.Literal"/>.</summary>
    public string? Value { get; }

    /// <summary>Where a non-literal value comes from, e.g. <c>configmap agent-config/model</c> or <c>field metadata.name</c>.</summary>
    public string? Source { get; }

    /// <summary>The referenced key may be missing without stopping the container.</summary>
    public bool Optional { get; }

    /// <summary>What the describe panel shows in the value column.</summary>
    public string DisplayValue => Kind == EnvVarSourceKind.Literal ? Value ?? "" : $"<from {Source}>";

    public static EnvVarSnapshot Literal(string name, string? value) =>
        new(name, EnvVarSourceKind.Literal, value ?? "", null, false);

    public static EnvVarSnapshot FromSecret(string name, string secretName, string key, bool optional = false) =>
        new(name, EnvVarSourceKind.Secret, null, $"secret {secretName}/{key}", optional);

    public static EnvVarSnapshot FromConfigMap(string name, string configMapName, string key, bool optional = false) =>
        new(name, EnvVarSourceKind.ConfigMap, null, $"configmap {configMapName}/{key}", optional);

    public static EnvVarSnapshot FromField(string name, string fieldPath) =>
        new(name, EnvVarSourceKind.Field, null, $"field {fieldPath}", false);

    public static EnvVarSnapshot FromResource(string name, string resource, string? containerName = null) =>
        new(
            name,
            EnvVarSourceKind.Resource,
            null,
            string.IsNullOrEmpty(containerName) ? $"resource {resource}" : $"resource {containerName}/{resource}",
            false);

    public static EnvVarSnapshot FromOther(string name, string description) =>
        new(name, EnvVarSourceKind.Other, null, description, false);

    public static EnvVarSnapshot FromFile(string name, string volumeName, string path, string key, bool optional = false) =>
        new(name, EnvVarSourceKind.File, null, $"file {volumeName}/{path}#{key}", optional);
}

/// <summary>A whole ConfigMap or Secret imported as environment variables (<c>envFrom</c>).</summary>
public sealed record EnvFromSnapshot(EnvVarSourceKind Kind, string Name, string? Prefix = null, bool Optional = false)
{
    public string Description =>
        (Kind == EnvVarSourceKind.Secret ? "secret " : "configmap ") + Name
        + (string.IsNullOrEmpty(Prefix) ? "" : $" (prefix {Prefix})");
}

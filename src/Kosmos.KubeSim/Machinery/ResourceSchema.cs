namespace Kosmos.KubeSim.Machinery;

/// <summary>
/// The schema of one kind the simulator serves: its group/version/kind, REST naming and the type tree of its
/// fields. Drives strategic merge, validation and the OpenAPI documents. Immutable; the instances are built once.
/// </summary>
public sealed class ResourceSchema
{
    internal ResourceSchema(string group, string version, string kind, string plural, bool namespaced, SchemaNode root, IReadOnlyList<string> subresources)
    {
        Group = group;
        Version = version;
        Kind = kind;
        Plural = plural;
        Namespaced = namespaced;
        Root = root;
        Subresources = subresources;
    }

    /// <summary>The API group; empty for the core group.</summary>
    public string Group { get; }

    public string Version { get; }

    public string Kind { get; }

    /// <summary>The REST resource name, e.g. <c>deployments</c>.</summary>
    public string Plural { get; }

    public bool Namespaced { get; }

    /// <summary>Subresources with their own PUT/PATCH paths in the OpenAPI documents, e.g. <c>status</c>.</summary>
    public IReadOnlyList<string> Subresources { get; }

    /// <summary>The type tree; its <see cref="SchemaNode.Definition"/> is the OpenAPI component name.</summary>
    public SchemaNode Root { get; }

    /// <summary><c>v1</c> or <c>apps/v1</c>.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>True for CRD-served kinds (VolumeSnapshot): no strategic merge, CRD-style validation messages.</summary>
    public bool IsCustomResource => Group == BuiltInSchemas.SnapshotGroup;

    /// <summary>The kind qualified by its group as the API server writes it in messages: <c>Deployment.apps</c>, <c>Pod</c>.</summary>
    public string QualifiedKind => Group.Length == 0 ? Kind : $"{Kind}.{Group}";

    /// <summary>Every kind the simulator serves: Pod, Deployment, ReplicaSet, PersistentVolumeClaim, ConfigMap, Secret, Namespace, Event, VolumeSnapshot.</summary>
    public static IReadOnlyList<ResourceSchema> All => BuiltInSchemas.All;

    /// <summary>A schema that knows no fields: strategic merge then merges maps and replaces lists; nothing is validated.</summary>
    public static ResourceSchema Generic => BuiltInSchemas.Generic;

    public static ResourceSchema Pod => Get("Pod");

    public static ResourceSchema Deployment => Get("Deployment");

    public static ResourceSchema ReplicaSet => Get("ReplicaSet");

    public static ResourceSchema PersistentVolumeClaim => Get("PersistentVolumeClaim");

    public static ResourceSchema ConfigMap => Get("ConfigMap");

    public static ResourceSchema Secret => Get("Secret");

    public static ResourceSchema Namespace => Get("Namespace");

    public static ResourceSchema Event => Get("Event");

    public static ResourceSchema VolumeSnapshot => Get("VolumeSnapshot");

    /// <summary>The schema for a kind (kinds are unique across the served groups), or null.</summary>
    public static ResourceSchema? Find(string kind) => BuiltInSchemas.ByKind.GetValueOrDefault(kind);

    /// <exception cref="KeyNotFoundException">The simulator does not serve that kind.</exception>
    public static ResourceSchema Get(string kind) =>
        Find(kind) ?? throw new KeyNotFoundException($"no schema for kind {kind}");

    public override string ToString() => $"{ApiVersion}, Kind={Kind}";
}

using System.Globalization;
using System.Text.Json.Nodes;
using Kosmos.KubeSim.Store;

namespace Kosmos.KubeSim.Controllers;

/// <summary>Reads the metadata fields controllers care about from frozen store objects, tolerating any JSON shape.</summary>
internal static class Meta
{
    public static string Name(JsonObject obj) => JsonValues.String(JsonValues.At(obj, "metadata", "name")) ?? "";

    public static string Namespace(JsonObject obj) => JsonValues.String(JsonValues.At(obj, "metadata", "namespace")) ?? "";

    public static string Uid(JsonObject obj) => JsonValues.String(JsonValues.At(obj, "metadata", "uid")) ?? "";

    public static long Generation(JsonObject obj) => JsonValues.Long(JsonValues.At(obj, "metadata", "generation")) ?? 0;

    public static JsonObject? Labels(JsonObject obj) => JsonValues.At(obj, "metadata", "labels") as JsonObject;

    public static string? Annotation(JsonObject obj, string key) => JsonValues.String(JsonValues.At(obj, "metadata", "annotations", key));

    public static bool IsTerminating(JsonObject obj) => JsonValues.At(obj, "metadata", "deletionTimestamp") is not null;

    public static DateTimeOffset CreationTimestamp(JsonObject obj) =>
        ParseTime(JsonValues.String(JsonValues.At(obj, "metadata", "creationTimestamp"))) ?? DateTimeOffset.MinValue;

    public static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : null;

    public static IEnumerable<JsonObject> OwnerReferences(JsonObject obj) =>
        (JsonValues.At(obj, "metadata", "ownerReferences") as JsonArray ?? []).OfType<JsonObject>();

    /// <summary>The owner reference marked <c>controller: true</c>, if any.</summary>
    public static JsonObject? ControllerRef(JsonObject obj) =>
        OwnerReferences(obj).FirstOrDefault(r => JsonValues.Bool(r["controller"]) == true);

    /// <summary>The name of the controlling owner when it is of <paramref name="kind"/>.</summary>
    public static string? ControllerName(JsonObject obj, ResourceKind kind) =>
        ControllerRef(obj) is { } r && JsonValues.String(r["kind"]) == kind.Kind && JsonValues.String(r["apiVersion"]) == kind.ApiVersion
            ? JsonValues.String(r["name"])
            : null;

    public static string? ControllerUid(JsonObject obj) => ControllerRef(obj) is { } r ? JsonValues.String(r["uid"]) : null;

    /// <summary>An owner reference making <paramref name="owner"/> the controller of a dependent, as the real controllers write it.</summary>
    public static JsonObject NewControllerRef(ResourceKind kind, JsonObject owner) => new()
    {
        ["apiVersion"] = kind.ApiVersion,
        ["kind"] = kind.Kind,
        ["name"] = Name(owner),
        ["uid"] = Uid(owner),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };

    /// <summary>The metadata.annotations object of a private copy, created when missing.</summary>
    public static JsonObject MutableAnnotations(JsonObject copy) => MutableChild(ObjectStore.Metadata(copy), "annotations");

    public static JsonObject MutableChild(JsonObject parent, string key)
    {
        if (parent[key] is not JsonObject child)
        {
            child = [];
            parent[key] = child;
        }

        return child;
    }

    public static string Key(JsonObject obj) => $"{Namespace(obj)}/{Name(obj)}";
}

/// <summary>A stored object's identity in a work queue: <c>ObjectKey.Of(obj)</c> (the one <see cref="ObjectKey"/> type, shared with the dashboard).</summary>
internal static class ObjectKeys
{
    extension(ObjectKey)
    {
        public static ObjectKey Of(JsonObject obj) => new(Meta.Namespace(obj), Meta.Name(obj));
    }
}

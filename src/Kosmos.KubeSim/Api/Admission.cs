using System.Text.Json.Nodes;
using Kosmos.KubeSim.Controllers;
using Kosmos.KubeSim.Machinery;
using Kosmos.KubeSim.Store;

namespace Kosmos.KubeSim.Api;

public enum FieldValidation
{
    Strict,
    Warn,
    Ignore,
}

/// <summary>
/// Validates an object before it is stored, as a real server does: 400 for undecodable or (Strict) unknown fields,
/// 422 for invalid values — and nothing is stored. Returns the object to store (unknown fields pruned) and warnings.
/// </summary>
internal static class Admission
{
    public static FieldValidation ParseFieldValidation(string? value) => value switch
    {
        null or "" or "Warn" => FieldValidation.Warn,
        "Strict" => FieldValidation.Strict,
        "Ignore" => FieldValidation.Ignore,
        _ => throw ApiException.BadRequest($"fieldValidation parameter unsupported: {value}"),
    };

    public static (JsonObject Accepted, IReadOnlyList<string> Warnings) Validate(ResourceKind kind, JsonObject obj, FieldValidation mode)
    {
        var result = Validator.Validate(kind.Kind, obj, mode switch
        {
            FieldValidation.Strict => ValidationMode.Strict,
            FieldValidation.Ignore => ValidationMode.Ignore,
            _ => ValidationMode.Warn,
        });
        if (!result.IsValid)
        {
            throw new ApiException(result.Code, result.Reason, result.Message, result.ToStatus()?["details"]?.DeepClone() as JsonObject);
        }

        var accepted = result.UnknownFields.Count > 0 ? Validator.PruneUnknownFields(kind.Kind, obj) : obj;
        if (kind == ResourceKinds.Secrets)
        {
            FoldStringData(accepted);
        }

        return (accepted, result.Warnings);
    }

    /// <summary>
    /// Mutating admission on create, as the StorageObjectInUseProtection plugin does: a new claim gets the
    /// <c>kubernetes.io/pvc-protection</c> finalizer, so deleting it while a pod uses it only marks it.
    /// </summary>
    public static JsonObject Mutate(ResourceKind kind, JsonObject obj)
    {
        if (kind == ResourceKinds.PersistentVolumeClaims)
        {
            ClaimProtection.AddFinalizer(obj);
        }

        return obj;
    }

    /// <summary>
    /// A Secret's <c>stringData</c> is write-only: the API server encodes each entry into <c>data</c> (overriding a key of the
    /// same name) and never stores or returns <c>stringData</c> itself.
    /// </summary>
    private static void FoldStringData(JsonObject secret)
    {
        if (secret["stringData"] is not JsonObject stringData)
        {
            secret.Remove("stringData");
            return;
        }

        if (secret["data"] is not JsonObject data)
        {
            data = new JsonObject();
            secret["data"] = data;
        }

        foreach (var (key, value) in stringData)
        {
            data[key] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(value?.GetValue<string>() ?? ""));
        }

        secret.Remove("stringData");
    }
}

using System.Text.Json.Nodes;
using Kosmos.KubeSim.Store;

namespace Kosmos.KubeSim.Api;

public enum FieldValidation
{
    Strict,
    Warn,
    Ignore,
}

/// <summary>Validates an object before it is stored; throws 400/422 as a real server would. Returns warnings (Warn mode).</summary>
internal static class Admission
{
    public static FieldValidation ParseFieldValidation(string? value) => value switch
    {
        null or "" or "Warn" => FieldValidation.Warn,
        "Strict" => FieldValidation.Strict,
        "Ignore" => FieldValidation.Ignore,
        _ => throw ApiException.BadRequest($"fieldValidation parameter unsupported: {value}"),
    };

    public static IReadOnlyList<string> Validate(ResourceKind kind, JsonObject obj, FieldValidation mode)
    {
        var name = obj["metadata"]?["name"]?.GetValue<string>() ?? "";
        if (name.Length == 0 && obj["metadata"]?["generateName"] is null)
        {
            throw ApiException.Invalid(kind, name, [("FieldValueRequired", "metadata.name", "Required value: name or generateName is required")]);
        }

        return [];
    }
}

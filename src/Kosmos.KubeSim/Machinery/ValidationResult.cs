using System.Text.Json.Nodes;

namespace Kosmos.KubeSim.Machinery;

/// <summary>The <c>fieldValidation</c> query parameter: what to do with fields the schema does not know.</summary>
public enum ValidationMode
{
    /// <summary>Unknown fields fail the request with 400 BadRequest (<c>strict decoding error: unknown field "..."</c>).</summary>
    Strict,

    /// <summary>Unknown fields are reported as warnings (<c>unknown field "..."</c>) and dropped.</summary>
    Warn,

    /// <summary>Unknown fields are silently dropped.</summary>
    Ignore,
}

/// <summary>
/// One invalid field, shaped like a <c>metav1.StatusCause</c>: <see cref="Reason"/> is the cause type
/// (<c>FieldValueInvalid</c>, <c>FieldValueRequired</c>, <c>FieldValueDuplicate</c>, <c>FieldValueNotFound</c>,
/// <c>FieldValueNotSupported</c>, <c>FieldValueForbidden</c>, <c>FieldValueTooLong</c>, <c>FieldValueTypeInvalid</c>),
/// <see cref="Field"/> the path (<c>spec.template.spec.containers[0].image</c>) and <see cref="Message"/> the body
/// (<c>Required value</c>, <c>Invalid value: "2Gx": quantities must match ...</c>).
/// </summary>
public sealed record FieldError(string Reason, string Field, string Message)
{
    /// <summary><c>field: message</c>, as the API server joins them.</summary>
    public override string ToString() => Field.Length == 0 ? Message : $"{Field}: {Message}";
}

/// <summary>
/// The outcome of <see cref="Validator.Validate"/>, in the order a real API server decides: decode errors
/// (wrong JSON types) and, under <see cref="ValidationMode.Strict"/>, unknown fields give 400 BadRequest; otherwise
/// invalid values give 422 Invalid; otherwise the request is acceptable (with <see cref="Warnings"/> under Warn).
/// All lists are filled whatever the outcome. Immutable.
/// </summary>
public sealed class ValidationResult
{
    internal ValidationResult(ResourceSchema schema, string name, ValidationMode mode, IReadOnlyList<string> unknownFields,
        IReadOnlyList<string> decodeErrors, IReadOnlyList<FieldError> errors)
    {
        Schema = schema;
        Name = name;
        UnknownFields = unknownFields;
        DecodeErrors = decodeErrors;
        Errors = errors;
        Warnings = mode == ValidationMode.Warn ? unknownFields.Select(UnknownField).ToList() : [];
        var strictFailure = mode == ValidationMode.Strict && unknownFields.Count > 0;
        if (decodeErrors.Count > 0 || strictFailure)
        {
            Code = 400;
            Reason = "BadRequest";
            var cause = decodeErrors.Count > 0
                ? decodeErrors[0]
                : "strict decoding error: " + string.Join(", ", unknownFields.Select(UnknownField));
            Message = $"{schema.Kind} in version {JsonNodes.GoQuote(schema.Version)} cannot be handled as a {schema.Kind}: {cause}";
        }
        else if (errors.Count > 0)
        {
            Code = 422;
            Reason = "Invalid";
            var messages = errors.Select(e => e.ToString()).Distinct(StringComparer.Ordinal).ToList();
            var aggregate = messages.Count == 1 ? messages[0] : "[" + string.Join(", ", messages) + "]";
            Message = $"{schema.QualifiedKind} {JsonNodes.GoQuote(name)} is invalid: {aggregate}";
        }
        else
        {
            Code = 200;
            Reason = "";
            Message = "";
        }
    }

    public ResourceSchema Schema { get; }

    /// <summary><c>metadata.name</c> of the validated object (empty when absent).</summary>
    public string Name { get; }

    /// <summary>Paths of fields the schema does not know, e.g. <c>spec.template.spec.containers[0].imagee</c>.</summary>
    public IReadOnlyList<string> UnknownFields { get; }

    /// <summary>Values of the wrong JSON type, in Go's wording (<c>json: cannot unmarshal string into Go struct field ...</c>).</summary>
    public IReadOnlyList<string> DecodeErrors { get; }

    /// <summary>Invalid values and missing required fields (the 422 causes).</summary>
    public IReadOnlyList<FieldError> Errors { get; }

    /// <summary>Under <see cref="ValidationMode.Warn"/>: <c>unknown field "spec.foo"</c> per unknown field, for the <c>Warning</c> header.</summary>
    public IReadOnlyList<string> Warnings { get; }

    public bool IsValid => Code == 200;

    /// <summary>200 (acceptable), 400 (BadRequest) or 422 (Invalid).</summary>
    public int Code { get; }

    /// <summary>The Status reason: empty, <c>BadRequest</c> or <c>Invalid</c>.</summary>
    public string Reason { get; }

    /// <summary>The Status message the API server sends (empty when valid).</summary>
    public string Message { get; }

    /// <summary>
    /// The <c>metav1.Status</c> a real server answers with, including <c>details.causes</c> for 422; null when valid.
    /// </summary>
    public JsonObject? ToStatus()
    {
        if (IsValid)
        {
            return null;
        }

        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
            ["reason"] = Reason,
        };
        if (Code == 422)
        {
            var details = new JsonObject { ["name"] = Name };
            if (Schema.Group.Length > 0)
            {
                details["group"] = Schema.Group;
            }

            details["kind"] = Schema.Kind;
            details["causes"] = new JsonArray([.. Errors.Select(e => (JsonNode)new JsonObject
            {
                ["reason"] = e.Reason,
                ["message"] = e.Message,
                ["field"] = e.Field,
            })]);
            status["details"] = details;
        }

        status["code"] = Code;
        return status;
    }

    private static string UnknownField(string path) => $"unknown field {JsonNodes.GoQuote(path)}";
}

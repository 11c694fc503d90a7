using System.Text.Json.Nodes;
using Kosmos.KubeSim.Store;

namespace Kosmos.KubeSim.Api;

/// <summary>
/// A failure the API answers with a Kubernetes Status object. Thrown anywhere below the HTTP layer; the
/// router turns it into the Status JSON kubectl prints as <c>Error from server (Reason): message</c>.
/// </summary>
public sealed class ApiException(int code, string reason, string message, JsonObject? details = null) : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;

    public JsonObject? Details { get; } = details;

    public JsonObject ToStatus() => Status.Failure(Code, Reason, Message, Details);

    public static ApiException NotFound(ResourceKind kind, string name) =>
        new(404, "NotFound", $"{kind.QualifiedPlural} \"{name}\" not found", Status.Details(kind, name));

    public static ApiException AlreadyExists(ResourceKind kind, string name) =>
        new(409, "AlreadyExists", $"{kind.QualifiedPlural} \"{name}\" already exists", Status.Details(kind, name));

    public static ApiException Conflict(ResourceKind kind, string name) =>
        new(409, "Conflict",
            $"Operation cannot be fulfilled on {kind.QualifiedPlural} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
            Status.Details(kind, name));

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);

    public static ApiException Gone(string message) => new(410, "Expired", message);

    /// <summary>422 Invalid with one cause per bad field, as the real server reports validation errors.</summary>
    public static ApiException Invalid(ResourceKind kind, string name, IReadOnlyList<(string Reason, string Field, string Message)> causes)
    {
        var details = Status.Details(kind, name);
        var causeArray = new JsonArray();
        foreach (var (reason, field, message) in causes)
        {
            causeArray.Add(new JsonObject { ["reason"] = reason, ["message"] = message, ["field"] = field });
        }

        details["causes"] = causeArray;
        var what = causes.Count == 1
            ? $"{causes[0].Field}: {causes[0].Message}"
            : "[" + string.Join(", ", causes.Select(c => $"{c.Field}: {c.Message}")) + "]";
        return new ApiException(422, "Invalid", $"{kind.Kind}{(kind.Group.Length > 0 ? "." + kind.Group : "")} \"{name}\" is invalid: {what}", details);
    }
}

/// <summary>Builds metav1.Status JSON by hand (the client library cannot serialise V1Status).</summary>
public static class Status
{
    public static JsonObject Failure(int code, string reason, string message, JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };
        if (details is not null)
        {
            status["details"] = details;
        }

        status["code"] = code;
        return status;
    }

    public static JsonObject Success(ResourceKind kind, string name, string? uid = null)
    {
        var details = Details(kind, name);
        if (uid is not null)
        {
            details["uid"] = uid;
        }

        return new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = details,
        };
    }

    public static JsonObject Details(ResourceKind kind, string name)
    {
        var details = new JsonObject { ["name"] = name };
        if (kind.Group.Length > 0)
        {
            details["group"] = kind.Group;
        }

        details["kind"] = kind.Plural;
        return details;
    }
}

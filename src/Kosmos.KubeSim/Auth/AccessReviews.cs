using System.Text.Json.Nodes;
using Kosmos.KubeSim.Api;
using Kosmos.KubeSim.Store;
using Microsoft.AspNetCore.Http;

namespace Kosmos.KubeSim.Auth;

/// <summary>
/// authorization.k8s.io/v1 SelfSubjectAccessReview (<c>kubectl auth can-i VERB RESOURCE</c>) and SelfSubjectRulesReview
/// (<c>kubectl auth can-i --list</c>): the requester's own access, answered by the same authorizer that guards the API, and
/// never stored (201 with the review and its status, as a real server answers).
/// </summary>
internal static class AccessReviews
{
    public static async Task HandleAsync(HttpContext http, ApiPath path, UserInfo user, ApiAccess access)
    {
        if (http.Request.Method != "POST" || !path.IsCollection)
        {
            throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }

        var review = IsProtobuf(http.Request)
            ? AccessReviewProtobuf.Decode(await ReadBytesAsync(http))
            : HttpJson.ParseOrThrow(await HttpJson.ReadBodyAsync(http)) as JsonObject
                ?? throw ApiException.BadRequest("the body of the request must be a JSON object");
        var spec = review["spec"] as JsonObject ?? [];
        review["apiVersion"] = path.Kind.ApiVersion;
        review["kind"] = path.Kind.Kind;
        review["metadata"] ??= new JsonObject();
        review["status"] = path.Kind == ResourceKinds.SelfSubjectRulesReviews ? Rules(spec, user, access) : Access(spec, user, access, path);
        await HttpJson.WriteAsync(http, 201, review);
    }

    /// <summary>True for the one kind of request whose body may be protobuf: an access review (kubectl sends no JSON for it).</summary>
    public static bool AcceptsProtobuf(string path) =>
        path.TrimEnd('/') is "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews" or "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";

    public static bool IsProtobuf(HttpRequest request) =>
        request.ContentType?.StartsWith("application/vnd.kubernetes.protobuf", StringComparison.Ordinal) == true;

    private static async Task<byte[]> ReadBytesAsync(HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        return buffer.ToArray();
    }

    private static JsonObject Access(JsonObject spec, UserInfo user, ApiAccess access, ApiPath path)
    {
        var resource = spec["resourceAttributes"] as JsonObject;
        var nonResource = spec["nonResourceAttributes"] as JsonObject;
        if ((resource is null) == (nonResource is null))
        {
            throw ApiException.Invalid(path.Kind, "", [("FieldValueRequired", "spec.resourceAttributes", "exactly one of nonResourceAttributes or resourceAttributes must be specified")]);
        }

        var request = resource is not null
            ? RequestAttributes.ForResource(user, S(resource, "verb"), S(resource, "group"), S(resource, "resource"), S(resource, "subresource"), S(resource, "namespace"), S(resource, "name"))
            : new RequestAttributes(user, S(nonResource!, "verb"), IsResourceRequest: false, S(nonResource!, "path"), "", "", "", "", "", "");
        var decision = access.Decide(request);
        var status = new JsonObject { ["allowed"] = decision.Allowed };
        if (decision.Reason.Length > 0)
        {
            status["reason"] = decision.Reason;
        }

        return status;
    }

    private static JsonObject Rules(JsonObject spec, UserInfo user, ApiAccess access)
    {
        var rules = access.RulesFor(user, S(spec, "namespace"));
        var resourceRules = new JsonArray();
        var nonResourceRules = new JsonArray();
        foreach (var rule in rules)
        {
            (rule.NonResourceUrls.Count > 0 ? nonResourceRules : resourceRules).Add(rule.ToJson());
        }

        return new JsonObject { ["resourceRules"] = resourceRules, ["nonResourceRules"] = nonResourceRules, ["incomplete"] = false };
    }

    private static string S(JsonObject obj, string field) => JsonValues.String(obj[field]) ?? "";
}

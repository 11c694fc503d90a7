using Kosmos.KubeSim.Api;
using Kosmos.KubeSim.Auth.Rbac;
using Kosmos.KubeSim.Control;
using Microsoft.AspNetCore.Http;

namespace Kosmos.KubeSim.Auth;

/// <summary>
/// Authentication and authorisation in front of every API request (kube-apiserver's filter chain): with
/// <see cref="AuthorizationMode.Rbac"/> a bearer token names the user (none: the admin; unknown: 401 Unauthorized) and RBAC
/// decides (no: 403 Forbidden, worded as kube-apiserver words it). With <see cref="AuthorizationMode.AlwaysAllow"/> nothing is checked.
/// </summary>
public sealed class ApiAccess(AuthorizationMode mode, TokenAuthenticator tokens, RbacAuthorizer rbac, AuthorizationLog log, SimulatorStats stats)
{
    public AuthorizationMode Mode => mode;

    /// <summary>The request's user when it may proceed; throws the 401 or 403 <see cref="ApiException"/> otherwise.</summary>
    public UserInfo Check(HttpContext http)
    {
        if (mode == AuthorizationMode.AlwaysAllow)
        {
            return UserInfo.Admin;
        }

        var user = tokens.Authenticate(http.Request) ?? throw new ApiException(401, "Unauthorized", "Unauthorized");
        var request = RequestAttributes.Parse(user, http.Request);
        Require(request);

        // A WebSocket exec (kubectl 1.30+, the .NET client) is a GET, authorised as "get" on pods/exec by the filter; API servers
        // with AuthorizePodWebsocketUpgradeCreatePermission also require "create", the verb of the SPDY POST, before upgrading.
        if (request is { IsResourceRequest: true, Resource: "pods", Subresource: "exec" or "attach" or "portforward", Verb: "get" } && http.WebSockets.IsWebSocketRequest)
        {
            Require(request with { Verb = "create" });
        }

        return user;
    }

    /// <summary>What the authorizer would answer, without recording it (access reviews).</summary>
    public AuthorizationDecision Decide(RequestAttributes request) =>
        mode == AuthorizationMode.AlwaysAllow ? AuthorizationDecision.AllowAll("AlwaysAllow") : rbac.Authorize(request);

    public IReadOnlyList<PolicyRule> RulesFor(UserInfo user, string ns) =>
        mode == AuthorizationMode.AlwaysAllow || user.IsSuperUser ? [BootstrapPolicy.Everything, BootstrapPolicy.EveryUrl] : rbac.RulesFor(user, ns);

    private void Require(RequestAttributes request)
    {
        var decision = rbac.Authorize(request);
        log.Record(request, decision);
        if (!decision.Allowed)
        {
            stats.CountRequest("forbidden", request.Resource.Length > 0 ? request.Resource : request.Path);
            throw Forbidden(request, decision.Reason);
        }
    }

    /// <summary>
    /// responsewriters.Forbidden + apierrors.NewForbidden: <c>pods is forbidden: User "u" cannot list resource "pods" in API
    /// group "" in the namespace "kosmos"</c>, with <c>deployments.apps "x" is forbidden: ...</c> for a named object and
    /// <c>at the cluster scope</c> for a cluster-wide request.
    /// </summary>
    public static ApiException Forbidden(RequestAttributes request, string reason)
    {
        string why;
        if (!request.IsResourceRequest)
        {
            why = $"User \"{request.User.Name}\" cannot {request.Verb} path \"{request.Path}\"";
        }
        else if (request.Namespace.Length > 0)
        {
            why = $"User \"{request.User.Name}\" cannot {request.Verb} resource \"{request.CombinedResource}\" in API group \"{request.ApiGroup}\" in the namespace \"{request.Namespace}\"";
        }
        else
        {
            why = $"User \"{request.User.Name}\" cannot {request.Verb} resource \"{request.CombinedResource}\" in API group \"{request.ApiGroup}\" at the cluster scope";
        }

        if (reason.Length > 0)
        {
            why += ": " + reason;
        }

        var details = new System.Text.Json.Nodes.JsonObject();
        if (request.Name.Length > 0)
        {
            details["name"] = request.Name;
        }

        if (request.ApiGroup.Length > 0)
        {
            details["group"] = request.ApiGroup;
        }

        if (request.Resource.Length > 0)
        {
            details["kind"] = request.Resource;
        }

        var qualified = request.ApiGroup.Length > 0 ? $"{request.Resource}.{request.ApiGroup}" : request.Resource;
        var message = qualified.Length == 0 ? $"forbidden: {why}"
            : request.Name.Length == 0 ? $"{qualified} is forbidden: {why}"
            : $"{qualified} \"{request.Name}\" is forbidden: {why}";
        return new ApiException(403, "Forbidden", message, details);
    }
}

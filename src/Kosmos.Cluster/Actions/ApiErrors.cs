using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using k8s.Autorest;
using Kosmos.Recovery.Actions;

namespace Kosmos.Cluster.Actions;

/// <summary>Turns what the API server answered into an <see cref="ActionException"/> a person can act on.</summary>
internal static partial class ApiErrors
{
    /// <summary>Where the dashboard's permissions are granted; a 403 names it so whoever reads the message knows what to change.</summary>
    public const string RoleFile = "deploy/dashboard/base/rbac.yaml";

    public static ActionException From(Exception ex, string doing) => ex switch
    {
        HttpOperationException { Response.StatusCode: HttpStatusCode.NotFound } http =>
            new ActionException(ActionFailure.NotFound, $"{doing}: not found ({Message(http)}).", ex),
        HttpOperationException { Response.StatusCode: HttpStatusCode.Conflict } http =>
            new ActionException(ActionFailure.Conflict, $"{doing}: conflict ({Message(http)}).", ex),
        HttpOperationException { Response.StatusCode: HttpStatusCode.Forbidden } http =>
            new ActionException(ActionFailure.Unavailable, Forbidden(doing, Message(http)), ex),
        HttpOperationException { Response.StatusCode: HttpStatusCode.Unauthorized } http =>
            new ActionException(ActionFailure.Unavailable,
                $"{doing}: the API server did not accept the dashboard's credentials ({Message(http)}); check its service account token or kubeconfig.", ex),
        HttpOperationException { Response.StatusCode: HttpStatusCode.UnprocessableEntity or HttpStatusCode.BadRequest } http =>
            new ActionException(ActionFailure.Invalid, $"{doing}: the API server refused the change ({Message(http)}).", ex),
        HttpOperationException http =>
            new ActionException(ActionFailure.Unavailable, $"{doing}: the API server answered {(int)http.Response.StatusCode} ({Message(http)}).", ex),
        _ => new ActionException(ActionFailure.Unavailable, $"{doing}: the API server could not be reached ({ex.Message}).", ex),
    };

    public static bool IsApiError(Exception ex) => ex is HttpOperationException or HttpRequestException;

    /// <summary>
    /// A 403 in words a person can act on: which identity lacks which permission where, and where that is granted. The API
    /// server refuses before it does anything, so nothing was changed. Its own message follows for the record.
    /// </summary>
    internal static string Forbidden(string doing, string serverMessage)
    {
        var m = ForbiddenMessage().Match(serverMessage);
        if (!m.Success)
        {
            return $"{doing}: the dashboard is not allowed to do this in the cluster, so nothing was changed ({serverMessage}).";
        }

        var group = m.Groups["group"].Value;
        var resource = group.Length == 0 ? m.Groups["resource"].Value : $"{m.Groups["resource"].Value} (API group {group})";
        var where = m.Groups["ns"].Success ? $"in namespace {m.Groups["ns"].Value}" : "cluster-wide";
        return $"{doing}: the dashboard's Kubernetes identity {m.Groups["user"].Value} is not allowed to {m.Groups["verb"].Value} {resource} {where}, "
            + $"so nothing was changed. Grant it in the dashboard's Role ({RoleFile}) or ask a cluster administrator. (API server: {serverMessage})";
    }

    // kube-apiserver's wording (responsewriters.forbiddenMessage).
    [GeneratedRegex("""User "(?<user>[^"]*)" cannot (?<verb>\S+) resource "(?<resource>[^"]+)" in API group "(?<group>[^"]*)"(?: in the namespace "(?<ns>[^"]+)"| at the cluster scope)""")]
    private static partial Regex ForbiddenMessage();

    // The Kubernetes Status message when there is one, else the status code.
    private static string Message(HttpOperationException http)
    {
        try
        {
            using var status = JsonDocument.Parse(http.Response.Content ?? "");
            if (status.RootElement.TryGetProperty("message", out var message) && message.GetString() is { Length: > 0 } text)
            {
                return text;
            }
        }
        catch (JsonException)
        {
            // Not a Status object: fall back to the code.
        }

        return $"HTTP {(int)http.Response.StatusCode}";
    }
}

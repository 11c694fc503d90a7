using System.Net;
using System.Text.Json;
using k8s.Autorest;
using Kosmos.Recovery.Actions;

namespace Kosmos.Cluster.Actions;

/// <summary>Turns what the API server answered into an <see cref="ActionException"/> a person can act on.</summary>
internal static class ApiErrors
{
    public static ActionException From(Exception ex, string doing) => ex switch
    {
        HttpOperationException { Response.StatusCode: HttpStatusCode.NotFound } http =>
            new ActionException(ActionFailure.NotFound, $"{doing}: not found ({Message(http)}).", ex),
        HttpOperationException { Response.StatusCode: HttpStatusCode.Conflict } http =>
            new ActionException(ActionFailure.Conflict, $"{doing}: conflict ({Message(http)}).", ex),
        HttpOperationException { Response.StatusCode: HttpStatusCode.UnprocessableEntity or HttpStatusCode.BadRequest } http =>
            new ActionException(ActionFailure.Invalid, $"{doing}: the API server refused the change ({Message(http)}).", ex),
        HttpOperationException http =>
            new ActionException(ActionFailure.Unavailable, $"{doing}: the API server answered {(int)http.Response.StatusCode} ({Message(http)}).", ex),
        _ => new ActionException(ActionFailure.Unavailable, $"{doing}: the API server could not be reached ({ex.Message}).", ex),
    };

    public static bool IsApiError(Exception ex) => ex is HttpOperationException or HttpRequestException;

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

using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace Kosmos.Dashboard.Infrastructure;

/// <summary>
/// Errors of the HTTP API as <c>application/problem+json</c> with a detail that names what was wrong, and request bodies
/// read with a per-endpoint size cap. Scripts get a status and a sentence, never an empty body or a sign-in page.
/// </summary>
public static class ApiProblems
{
    /// <summary>Paths whose callers are programs (scripts, SignalR clients, the Blazor circuit): answered with a status, never redirected.</summary>
    public static bool IsApiRequest(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hubs") || request.Path.StartsWithSegments("/_blazor")
            || request.Path.StartsWithSegments("/metrics");
    }

    public static IResult Problem(int status, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        Results.Problem(statusCode: status, title: title, detail: detail, extensions: extensions);

    public static Task WriteAsync(HttpContext http, int status, string title, string detail)
    {
        ArgumentNullException.ThrowIfNull(http);
        return Problem(status, title, detail).ExecuteAsync(http);
    }

    /// <summary>The title and sentence of a bare status code, for responses that reached the client with no body.</summary>
    public static (string Title, string Detail) Describe(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var request = http.Request;
        return http.Response.StatusCode switch
        {
            StatusCodes.Status401Unauthorized => ("Not signed in", $"{request.Method} {request.Path} needs a signed-in user: sign in at /signin and send the session cookie."),
            StatusCodes.Status403Forbidden => ("Not allowed", $"Your role may not {request.Method} {request.Path}."),
            StatusCodes.Status404NotFound => ("Not found", $"There is no {request.Path} (see the README's HTTP API)."),
            StatusCodes.Status405MethodNotAllowed => ("Method not allowed",
                $"{request.Path} does not answer {request.Method}" + (http.Response.Headers.Allow is { Count: > 0 } allow ? $"; it answers {allow}." : ".")),
            StatusCodes.Status413PayloadTooLarge => ("Request body too large", $"The body of {request.Method} {request.Path} is larger than it may be."),
            StatusCodes.Status415UnsupportedMediaType => ("Unsupported media type", $"{request.Method} {request.Path} takes application/json (got '{request.ContentType}')."),
            var code => (ReasonPhrase(code), $"{request.Method} {request.Path} answered {code}."),
        };
    }

    /// <summary>
    /// Reads a JSON body of at most <paramref name="maxBytes"/> (a larger one is refused with 413 before or while it is read,
    /// never buffered whole). No body at all gives <c>default</c>; a body that is not JSON gives 415; JSON that does not fit
    /// <typeparamref name="T"/> gives 400 naming the field (its JSON path) and the line.
    /// </summary>
    public static async Task<(T? Value, IResult? Problem)> ReadJsonAsync<T>(HttpContext http, long maxBytes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        var request = http.Request;
        if (request.ContentLength is > 0 && request.ContentLength > maxBytes)
        {
            return (default, TooLarge(request, maxBytes));
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        if (request.ContentLength is 0 || (request.ContentLength is null && !request.Headers.TransferEncoding.Any(v => v?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true)))
        {
            return (default, null);
        }

        if (!request.HasJsonContentType())
        {
            return (default, Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                $"{request.Method} {request.Path} takes a JSON body with Content-Type: application/json (got '{Excerpt(request.ContentType)}')."));
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, JsonSerializerOptions.Web, ct);
            return (value, null);
        }
        catch (JsonException ex)
        {
            var where = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "the body" : $"field '{ex.Path}'";
            return (default, Problem(StatusCodes.Status400BadRequest, "Malformed JSON",
                $"The JSON body could not be read at {where} (line {(ex.LineNumber ?? 0) + 1}): {FirstSentence(ex.Message)}",
                new Dictionary<string, object?> { ["field"] = ex.Path }));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (default, TooLarge(request, maxBytes));
        }
    }

    /// <summary>At most the first characters of <paramref name="text"/>: an error never echoes a large input back.</summary>
    public static string Excerpt(string? text, int max = 64) => text is null ? "" : text.Length <= max ? text : $"{text[..max]}… ({text.Length} characters)";

    private static IResult TooLarge(HttpRequest request, long maxBytes) => Problem(StatusCodes.Status413PayloadTooLarge, "Request body too large",
        $"The body of {request.Method} {request.Path} may be at most {maxBytes} bytes" + (request.ContentLength is { } length ? $" (got {length})." : "."));

    // System.Text.Json appends "Path: $.x | LineNumber: 0 | BytePositionInLine: 3." — said better above.
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return Excerpt(cut > 0 ? message[..cut] : message, 200);
    }

    private static string ReasonPhrase(int code) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(code) is { Length: > 0 } phrase ? phrase : "Error";
}

using System.Text.Json.Nodes;
using Kosmos.KubeSim.Auth;
using Kosmos.KubeSim.Control;
using Kosmos.KubeSim.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Kosmos.KubeSim.Api;

/// <summary>
/// The Kubernetes API surface: discovery, OpenAPI, resources. Every answer an error becomes a Status JSON.
/// Injected faults (failures, delays) apply here and never to /sim/.
/// </summary>
public sealed partial class ApiRouter(ResourceHandler resources, FaultInjector faults, SimulatorStats stats, ApiAccess access, ILogger<ApiRouter> logger)
{
    public async Task HandleAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "/";
        try
        {
            if (faults.Delay > TimeSpan.Zero)
            {
                await Task.Delay(faults.Delay, http.RequestAborted);
            }

            if (faults.TakeFailure() is { } code)
            {
                stats.CountRequest("injected-failure", code.ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (code == 429)
                {
                    http.Response.Headers.RetryAfter = "1";
                }

                throw new ApiException(code, code == 429 ? "TooManyRequests" : "InternalError",
                    code == 429 ? "the server has received too many requests and has asked us to try again later" : "an error on the server (\"injected fault\") has prevented the request from succeeding");
            }

            if (AccessReviews.IsProtobuf(http.Request) && !AccessReviews.AcceptsProtobuf(path))
            {
                // Only JSON is spoken here; client-go falls back to JSON on 415.
                throw new ApiException(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml");
            }

            // As in kube-apiserver's filter chain: who is asking, and may they, before anything is looked up.
            var user = access.Check(http);
            if (await TryDiscoveryAsync(http, path))
            {
                return;
            }

            var apiPath = ApiPath.Parse(path) ?? throw new ApiException(404, "NotFound", "the server could not find the requested resource");
            if (apiPath.Kind.IsVirtual)
            {
                await AccessReviews.HandleAsync(http, apiPath, user, access);
                return;
            }

            await resources.HandleAsync(http, apiPath);
        }
        catch (ApiException ex)
        {
            if (!http.Response.HasStarted)
            {
                await HttpJson.WriteAsync(http, ex.Code, ex.ToStatus());
            }
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client hung up.
        }
        catch (Exception ex) when (!http.Response.HasStarted)
        {
            LogRequestFailed(logger, ex, http.Request.Method, path);
            await HttpJson.WriteAsync(http, 500, Status.Failure(500, "InternalError", $"an error on the server (\"{ex.Message}\") has prevented the request from succeeding"));
        }
    }

    private static async Task<bool> TryDiscoveryAsync(HttpContext http, string path)
    {
        if (http.Request.Method != "GET")
        {
            return false;
        }

        JsonNode? body = path.TrimEnd('/') switch
        {
            "/version" => Discovery.Version(),
            "/api" => Discovery.CoreVersions(),
            "/apis" => Discovery.Groups(),
            "/api/v1" => Discovery.Resources("", "v1"),
            var p when p.StartsWith("/apis/", StringComparison.Ordinal) && p.Split('/') is [_, _, var g, var v] => Discovery.Resources(g, v)
                ?? throw new ApiException(404, "NotFound", "the server could not find the requested resource"),
            var p when p.StartsWith("/openapi/v3", StringComparison.Ordinal) => OpenApi.Get(p)
                ?? throw new ApiException(404, "NotFound", "the server could not find the requested resource"),
            _ => null,
        };
        if (body is null)
        {
            return false;
        }

        await HttpJson.WriteAsync(http, 200, body);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Simulator request {Method} {Path} failed")]
    private static partial void LogRequestFailed(ILogger logger, Exception ex, string method, string path);
}

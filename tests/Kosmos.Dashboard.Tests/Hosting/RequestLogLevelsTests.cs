using Kosmos.Dashboard.Infrastructure;
using Microsoft.AspNetCore.Http;
using Serilog.Events;

namespace Kosmos.Dashboard.Tests.Hosting;

/// <summary>Request log levels: the kubelet's probes are quiet when answered and a Warning when not ready; the rest as Serilog's default.</summary>
public sealed class RequestLogLevelsTests
{
    [Theory]
    [InlineData("/readyz", 200, false, LogEventLevel.Debug)]
    [InlineData("/healthz", 200, false, LogEventLevel.Debug)]
    [InlineData("/readyz", 503, false, LogEventLevel.Warning)] // still syncing at start-up
    [InlineData("/READYZ", 503, false, LogEventLevel.Warning)]
    [InlineData("/readyz", 500, true, LogEventLevel.Error)]
    [InlineData("/api/agents", 200, false, LogEventLevel.Information)]
    [InlineData("/api/agents", 503, false, LogEventLevel.Error)]
    [InlineData("/api/agents", 200, true, LogEventLevel.Error)]
    [InlineData("/readyzz", 503, false, LogEventLevel.Error)]
    public void For_Table(string path, int status, bool threw, LogEventLevel expected)
    {
        var http = new DefaultHttpContext();
        http.Request.Path = path;
        http.Response.StatusCode = status;

        Assert.Equal(expected, RequestLogLevels.For(http, 1, threw ? new InvalidOperationException("boom") : null));
    }
}

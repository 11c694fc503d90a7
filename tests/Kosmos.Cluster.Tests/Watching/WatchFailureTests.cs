using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Kosmos.Cluster.Watching;

namespace Kosmos.Cluster.Tests.Watching;

public sealed class WatchFailureTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(410, "Gone")]
    [InlineData(404, "Refused")]
    [InlineData(403, "Refused")]
    [InlineData(401, "Refused")]
    [InlineData(400, "Refused")]
    [InlineData(429, "Transient")]
    [InlineData(408, "Transient")]
    [InlineData(500, "Transient")]
    [InlineData(503, "Transient")]
    [InlineData(504, "Transient")]
    public void From_HttpStatus_IsClassified(int code, string expected)
    {
        var failure = WatchFailure.From(Http(code), Now);

        Assert.Equal((Enum.Parse<FailureKind>(expected), code), (failure.Kind, failure.StatusCode));
    }

    [Fact]
    public void From_StatusBody_CarriesTheServersReasonAndMessage()
    {
        var failure = WatchFailure.From(Http(404, body: """{"kind":"Status","reason":"NotFound","message":"the server could not find the requested resource","code":404}"""), Now);

        Assert.Equal("404 NotFound: the server could not find the requested resource", failure.Message);
    }

    [Theory]
    [InlineData("7", 7)]
    [InlineData("Sun, 29 Nov 2026 12:00:05 GMT", 5)]
    [InlineData("Sun, 29 Nov 2026 11:00:00 GMT", 0)]
    public void From_RetryAfterHeader_IsRead(string header, int seconds)
    {
        var failure = WatchFailure.From(Http(429, retryAfter: header), Now);

        Assert.Equal(TimeSpan.FromSeconds(seconds), failure.RetryAfter);
    }

    [Fact]
    public void From_ErrorEventWith410_IsGone()
    {
        var failure = WatchFailure.From(new KubernetesException(new V1Status { Code = 410, Reason = "Expired", Message = "too old resource version" }), Now);

        Assert.Equal(FailureKind.Gone, failure.Kind);
        Assert.Contains("Expired", failure.Message);
    }

    [Fact]
    public void From_BrokenConnection_IsTransient()
    {
        Assert.Equal(FailureKind.Transient, WatchFailure.From(new HttpRequestException("Connection refused"), Now).Kind);
        Assert.Equal(FailureKind.Transient, WatchFailure.From(new IOException("The response ended prematurely"), Now).Kind);
        Assert.Equal(FailureKind.Transient, WatchFailure.From(new TaskCanceledException("HttpClient.Timeout"), Now).Kind);
    }

    private static HttpOperationException Http(int code, string body = "", string? retryAfter = null)
    {
        var response = new HttpResponseMessage((HttpStatusCode)code);
        if (retryAfter is not null)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
        }

        return new HttpOperationException($"Operation returned an invalid status code '{(HttpStatusCode)code}'")
        {
            Response = new HttpResponseMessageWrapper(response, body),
        };
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Kosmos.Dashboard.Actions;
using Kosmos.Dashboard.Security;
using Kosmos.Dashboard.Tests.Hosting;
using Kosmos.Recovery.Actions;
using Microsoft.Extensions.DependencyInjection;

namespace Kosmos.Dashboard.Tests.Actions;

/// <summary>
/// The action endpoints of the real dashboard over its socket, against the shared simulated fleet. Nothing here restarts an
/// agent (the browser test does): every request is refused, or only previews, so other tests of the host see no change.
/// </summary>
[Collection(DashboardHostCollection.Name)]
public sealed partial class ActionEndpointsTests(DashboardHostFixture host)
{
    private const string Planner = "/api/agents/kosmos/planner/actions/restart";
    private const string Summarizer = "/api/agents/kosmos/summarizer/actions/set-resources";

    [Fact]
    public async Task Preview_NotSignedIn_401()
    {
        using var response = await host.Http.SendAsync(Post(Planner + "/preview", csrf: true));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Restart_WithoutCsrfHeader_400NamingTheHeader()
    {
        using var operatorClient = await SignInAsync("ada", KosmosRoles.Operator);

        using var response = await operatorClient.SendAsync(Post(Planner, csrf: false, new PreconditionMessage("1")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(ActionEndpoints.CsrfHeader, (await ProblemAsync(response))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_Viewer_403AuditedAndDeploymentUnchanged()
    {
        var before = await ResourceVersionAsync("planner");
        using var viewer = await SignInAsync("victor", KosmosRoles.Viewer);

        using var response = await viewer.SendAsync(Post(Planner, csrf: true, new PreconditionMessage(before)));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Equal("Refused", problem["actionStatus"]!.GetValue<string>());
        Assert.Contains("victor (Viewer) may not restart agents", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, await ResourceVersionAsync("planner"));
        var audit = await host.Services.GetRequiredService<IAuditLog>().RecentAsync(100, CancellationToken.None);
        Assert.Contains(audit, e => e.User == "victor" && e.Role == KosmosRoles.Viewer && e.Status == "Refused" && e.Agent == "planner");
    }

    [Fact]
    public async Task Preview_Operator_200WithDryRunAndNothingChanged()
    {
        var before = await ResourceVersionAsync("planner");
        using var operatorClient = await SignInAsync("ada", KosmosRoles.Operator);

        using var response = await operatorClient.SendAsync(Post(Planner + "/preview", csrf: true));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var preview = await response.Content.ReadFromJsonAsync<ActionPreviewMessage>();
        Assert.Equal(before, preview!.Precondition.ResourceVersion);
        Assert.Contains(preview.Changes, c => c.Path == """spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"]""");
        Assert.Equal("kubectl rollout restart deployment planner -n kosmos", preview.Kubectl);
        Assert.Equal(before, await ResourceVersionAsync("planner"));
    }

    [Fact]
    public async Task Restart_StalePrecondition_409AndNothingChanged()
    {
        var before = await ResourceVersionAsync("planner");
        using var operatorClient = await SignInAsync("ada", KosmosRoles.Operator);

        using var response = await operatorClient.SendAsync(Post(Planner, csrf: true, new PreconditionMessage("1")));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Equal("Conflict", problem["actionStatus"]!.GetValue<string>());
        Assert.Contains("changed since the preview (resourceVersion 1, now ", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, await ResourceVersionAsync("planner"));
    }

    [Fact]
    public async Task Restart_UnknownAgent_404()
    {
        using var operatorClient = await SignInAsync("ada", KosmosRoles.Operator);

        using var response = await operatorClient.SendAsync(Post("/api/agents/kosmos/ghost/actions/restart", csrf: true, new PreconditionMessage("1")));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("There is no agent kosmos/ghost", (await ProblemAsync(response))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_WithoutPrecondition_422()
    {
        using var operatorClient = await SignInAsync("ada", KosmosRoles.Operator);

        using var response = await operatorClient.SendAsync(Post(Planner, csrf: true, new PreconditionMessage(null)));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Fact]
    public async Task SetResources_Viewer_403AuditedAndDeploymentUnchanged()
    {
        var before = await ResourceVersionAsync("summarizer");
        using var viewer = await SignInAsync("vera", KosmosRoles.Viewer);

        using var response = await viewer.SendAsync(Post(Summarizer, csrf: true, Bump("2Gi") with { ResourceVersion = before, Fingerprint = "x" }));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("vera (Viewer) may not set the resources of agents", (await ProblemAsync(response))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, await ResourceVersionAsync("summarizer"));
        var audit = await host.Services.GetRequiredService<IAuditLog>().RecentAsync(100, CancellationToken.None);
        Assert.Contains(audit, e => e.User == "vera" && e.Status == "Refused" && e.Agent == "summarizer" && e.Action == "set-resources");
    }

    [Fact]
    public async Task SetResourcesPreview_Operator_200WithDryRunValuesFingerprintAndNothingChanged()
    {
        var before = await ResourceVersionAsync("summarizer");
        using var operatorClient = await SignInAsync("ada", KosmosRoles.Operator);

        using var response = await operatorClient.SendAsync(Post(Summarizer + "/preview", csrf: true, Bump("2Gi")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var preview = (await response.Content.ReadFromJsonAsync<ActionPreviewMessage>())!;
        Assert.Contains(preview.Changes, c => c.Path == "spec.template.spec.containers[0].resources.limits.memory" && c.Before == "256Mi" && c.After == "2Gi");
        Assert.Contains(preview.Changes, c => c.Path == "spec.template.spec.containers[0].resources.requests.memory" && c.Before == "128Mi" && c.After == "1Gi");
        Assert.Equal("kubectl set resources deployment summarizer -n kosmos -c agent --limits=memory=2Gi --requests=memory=1Gi", preview.Kubectl);
        Assert.Equal(Bump("2Gi") with { Limits = new ResourceValuesMessage("2Gi", null), Requests = new ResourceValuesMessage("1Gi", null) }, preview.Values);
        Assert.False(string.IsNullOrEmpty(preview.Precondition.Fingerprint));
        Assert.Contains("No separate restart is needed", preview.Note, StringComparison.Ordinal);
        Assert.Equal(before, preview.Precondition.ResourceVersion);
        Assert.Equal(before, await ResourceVersionAsync("summarizer"));
    }

    [Fact]
    public async Task SetResources_ValuesOtherThanPreviewed_422AndNothingChanged()
    {
        using var operatorClient = await SignInAsync("ada", KosmosRoles.Operator);
        using var previewResponse = await operatorClient.SendAsync(Post(Summarizer + "/preview", csrf: true, Bump("2Gi")));
        var preview = (await previewResponse.Content.ReadFromJsonAsync<ActionPreviewMessage>())!;
        var forged = Bump("4Gi") with
        {
            ResourceVersion = preview.Precondition.ResourceVersion,
            Generation = preview.Precondition.Generation,
            Fingerprint = preview.Precondition.Fingerprint,
        };

        using var response = await operatorClient.SendAsync(Post(Summarizer, csrf: true, forged));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Equal("Invalid", problem["actionStatus"]!.GetValue<string>());
        Assert.Contains("are not the ones previewed", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(preview.Precondition.ResourceVersion, await ResourceVersionAsync("summarizer"));
    }

    [Theory]
    [InlineData("2Gx", "memory limit '2Gx' is not a valid quantity: quantities must match the regular expression")]
    [InlineData("128Gi", "memory limit 128Gi is more than the largest this dashboard sets (64Gi)")]
    public async Task SetResourcesPreview_BadValue_422NamingIt(string limit, string detail)
    {
        using var operatorClient = await SignInAsync("ada", KosmosRoles.Operator);

        using var response = await operatorClient.SendAsync(Post(Summarizer + "/preview", csrf: true, Bump(limit)));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.StartsWith(detail, (await ProblemAsync(response))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static ActionBody Bump(string limit) =>
        new(Container: "agent", Limits: new ResourceValuesMessage(limit, null), Requests: new ResourceValuesMessage("1Gi", null));

    private async Task<string> ResourceVersionAsync(string deployment) =>
        (await host.Kubectl.RunAsync("get", "deployment", deployment, "-n", "kosmos", "-o", "jsonpath={.metadata.resourceVersion}")).EnsureSuccess().Stdout;

    /// <summary>A client with the demo sign-in cookie of <paramref name="name"/> in <paramref name="role"/>.</summary>
    private Task<HttpClient> SignInAsync(string name, string role) => DemoSignIn.SignInAsync(host.BaseAddress, name, role);

    private static HttpRequestMessage Post(string path, bool csrf, object? body = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body ?? new PreconditionMessage(null)) };
        if (csrf)
        {
            request.Headers.Add(ActionEndpoints.CsrfHeader, "1");
        }

        return request;
    }

    private static async Task<JsonObject> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}

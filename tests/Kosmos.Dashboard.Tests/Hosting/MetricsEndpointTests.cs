using System.Net;
using Kosmos.Dashboard.Infrastructure;
using Kosmos.Dashboard.Security;
using Kosmos.Recovery.Actions;
using Microsoft.Extensions.DependencyInjection;

namespace Kosmos.Dashboard.Tests.Hosting;

[Collection(DashboardHostCollection.Name)]
public sealed class MetricsEndpointTests(DashboardHostFixture host)
{
    [Fact]
    public async Task Scrape_AfterAHubClientAndARefusedAction_NamesEveryMetric()
    {
        // Something to count: a hub connection, and an audited (refused) restart by a viewer.
        await using var hub = host.NewHubConnection();
        await hub.StartAsync();
        using (var viewer = await DemoSignIn.SignInAsync(host.BaseAddress, "victor", KosmosRoles.Viewer))
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/agents/kosmos/planner/actions/restart") { Content = System.Net.Http.Json.JsonContent.Create(new { resourceVersion = "1" }) })
        {
            request.Headers.Add(Kosmos.Dashboard.Actions.ActionEndpoints.CsrfHeader, "1");
            using var refused = await viewer.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        // The approvals flow is built elsewhere; its instrument is recorded here directly so the scrape shows its name.
        host.Services.GetRequiredService<DashboardMetrics>().RecordApprovalWait(ActionKind.Restart, "approved", TimeSpan.FromSeconds(42));

        var text = "";
        string[] expected =
        [
            "kosmos_cache_events_applied_total{", "kosmos_cache_lists_total{", "kosmos_cache_watches_total{", "kosmos_cache_objects{",
            "kosmos_cache_staleness_seconds{", "kosmos_cache_subscribers", "kosmos_hub_connections", "kosmos_circuits",
            "kosmos_actions_total{", "kosmos_approval_wait_seconds_bucket{",
        ];
        await Kosmos.TestSupport.Eventually.Until(async () =>
        {
            using var response = await host.Http.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            text = await response.Content.ReadAsStringAsync();
            return string.Join(", ", expected.Where(name => !text.Contains(name, StringComparison.Ordinal)));
        }, missing => missing.Length == 0, DashboardHostFixture.Timeout, "every metric in /metrics (the value is what is missing)");

        var lines = text.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("kosmos_actions_total{", StringComparison.Ordinal)
            && l.Contains("action=\"restart\"", StringComparison.Ordinal) && l.Contains("outcome=\"Refused\"", StringComparison.Ordinal));
        Assert.Matches("""kosmos_cache_objects\{[^}]*kind="pods"[^}]*\} [1-9]""", text);
        Assert.Matches("""kosmos_hub_connections(\{[^}]*\})? [1-9]""", text);
    }
}

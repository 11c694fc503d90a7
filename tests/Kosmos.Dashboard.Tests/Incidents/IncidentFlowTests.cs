using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Kosmos.Dashboard.Actions;
using Kosmos.Dashboard.Incidents;
using Kosmos.Dashboard.Security;
using Kosmos.Dashboard.Tests.Hosting;
using Kosmos.TestSupport;

namespace Kosmos.Dashboard.Tests.Incidents;

/// <summary>A dashboard of its own (the demo summarizer is changed here) with a 3 s settle window and a 3 s OOM watch (90 simulated seconds).</summary>
public sealed class IncidentHostFixture : DashboardHostFixture
{
    protected override void ConfigureSettings(IDictionary<string, string?> settings)
    {
        settings["Kosmos:Incidents:SettleSeconds"] = "3";
        settings["Kosmos:Incidents:LogLines"] = "20";
        settings["Kosmos:Actions:OomWatchSeconds"] = "3";
    }
}

// Not in parallel with the shared host: Program's bootstrap logger is process-wide, and two hosts building at once trip over it.
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class IncidentHostCollection : ICollectionFixture<IncidentHostFixture>
{
    public const string Name = "Incident host";
}

/// <summary>
/// The demo OOM failure (summarizer) from detection to post-mortem over the real HTTP API, against the simulated cluster:
/// detected with evidence, the crashed run's logs captured, memory raised by an operator through the executor, verified by
/// the gate, ticked, resolved, and the post-mortem says all of it.
/// </summary>
[Collection(IncidentHostCollection.Name)]
public sealed class IncidentFlowTests(IncidentHostFixture host)
{
    private static readonly TimeSpan Rollout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task OomSummarizer_DetectedLogsCapturedBumpedVerifiedTickedResolved_PostMortemHasItAll()
    {
        using var ada = await SignInAsync("ada", KosmosRoles.Operator);
        using var victor = await SignInAsync("victor", KosmosRoles.Viewer);

        // Detection, with the previous run's logs captured at the crash.
        var id = await Eventually.Until(async () =>
            (await ada.GetFromJsonAsync<List<IncidentSummaryMessage>>("/api/incidents?status=Open&agent=summarizer"))!.FirstOrDefault(),
            i => i is not null && i.FailureMode == "OOMKilled", DashboardHostFixture.Timeout, "an open OOMKilled incident for summarizer");
        var incident = await Eventually.Until(() => GetAsync(ada, id!.Id),
            i => i.Timeline.Any(e => e.Kind == "LogsCaptured" && e.Lines.Count > 0), DashboardHostFixture.Timeout, "the crashed run's logs on the timeline");
        Assert.Equal("OutOfMemory", incident.RunbookSection);
        Assert.Contains(incident.Timeline, e => e.Kind == "Crash" && e.Text.Contains("OOMKilled, exit code 137", StringComparison.Ordinal));
        var logLines = incident.Timeline.First(e => e.Kind == "LogsCaptured" && e.Lines.Count > 0).Lines;
        Assert.InRange(logLines.Count, 1, 20);

        // Viewers read, but may not tick; nobody ticks the verification by hand; bad filters and ids are named.
        using (var refused = await victor.SendAsync(Post($"/api/incidents/{incident.Id}/checklist/check-metrics-and-logs", null)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using (var byHand = await ada.SendAsync(Post($"/api/incidents/{incident.Id}/checklist/verify-agent-functionality", null)))
        {
            Assert.Equal(HttpStatusCode.Conflict, byHand.StatusCode);
            Assert.Contains("ticked by the dashboard when the verification gate holds", await byHand.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var badFilter = await victor.GetAsync("/api/incidents?status=Closed"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badFilter.StatusCode);
            Assert.Contains("status must be Open or Resolved (got 'Closed')", await badFilter.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var unknown = await victor.GetAsync($"/api/incidents/{Guid.NewGuid()}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        // A Viewer's forged action is refused and writes nothing on the incident's timeline (only the audit keeps it).
        var body = new ActionBody(Container: "agent", Limits: new ResourceValuesMessage("2Gi", null), Requests: new ResourceValuesMessage("1Gi", null));
        using (var forged = await victor.SendAsync(Post("/api/agents/kosmos/summarizer/actions/set-resources",
            body with { ResourceVersion = "1", Generation = 1, Fingerprint = "forged" })))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        }


        // The operator raises the memory limit through the one executor.
        using var previewResponse = await ada.SendAsync(Post("/api/agents/kosmos/summarizer/actions/set-resources/preview", body));
        Assert.Equal(HttpStatusCode.OK, previewResponse.StatusCode);
        var preview = (await previewResponse.Content.ReadFromJsonAsync<ActionPreviewMessage>())!;
        using var applied = await ada.SendAsync(Post("/api/agents/kosmos/summarizer/actions/set-resources",
            body with { ResourceVersion = preview.Precondition.ResourceVersion, Generation = preview.Precondition.Generation, Fingerprint = preview.Precondition.Fingerprint }));
        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        Assert.Equal("Verified", (await applied.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());

        // The gate: rollout complete, pods Ready, quiet for the settle window → ticked by the dashboard.
        // The executor's result is queued for the timeline as the HTTP answer leaves, and the gate may hold before or after it lands.
        incident = await Eventually.Until(() => GetAsync(ada, incident.Id), i => i.VerifiedAt is not null && i.Timeline.Any(e => e.Kind == "ActionResult"),
            Rollout, "the verification gate to tick and the action's result on the timeline");
        Assert.Equal("dashboard", incident.Checklist.Single(c => c.Item == "verify-agent-functionality").TickedBy);
        Assert.Contains(incident.Timeline, e => e.Kind == "ActionRequested" && e.Actor == "ada" && e.Text.StartsWith("Set resources requested by ada (Operator)", StringComparison.Ordinal));
        Assert.Contains(incident.Timeline, e => e.Kind == "ActionResult" && e.Text.StartsWith("Verified:", StringComparison.Ordinal));
        // The timeline is written in order, so by now the Viewer's refused attempt would be on it, had it been sent there.
        Assert.DoesNotContain(incident.Timeline, e => e.Actor == "victor" || e.Text.Contains("victor", StringComparison.Ordinal));

        using (var tick = await ada.SendAsync(Post($"/api/incidents/{incident.Id}/checklist/check-metrics-and-logs", null)))
        {
            Assert.Equal(HttpStatusCode.OK, tick.StatusCode);
        }

        using (var noCause = await ada.SendAsync(Post($"/api/incidents/{incident.Id}/resolve", new ResolveIncidentBody("  "))))
        {
            Assert.Equal(HttpStatusCode.Conflict, noCause.StatusCode);
        }

        using (var resolve = await ada.SendAsync(Post($"/api/incidents/{incident.Id}/resolve", new ResolveIncidentBody("256Mi is below the summarizer's 700Mi working set"))))
        {
            Assert.Equal(HttpStatusCode.OK, resolve.StatusCode);
        }

        using var postMortem = await victor.GetAsync($"/api/incidents/{incident.Id}/postmortem");
        Assert.Equal("text/markdown", postMortem.Content.Headers.ContentType?.MediaType);
        var md = await postMortem.Content.ReadAsStringAsync();
        Assert.Contains("# Post-mortem: kosmos/summarizer — OOMKilled", md, StringComparison.Ordinal);
        Assert.Contains("OOMKilled, exit code 137", md, StringComparison.Ordinal);
        Assert.Contains("Exit Code: 137", md, StringComparison.Ordinal);
        Assert.Contains(logLines[^1], md, StringComparison.Ordinal);
        Assert.Contains("Set resources requested by ada (Operator): container=agent, limits.memory=2Gi, requests.memory=1Gi | ada | — | Verified:", md, StringComparison.Ordinal);
        Assert.Matches(@"\| Time to first action \| \d+(m \d\d)?s ", md);
        Assert.Matches(@"\| Time to recovery \| \d+(m \d\d)?s \(healthy from ", md);
        Assert.Contains("256Mi is below the summarizer's 700Mi working set", md, StringComparison.Ordinal);
        Assert.Contains("- [x] Verify agent functionality — dashboard at", md, StringComparison.Ordinal);
        Assert.Contains("- [x] Check metrics and logs — ada at", md, StringComparison.Ordinal);
        Assert.Contains("- [x] Document root cause — ada at", md, StringComparison.Ordinal);
        Assert.Empty((await victor.GetFromJsonAsync<List<IncidentSummaryMessage>>("/api/incidents?status=Open&agent=summarizer"))!);
    }

    private static async Task<IncidentMessage> GetAsync(HttpClient client, Guid id) =>
        (await client.GetFromJsonAsync<IncidentMessage>($"/api/incidents/{id}"))!;

    // The demo sign-in as a browser does it (the form's antiforgery token first).
    private Task<HttpClient> SignInAsync(string name, string role) => DemoSignIn.SignInAsync(host.BaseAddress, name, role);

    private static HttpRequestMessage Post(string path, object? body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body ?? new { }) };
        request.Headers.Add(ActionEndpoints.CsrfHeader, "1");
        return request;
    }
}

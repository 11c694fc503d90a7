using System.Net;
using System.Net.Http.Json;
using Kosmos.Dashboard.Guidance;
using Kosmos.Dashboard.Security;
using Kosmos.Dashboard.Tests.Hosting;
using Kosmos.TestSupport;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kosmos.Dashboard.Tests.Guidance;

/// <summary>
/// The runbook guidance over HTTP and the hub, on the real dashboard watching the simulated demo fleet: the same rules as
/// the agent page's Runbook tab (the summarizer gets the runbook's 2Gi/1Gi; the researcher's crash names the missing setting).
/// </summary>
[Collection(DashboardHostCollection.Name)]
public sealed class GuidanceEndpointsTests(DashboardHostFixture host)
{
    private static readonly TimeSpan Timeout = DashboardHostFixture.Timeout;

    [Fact]
    public async Task Guidance_OomKilledSummarizer_RunbookValuesNoRestartSameOnTheHub()
    {
        using var viewer = await SignInAsync("victor", KosmosRoles.Viewer);
        var guidance = await WaitForAsync(viewer, "summarizer", g => g.Suggestions.Count > 0);

        Assert.Equal("2. Out of Memory (OOM)", guidance.Section);
        Assert.Equal(["kubectl set resources deployment summarizer -n kosmos --limits=memory=2Gi --requests=memory=1Gi"], guidance.ResolutionCommands);
        Assert.Equal("kubectl rollout restart deployment summarizer -n kosmos", Assert.Single(guidance.NotNeeded).Command);
        var suggestion = Assert.Single(guidance.Suggestions);
        Assert.Equal("set-resources", suggestion.Action);
        Assert.Equal(("agent", "2Gi", "1Gi"), (suggestion.Values!.Container, suggestion.Values.Limits!.Memory, suggestion.Values.Requests!.Memory));

        await using var hub = host.NewHubConnection();
        await hub.StartAsync();
        var fromHub = await hub.InvokeAsync<GuidanceMessage?>("Guidance", "kosmos", "summarizer");
        Assert.Equal(suggestion.Command, Assert.Single(fromHub!.Suggestions).Command);
    }

    [Fact]
    public async Task Guidance_CrashingResearcher_ReadsThePreviousLogAndNamesTheMissingSetting()
    {
        using var viewer = await SignInAsync("victor", KosmosRoles.Viewer);

        var guidance = await WaitForAsync(viewer, "researcher", g => g.ConfigHints.Count > 0);

        Assert.Contains(guidance.ErrorLines, l => l.Contains("KOSMOS_MODEL_ENDPOINT is not set", StringComparison.Ordinal));
        Assert.Contains(guidance.ConfigHints, h => h.What == "KOSMOS_MODEL_ENDPOINT");
    }

    [Fact]
    public async Task RelatedDocs_EveryLinkTheRunbookTabShows_Served()
    {
        foreach (var doc in Recovery.Runbook.RunbookText.RelatedDocs)
        {
            using var response = await host.Http.GetAsync("/assets/docs/" + doc.File);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("# " + doc.Title, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Guidance_UnknownAgent_404()
    {
        using var viewer = await SignInAsync("victor", KosmosRoles.Viewer);

        using var response = await viewer.GetAsync("/api/agents/kosmos/no-such-agent/guidance");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static async Task<GuidanceMessage> WaitForAsync(HttpClient client, string agent, Func<GuidanceMessage, bool> ready)
    {
        var guidance = await Eventually.Until(
            () => client.GetFromJsonAsync<GuidanceMessage>($"/api/agents/kosmos/{agent}/guidance"),
            g => g is not null && ready(g),
            Timeout,
            $"the guidance for {agent}");
        return guidance!;
    }

    // The demo sign-in as a browser does it (the form's antiforgery token first).
    private Task<HttpClient> SignInAsync(string name, string role) => DemoSignIn.SignInAsync(host.BaseAddress, name, role);
}

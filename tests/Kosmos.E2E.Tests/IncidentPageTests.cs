using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kosmos.E2E.Tests;

/// <summary>
/// Incidents in real browsers: two people watch the same incident (a copy of the demo summarizer, out of memory); what one
/// does appears in the other's timeline and checklist without a reload; then a dashboard started on the same audit database
/// (a restart) shows the incident, its timeline and its ticks.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class IncidentPageTests(DashboardFixture fixture) : IAsyncLifetime
{
    private const string Namespace = "kosmos";
    private const string Agent = "summarizer-incident";
    private static readonly TimeSpan Rollout = TimeSpan.FromSeconds(120);

    private readonly HttpClient _sim = new() { BaseAddress = fixture.Host.Simulator.Url, Timeout = TimeSpan.FromSeconds(30) };
    private IPage _ada = null!;
    private IPage _ian = null!;

    public async Task InitializeAsync()
    {
        _ada = await fixture.NewPageAsync();
        _ian = await fixture.NewPageAsync();
        await DemoAgents.CopySummarizerAsync(fixture, _sim, Agent);
    }

    public async Task DisposeAsync()
    {
        await _ada.Context.CloseAsync();
        await _ian.Context.CloseAsync();
        await fixture.Kubectl.RunAsync("delete", "deployment", Agent, "-n", Namespace, "--cascade=foreground", "--wait=true", "--ignore-not-found");
        (await _sim.DeleteAsync($"/sim/agents/{Agent}/behaviour")).Dispose();
        _sim.Dispose();
    }

    [Fact]
    public async Task TwoViewers_ActionAndTicksByOneAppearLiveForTheOther_RestartKeepsTimelineAndTicks()
    {
        await _ada.SignInAsync("ada", "Operator");
        await _ian.SignInAsync("ian", "IncidentCommander");

        // Ian finds the incident from the list, filtered by agent and failure mode.
        await _ian.OpenAsync("/incidents");
        await _ian.GetByTestId("incident-filter-agent").FillAsync(Agent);
        await _ian.GetByTestId("incident-filter-mode").SelectOptionAsync("OOMKilled");
        var row = _ian.Locator($"[data-testid=incident-row][data-agent='{Agent}']");
        await Expect(row).ToHaveAttributeAsync("data-mode", "OOMKilled", new() { Timeout = (float)Rollout.TotalMilliseconds });
        await row.GetByTestId("incident-link").ClickAsync();
        await Expect(_ian.GetByTestId("incident-header")).ToHaveAttributeAsync("data-status", "Open");
        var incidentPath = new Uri(_ian.Url).AbsolutePath;
        var ianTimeline = _ian.GetByTestId("incident-timeline");
        await Expect(ianTimeline.Locator("[data-testid=timeline-entry][data-kind=Crash]").First).ToContainTextAsync("OOMKilled, exit code 137");
        await Expect(ianTimeline.Locator("[data-testid=timeline-entry][data-kind=LogsCaptured]").First).ToContainTextAsync("Captured the last");

        // Ada raises the memory limit from the agent page; Ian's timeline shows it without a reload.
        await _ada.OpenAsync($"/agents/{Namespace}/{Agent}");
        await _ada.GetByTestId("action-set-resources").ClickAsync();
        var dialog = _ada.GetByTestId("action-dialog");
        await dialog.Locator("input[data-testid=set-resources-limits-memory]").FillAsync("2Gi");
        await dialog.Locator("input[data-testid=set-resources-requests-memory]").FillAsync("1Gi");
        await _ada.GetByTestId("action-preview-values").ClickAsync();
        await _ada.GetByTestId("action-confirm").ClickAsync();

        var requested = ianTimeline.Locator("[data-testid=timeline-entry][data-kind=ActionRequested]");
        await Expect(requested).ToContainTextAsync("Set resources requested by ada (Operator): container=agent, limits.memory=2Gi, requests.memory=1Gi");
        await Expect(ianTimeline.Locator("[data-testid=timeline-entry][data-kind=ActionResult]")).ToContainTextAsync("Verified:", new() { Timeout = (float)Rollout.TotalMilliseconds });
        var verify = _ian.Locator("[data-testid=checklist-item][data-item=verify-agent-functionality]");
        await Expect(verify).ToHaveAttributeAsync("data-ticked", "true", new() { Timeout = (float)Rollout.TotalMilliseconds });
        await Expect(verify.GetByTestId("checklist-ticked-by")).ToContainTextAsync("dashboard");

        // Filters: hiding actions hides them, for Ian only.
        await _ian.Locator("[data-testid=timeline-filter][data-category=Actions]").UncheckAsync();
        await Expect(requested).ToHaveCountAsync(0);
        await _ian.Locator("[data-testid=timeline-filter][data-category=Actions]").CheckAsync();
        await Expect(requested).ToHaveCountAsync(1);

        // Ada ticks and resolves on the incident page; Ian sees who and when, live.
        await _ada.OpenAsync(incidentPath);
        await _ada.Locator("[data-testid=checklist-item][data-item=check-metrics-and-logs] [data-testid=checklist-tick]").CheckAsync();
        var metrics = _ian.Locator("[data-testid=checklist-item][data-item=check-metrics-and-logs]");
        await Expect(metrics).ToHaveAttributeAsync("data-ticked", "true");
        await Expect(metrics.GetByTestId("checklist-ticked-by")).ToContainTextAsync("ada");
        await _ada.GetByTestId("incident-resolve").ClickAsync();
        await Expect(_ada.GetByTestId("incident-error")).ToContainTextAsync("A root cause is required");
        await _ada.GetByTestId("incident-root-cause-input").FillAsync("256Mi is below the summarizer's working set");
        await _ada.GetByTestId("incident-resolve").ClickAsync();
        await Expect(_ian.GetByTestId("incident-header")).ToHaveAttributeAsync("data-status", "Resolved");
        await Expect(_ian.GetByTestId("incident-root-cause")).ToContainTextAsync("256Mi is below the summarizer's working set");
        await Screenshots.SaveAsync(_ian, "incident.png");

        var download = await _ian.RunAndWaitForDownloadAsync(() => _ian.GetByTestId("incident-postmortem").ClickAsync());
        var markdown = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Contains($"# Post-mortem: {Namespace}/{Agent} — OOMKilled", markdown, StringComparison.Ordinal);
        Assert.Contains("| ada | — | Verified:", markdown, StringComparison.Ordinal);

        // A dashboard started on the same audit database finds the incident, its timeline and its ticks.
        var timeline = await ianTimeline.GetByTestId("timeline-entry").CountAsync();
        await using var restarted = new DashboardHost(fixture.Host.AuditDatabase);
        await restarted.StartAsync(TimeSpan.FromSeconds(90));
        var page = await fixture.NewPageAsync();
        try
        {
            await page.SignInOnAsync(restarted.BaseAddress, "victor", "Viewer");
            await page.GotoAsync(new Uri(restarted.BaseAddress, incidentPath).ToString());
            await Expect(page.GetByTestId("circuit-interactive")).ToBeAttachedAsync();
            await Expect(page.GetByTestId("incident-header")).ToHaveAttributeAsync("data-status", "Resolved");
            await Expect(page.GetByTestId("incident-timeline").GetByTestId("timeline-entry")).ToHaveCountAsync(timeline);
            await Expect(page.Locator("[data-testid=checklist-item][data-item=check-metrics-and-logs] [data-testid=checklist-ticked-by]")).ToContainTextAsync("ada");
            await Expect(page.Locator("[data-testid=checklist-item][data-item=verify-agent-functionality] [data-testid=checklist-ticked-by]")).ToContainTextAsync("dashboard");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}

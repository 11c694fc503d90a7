using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kosmos.E2E.Tests;

/// <summary>
/// Set resources in a real browser: an operator raises the memory limit of an agent that is OOM-killed like the demo
/// summarizer (a copy of it, so the other tests still see the summarizer out of memory), sees it verified, and kubectl and
/// the board agree.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class SetResourcesActionTests(DashboardFixture fixture) : IAsyncLifetime
{
    private const string Namespace = "kosmos";
    private const string Agent = "summarizer-bump";

    private static readonly TimeSpan Rollout = TimeSpan.FromSeconds(90);

    private readonly HttpClient _sim = new() { BaseAddress = fixture.Host.Simulator.Url, Timeout = TimeSpan.FromSeconds(30) };
    private IPage _page = null!;

    public async Task InitializeAsync()
    {
        _page = await fixture.NewPageAsync();
        await DemoAgents.CopySummarizerAsync(fixture, _sim, Agent);
    }

    public async Task DisposeAsync()
    {
        await _page.Context.CloseAsync();
        await DemoAgents.DeleteAsync(fixture, _sim, Agent);
        _sim.Dispose();
    }

    [Fact]
    public async Task SetResources_OperatorBumpsOomAgent_VerifiedKubectlShowsLimitsAndBoardHealthy()
    {
        await _page.SignInAsync("ada", "Operator");
        await _page.OpenAsync($"/agents/{Namespace}/{Agent}");
        await Expect(_page.GetByTestId("agent-header").GetByTestId("agent-summary")).ToContainTextAsync("OOMKilled at its 256Mi memory limit");

        await _page.GetByTestId("action-set-resources").ClickAsync();
        var dialog = _page.GetByTestId("action-dialog");
        var limit = dialog.Locator("input[data-testid=set-resources-limits-memory]");
        // Pre-filled with the runbook's values (the agent was killed at 256Mi, below the runbook's 2Gi).
        await Expect(limit).ToHaveValueAsync("2Gi");
        await Expect(dialog.Locator("input[data-testid=set-resources-requests-memory]")).ToHaveValueAsync("1Gi");
        await limit.FillAsync("2Gx");
        await Expect(dialog.GetByTestId("action-validation-error")).ToContainTextAsync("memory limit '2Gx' is not a valid quantity");
        await limit.FillAsync("2Gi");
        await dialog.Locator("input[data-testid=set-resources-requests-memory]").FillAsync("1Gi");
        await Expect(dialog.GetByTestId("action-validation-error")).ToHaveCountAsync(0);
        await _page.GetByTestId("action-preview-values").ClickAsync();

        await Expect(dialog.Locator("[data-testid=action-change][data-path='spec.template.spec.containers[0].resources.limits.memory']")).ToContainTextAsync("256Mi → 2Gi");
        await Expect(dialog.GetByTestId("action-kubectl")).ToHaveTextAsync($"kubectl set resources deployment {Agent} -n {Namespace} -c agent --limits=memory=2Gi --requests=memory=1Gi");
        await Expect(dialog.GetByTestId("action-note")).ToContainTextAsync("No separate restart is needed");
        await Screenshots.SaveAsync(_page, "set-resources-preview.png");
        await _page.GetByTestId("action-confirm").ClickAsync();

        var result = dialog.GetByTestId("action-result");
        await Expect(result).ToHaveAttributeAsync("data-status", "Verified", new() { Timeout = (float)Rollout.TotalMilliseconds });
        await Expect(result.GetByTestId("action-summary")).ToContainTextAsync("no new OOMKilled termination in 3s");
        await Screenshots.SaveAsync(_page, "set-resources-verified.png");
        var limits = (await fixture.Kubectl.RunAsync("get", "deployment", Agent, "-n", Namespace, "-o",
            "jsonpath={.spec.template.spec.containers[0].resources.limits.memory} {.spec.template.spec.containers[0].resources.requests.memory}")).EnsureSuccess().Stdout;
        Assert.Equal("2Gi 1Gi", limits);

        await _page.GetByTestId("action-close").ClickAsync();
        await _page.OpenAsync("/");
        await Expect(_page.Locator($"[data-testid=agent-row][data-agent='{Agent}']")).ToHaveAttributeAsync("data-state", "Healthy");
    }
}

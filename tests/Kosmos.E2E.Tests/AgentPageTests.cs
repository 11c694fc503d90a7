using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kosmos.E2E.Tests;

/// <summary>The agent page (/agents/{ns}/{name}) in a real browser, checked against what kubectl says about the same pods.</summary>
[Collection(DashboardCollection.Name)]
public sealed class AgentPageTests(DashboardFixture fixture) : IAsyncLifetime
{
    private const string Namespace = "kosmos";

    private IPage _page = null!;

    public async Task InitializeAsync() => _page = await fixture.NewPageAsync();

    public Task DisposeAsync() => _page.Context.CloseAsync();

    [Fact]
    public async Task Describe_OomKilledAgent_ShowsExitCode137AndTheMemoryLimit()
    {
        await _page.OpenAsync($"/agents/{Namespace}/summarizer");
        var pod = await FirstPodAsync();

        await PodRow(pod).GetByTestId("pod-describe").ClickAsync();

        var describe = _page.Locator("div[data-testid=pod-describe]");
        await Expect(describe).ToBeVisibleAsync();
        await Expect(describe.GetByTestId("describe-pod-name")).ToHaveTextAsync(pod);
        var container = describe.Locator("[data-testid=describe-container][data-container=agent]");
        await Expect(container.GetByTestId("container-last-state").GetByTestId("state-headline")).ToHaveTextAsync("Terminated: OOMKilled, exit code 137");
        await Expect(container.GetByTestId("container-limits")).ToContainTextAsync("memory=256Mi");
        await Expect(_page.GetByTestId("agent-header").GetByTestId("agent-summary")).ToContainTextAsync("OOMKilled at its 256Mi memory limit");
    }

    [Fact]
    public async Task Runbook_OomKilledAgent_SuggestsTheRunbooksMemoryLimit()
    {
        await _page.OpenAsync($"/agents/{Namespace}/summarizer");

        await _page.GetByRole(AriaRole.Tab, new() { Name = "Runbook" }).ClickAsync();

        var runbook = _page.GetByTestId("runbook-guidance");
        await Expect(runbook.GetByTestId("runbook-section")).ToHaveTextAsync("2. Out of Memory (OOM)");
        await Expect(runbook.GetByTestId("runbook-diagnosis")).ToContainTextAsync("OOMKilled at its 256Mi memory limit");
        await Expect(Fact(runbook, "Memory limit")).ToHaveTextAsync("256Mi");
        // The runbook's own values (2Gi), since the pod was killed well below them.
        await Expect(Fact(runbook, "Suggested limit")).ToContainTextAsync("2Gi (the runbook's values");

        // The README's picture of an agent page: the verdict, its evidence and what to do about it.
        await Screenshots.SaveAsync(_page, "agent-page.png");
    }

    [Fact]
    public async Task Logs_PreviousRunOfOomKilledPod_EqualKubectlLogsPrevious()
    {
        await _page.OpenAsync($"/agents/{Namespace}/summarizer");
        var pod = await FirstPodAsync();
        // A previous run exists once the container has been killed at least once.
        await Expect(PodRow(pod).GetByTestId("pod-restarts")).Not.ToHaveTextAsync("0");
        await PodRow(pod).GetByTestId("pod-logs").ClickAsync();
        var logs = _page.GetByTestId("logs-panel");
        await Expect(logs.GetByTestId("logs-pod-picker")).ToHaveValueAsync(pod);
        await logs.GetByTestId("logs-mode-previous").ClickAsync();
        await Expect(logs.GetByTestId("logs-mode-previous")).ToHaveAttributeAsync("aria-pressed", "true");

        // The container keeps being OOM-killed, so "the previous run" moves on every crash. The panel reads once; kubectl
        // reads later. Equal readings prove the panel shows what kubectl shows; a crash in between gets a fresh read.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        IReadOnlyList<string> shown = [];
        IReadOnlyList<string> kubectl = [];
        while (true)
        {
            await Expect(logs.GetByTestId("logs-status")).ToContainTextAsync($"Previous (crashed) run of {pod} / agent");
            await Expect(logs.GetByTestId("log-line").First).ToBeVisibleAsync();
            shown = await logs.GetByTestId("log-line").TextContentsAsync();
            var result = (await fixture.Kubectl.RunAsync("logs", "--previous", pod, "-n", Namespace, "-c", "agent")).EnsureSuccess();
            kubectl = Lines(result.Stdout);
            if (shown.SequenceEqual(kubectl) || DateTime.UtcNow > deadline)
            {
                break;
            }

            await logs.GetByTestId("logs-reload").ClickAsync();
        }

        Assert.NotEmpty(kubectl);
        Assert.Equal(kubectl, shown);
    }

    [Fact]
    public async Task Pods_PodDeletedWithKubectl_DisappearsWithoutReload()
    {
        // scheduler-bot: its replacement is Pending like the pod it replaces, so no other test sees the agent change.
        await _page.OpenAsync($"/agents/{Namespace}/scheduler-bot");
        var pod = await FirstPodAsync();
        await _page.EvaluateAsync("() => window.kosmosSamePage = true");

        (await fixture.Kubectl.RunAsync("delete", "pod", pod, "-n", Namespace, "--wait=false")).EnsureSuccess();

        await Expect(PodRow(pod)).ToHaveCountAsync(0);
        await Expect(_page.Locator($"[data-testid=pod-row]:not([data-pod='{pod}'])")).ToHaveCountAsync(1);
        Assert.True(await _page.EvaluateAsync<bool>("() => window.kosmosSamePage === true"), "the page was reloaded");
    }

    private static ILocator Fact(ILocator scope, string label) =>
        scope.GetByTestId("guide-fact").Filter(new() { Has = scope.Page.Locator("dt", new() { HasTextString = label }) }).Locator("dd");

    private ILocator PodRow(string pod) => _page.Locator($"[data-testid=pod-row][data-pod='{pod}']");

    private async Task<string> FirstPodAsync()
    {
        var row = _page.GetByTestId("pod-row").First;
        await Expect(row).ToBeVisibleAsync();
        return await row.GetAttributeAsync("data-pod") ?? throw new InvalidOperationException("a pod row without data-pod");
    }

    private static string[] Lines(string output)
    {
        var lines = output.Split('\n');
        return output.EndsWith('\n') ? lines[..^1] : lines;
    }
}

using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kosmos.E2E.Tests;

/// <summary>
/// Screens that used to leave a new user stuck or misled (issue 13's dead ends), each tried in the browser on the demo
/// fleet. These tests change nothing in the cluster.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class DeadEndTests(DashboardFixture fixture) : IAsyncLifetime
{
    private const string Namespace = "kosmos";

    // Every failing demo agent: together their Runbook tabs show every link the guidance emits.
    private static readonly string[] FailingAgents = ["summarizer", "researcher", "reviewer", "vector-store", "coder", "scheduler-bot"];

    private IPage _page = null!;

    public async Task InitializeAsync() => _page = await fixture.NewPageAsync();

    public Task DisposeAsync() => _page.Context.CloseAsync();

    [Fact]
    public async Task Wallboard_BackLink_ReturnsToTheBoard()
    {
        await _page.OpenAsync("/wallboard");
        await Expect(_page.GetByTestId("wallboard")).ToBeVisibleAsync();

        await _page.GetByTestId("wall-back").ClickAsync();

        await Expect(_page.GetByTestId("agent-row").First).ToBeVisibleAsync();
        Assert.Equal("/", new Uri(_page.Url).AbsolutePath);
    }

    [Fact]
    public async Task Logs_PreviousRunOfPodThatNeverCrashed_SaysSoAndOffersTheCurrentRun()
    {
        // archivist: healthy, never restarted, and no other test acts on it.
        await _page.OpenAsync($"/agents/{Namespace}/archivist");
        var row = _page.GetByTestId("pod-row").First;
        await Expect(row.GetByTestId("pod-restarts")).ToHaveTextAsync("0");
        var pod = await row.GetAttributeAsync("data-pod");
        await row.GetByTestId("pod-logs").ClickAsync();
        var logs = _page.GetByTestId("logs-panel");
        await Expect(logs.GetByTestId("logs-mode-current")).ToHaveAttributeAsync("aria-pressed", "true");

        await logs.GetByTestId("logs-mode-previous").ClickAsync();

        await Expect(logs.GetByTestId("logs-no-previous")).ToContainTextAsync($"No previous run: container agent of pod {pod} has not crashed or restarted");
        await Expect(logs.GetByTestId("logs-error")).ToHaveCountAsync(0);
        Assert.DoesNotContain("not found", await logs.InnerTextAsync(), StringComparison.OrdinalIgnoreCase);
        await logs.GetByTestId("logs-show-current").ClickAsync();
        await Expect(logs.GetByTestId("log-line").First).ToBeVisibleAsync();
        await Expect(logs.GetByTestId("logs-status")).ToContainTextAsync($"Current run of {pod} / agent");
    }

    [Fact]
    public async Task Runbook_CrashLoop_TheErrorLinesAreWhereTheStepSaysTheyAre()
    {
        await _page.OpenAsync($"/agents/{Namespace}/researcher");
        await _page.GetByRole(AriaRole.Tab, new() { Name = "Runbook" }).ClickAsync();
        var runbook = _page.GetByTestId("runbook-guidance");
        var lines = runbook.GetByTestId("guide-error-lines");
        await Expect(lines.GetByTestId("guide-error-line").First).ToBeVisibleAsync();
        var step = runbook.GetByTestId("guide-diagnosis-step").Filter(new() { HasTextString = "--previous" });
        await Expect(step).ToContainTextAsync("the last error lines of the crashed run are above");

        // Node.DOCUMENT_POSITION_PRECEDING (2): the error lines come before the step in the page, so "above" is true.
        var position = await step.EvaluateAsync<int>("(step, lines) => step.compareDocumentPosition(lines)", await lines.ElementHandleAsync());
        Assert.True((position & 2) != 0, $"the error lines are not above the step (compareDocumentPosition {position})");
    }

    [Fact]
    public async Task SetResources_Opened_NoErrorBeforeTypingAndInputsRunRequestThenLimitLikeTheTable()
    {
        await _page.SignInAsync("ada", "Operator");

        // archivist has no OOM kill, so nothing is pre-filled: the dialog opens with empty inputs.
        await _page.OpenAsync($"/agents/{Namespace}/archivist");
        await _page.GetByTestId("action-set-resources").ClickAsync();
        var dialog = _page.GetByTestId("action-dialog");
        await Expect(dialog.GetByTestId("set-resources-editor")).ToBeVisibleAsync();

        await Expect(dialog.GetByTestId("action-validation-error")).ToHaveCountAsync(0);
        var columns = await dialog.Locator("[data-testid=set-resources-current] thead th").AllInnerTextsAsync();
        var labels = await dialog.Locator(".kosmos-set-resources__fields label").AllInnerTextsAsync();
        Assert.Equal(columns.Skip(1).Select(c => c.Trim().ToLowerInvariant()), labels.Select(l => l.Trim().ToLowerInvariant()));
        Assert.Equal(["memory request", "memory limit", "cpu request", "cpu limit"], labels.Select(l => l.Trim().ToLowerInvariant()));

        // Emptied again after typing: now the reason the Preview stays disabled is shown.
        var request = dialog.Locator("input[data-testid=set-resources-requests-memory]");
        await request.FillAsync("1Gi");
        await request.FillAsync("");
        await Expect(dialog.GetByTestId("action-validation-error")).ToContainTextAsync("Give at least one value to set");
        await _page.GetByTestId("action-cancel").ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task AgentPage_NarrowWindow_ImageReferencesNeverBreakMidString()
    {
        await _page.SetViewportSizeAsync(640, 900);
        await _page.OpenAsync($"/agents/{Namespace}/summarizer");
        await Expect(_page.GetByTestId("agent-image").First).ToBeVisibleAsync();
        await AssertOneLineEachAsync(_page.GetByTestId("agent-image"));

        await _page.GetByTestId("pod-row").First.GetByTestId("pod-describe").ClickAsync();
        await Expect(_page.GetByTestId("container-image").First).ToBeVisibleAsync();
        await AssertOneLineEachAsync(_page.GetByTestId("container-image"));

        await _page.GetByRole(AriaRole.Tab, new() { Name = "Recent changes" }).ClickAsync();
        await Expect(_page.GetByTestId("revision-image").First).ToBeVisibleAsync();
        await AssertOneLineEachAsync(_page.GetByTestId("revision-image"));
    }

    [Fact]
    public async Task Runbook_EveryLinkTheGuidanceShows_Resolves()
    {
        var checkedLinks = new HashSet<string>(StringComparer.Ordinal);
        foreach (var agent in FailingAgents)
        {
            await _page.OpenAsync($"/agents/{Namespace}/{agent}");
            await _page.GetByRole(AriaRole.Tab, new() { Name = "Runbook" }).ClickAsync();
            var runbook = _page.GetByTestId("runbook-guidance");
            await Expect(runbook.GetByTestId("guide-doc").First).ToBeVisibleAsync();
            foreach (var href in await runbook.Locator("a[href]").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))"))
            {
                if (!checkedLinks.Add(href))
                {
                    continue;
                }

                await using var response = await _page.Context.APIRequest.GetAsync(new Uri(fixture.Host.BaseAddress, href).ToString());
                Assert.True(response.Status == 200, $"{agent}'s Runbook tab links {href}, which answers {response.Status}");
                if (href.StartsWith("/assets/docs/", StringComparison.Ordinal))
                {
                    var file = Path.Combine(Screenshots.RepositoryRoot(), "docs", href["/assets/docs/".Length..]);
                    Assert.True(File.Exists(file), $"{href} is served but docs/{Path.GetFileName(file)} is not in the repository");
                    Assert.Equal(await File.ReadAllTextAsync(file), await response.TextAsync());
                }
            }
        }

        Assert.Contains("/assets/docs/agent-deployment.md", checkedLinks);
        Assert.Contains("/assets/docs/mcp-troubleshooting.md", checkedLinks);
    }

    private static async Task AssertOneLineEachAsync(ILocator images)
    {
        // A range's rectangles are its line boxes: one rectangle, one line (an element's own would be one for a block).
        var rects = await images.EvaluateAllAsync<int[]>("els => els.map(e => { const r = document.createRange(); r.selectNodeContents(e); return r.getClientRects().length; })");
        var texts = await images.AllInnerTextsAsync();
        Assert.NotEmpty(rects);
        for (var i = 0; i < rects.Length; i++)
        {
            Assert.True(rects[i] == 1, $"'{texts[i]}' is broken over {rects[i]} lines");
        }
    }
}

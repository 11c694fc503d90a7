using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kosmos.E2E.Tests;

/// <summary>The Restart action in a real browser: an operator previews, confirms and sees it verified; a viewer cannot.</summary>
[Collection(DashboardCollection.Name)]
public sealed class RestartActionTests(DashboardFixture fixture) : IAsyncLifetime
{
    private const string Namespace = "kosmos";

    // planner: healthy, one replica, Recreate; other tests only expect it healthy again afterwards, which a verified restart leaves it.
    private const string Agent = "planner";

    private static readonly TimeSpan Rollout = TimeSpan.FromSeconds(90);

    private IPage _page = null!;

    public async Task InitializeAsync() => _page = await fixture.NewPageAsync();

    public Task DisposeAsync() => _page.Context.CloseAsync();

    [Fact]
    public async Task Restart_Operator_PreviewConfirmVerifiedAndKubectlSeesNewPods()
    {
        var oldPods = await PodNamesAsync();
        await _page.SignInAsync("ada", "Operator");
        await _page.OpenAsync($"/agents/{Namespace}/{Agent}");

        await _page.GetByTestId("action-restart").ClickAsync();
        var dialog = _page.GetByTestId("action-dialog");
        await Expect(dialog.Locator("[data-testid=action-change][data-path='spec.template.metadata.annotations[\"kubectl.kubernetes.io/restartedAt\"]']")).ToBeVisibleAsync();
        await Expect(dialog.GetByTestId("action-kubectl")).ToHaveTextAsync($"kubectl rollout restart deployment {Agent} -n {Namespace}");
        await _page.GetByTestId("action-confirm").ClickAsync();

        var result = dialog.GetByTestId("action-result");
        await Expect(result).ToHaveAttributeAsync("data-status", "Verified", new() { Timeout = (float)Rollout.TotalMilliseconds });
        await Expect(result.GetByTestId("action-summary")).ToContainTextAsync($"Restart of {Namespace}/{Agent} applied and verified: 1/1 new pods ready");

        var restartedAt = (await fixture.Kubectl.RunAsync("get", "deployment", Agent, "-n", Namespace, "-o",
            @"jsonpath={.spec.template.metadata.annotations.kubectl\.kubernetes\.io/restartedAt}")).EnsureSuccess().Stdout;
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", restartedAt);
        var newPods = await PodNamesAsync();
        Assert.Single(newPods);
        Assert.Empty(newPods.Intersect(oldPods));

        await _page.GetByTestId("action-close").ClickAsync();
        await _page.OpenAsync("/audit");
        await Expect(_page.Locator($"[data-testid=audit-row][data-agent={Agent}][data-status=Verified]").First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Restart_Viewer_ButtonDisabledAndForgedRequestRefused()
    {
        await _page.SignInAsync("victor", "Viewer");
        await _page.OpenAsync($"/agents/{Namespace}/{Agent}");

        await Expect(_page.GetByTestId("action-restart")).ToBeDisabledAsync();
        await Expect(_page.GetByTestId("action-restart-disabled-reason")).ToHaveTextAsync("Your role (Viewer) cannot run recovery actions (restart, set resources, set env, set image, export state, reset): that needs Operator or higher.");
        var status = await _page.EvaluateAsync<int>($$"""
            async () => (await fetch('/api/agents/{{Namespace}}/{{Agent}}/actions/restart', {
                method: 'POST',
                headers: { 'Content-Type': 'application/json', 'X-Kosmos-Action': '1' },
                body: JSON.stringify({ resourceVersion: '1' }),
            })).status
            """);

        Assert.Equal(403, status);
    }

    private async Task<string[]> PodNamesAsync() =>
        (await fixture.Kubectl.RunAsync("get", "pods", "-n", Namespace, "-l", $"app={Agent}", "-o", "name")).EnsureSuccess()
            .Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

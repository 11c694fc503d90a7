using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kosmos.E2E.Tests;

/// <summary>
/// Labels that misled (issue 13), on the board in a real browser: an agent that crashed and came back is "Recovered", not
/// "Crash loop" beside 1/1 ready; a Deployment at zero replicas is "Scaled to zero", not a green "Healthy 0/0". The pure
/// rules are table-tested in Kosmos.Recovery.Tests (MisleadingLabelTests).
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class LabelTests(DashboardFixture fixture) : IAsyncLifetime
{
    private const string Namespace = "kosmos";
    private const string Flaky = "label-flaky";
    private const string Idle = "label-idle";

    private readonly HttpClient _sim = new() { BaseAddress = fixture.Host.Simulator.Url, Timeout = TimeSpan.FromSeconds(30) };
    private IPage _page = null!;

    public async Task InitializeAsync() => _page = await fixture.NewPageAsync();

    public async Task DisposeAsync()
    {
        await _page.Context.CloseAsync();
        await DemoAgents.DeleteAsync(fixture, _sim, Flaky);
        await DemoAgents.DeleteAsync(fixture, _sim, Idle);
        _sim.Dispose();
    }

    [Fact]
    public async Task Board_CrashedThenUpAndReady_RecoveredWithWhenNotCrashLoop()
    {
        // A program that refuses to start without a setting its pod does not have: it crash-loops in its one pod.
        await DemoAgents.CopyAsync(fixture, _sim, "planner", Flaky, """{"role":"planner","startupSeconds":2,"requiredEnv":["KOSMOS_LABEL_TEST"]}""");
        await _page.OpenAsync("/");
        var row = _page.Locator($"[data-testid=agent-row][data-agent='{Flaky}']");
        await Expect(row).ToHaveAttributeAsync("data-state", "CrashLoopBackOff");

        // The next start of the same container succeeds (as when a dependency comes back): same pod, restarts > 0.
        await DemoAgents.SetBehaviourAsync(_sim, Flaky, """{"role":"planner","startupSeconds":2}""");

        await Expect(row).ToHaveAttributeAsync("data-state", "Recovered", new() { Timeout = 60_000 });
        await Expect(row).ToContainTextAsync("Recovered");
        await Expect(row).ToContainTextAsync("1/1");
        await Expect(row).Not.ToContainTextAsync("Crash loop");
        await Expect(row).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"recovered: container agent crashed \d+s ago"));
        var restarts = (await fixture.Kubectl.RunAsync("get", "pods", "-n", Namespace, "-l", $"app={Flaky}", "-o", "jsonpath={.items[*].status.containerStatuses[0].restartCount}")).EnsureSuccess().Stdout;
        Assert.True(int.Parse(restarts.Trim(), System.Globalization.CultureInfo.InvariantCulture) > 0, $"restartCount {restarts}: the pod never crashed");
    }

    [Fact]
    public async Task Board_DeploymentScaledToZero_ScaledToZeroNotHealthy()
    {
        await DemoAgents.CopyAsync(fixture, _sim, "planner", Idle);
        await _page.OpenAsync("/");
        var row = _page.Locator($"[data-testid=agent-row][data-agent='{Idle}']");
        await Expect(row).ToHaveAttributeAsync("data-state", "Healthy", new() { Timeout = 60_000 });

        (await fixture.Kubectl.RunAsync("scale", "deployment", Idle, "-n", Namespace, "--replicas=0")).EnsureSuccess();

        await Expect(row).ToHaveAttributeAsync("data-state", "ScaledToZero");
        await Expect(row).ToContainTextAsync("Scaled to zero");
        await Expect(row).Not.ToContainTextAsync("Healthy");
    }
}

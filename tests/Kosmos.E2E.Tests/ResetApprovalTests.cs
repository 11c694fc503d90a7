using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kosmos.E2E.Tests;

/// <summary>
/// Two-person approval of a complete reset in real browsers, two people at once: an operator requests, an incident commander
/// sees the request arrive live and approves, both follow it to Verified, and kubectl agrees; an incident commander cannot
/// approve their own request (page and API), and a rejected request changes nothing (the simulator's counters).
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed partial class ResetApprovalTests(DashboardFixture fixture) : IAsyncLifetime
{
    private const string Namespace = "kosmos";
    private static readonly TimeSpan Rollout = TimeSpan.FromSeconds(150);
    private static readonly string[] Mutations = ["create", "update", "patch", "delete", "deletecollection"];

    private readonly HttpClient _sim = new() { BaseAddress = fixture.Host.Simulator.Url, Timeout = TimeSpan.FromSeconds(30) };
    private readonly List<IBrowserContext> _contexts = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }

        _sim.Dispose();
    }

    [Fact]
    public async Task Reset_OperatorRequestsCommanderApprovesLive_BothSeeVerifiedAndKubectlAgrees()
    {
        const string agent = "archivist";
        var oldClaimUid = await KubectlAsync("get", "pvc", "archivist-state", "-n", Namespace, "-o", "jsonpath={.metadata.uid}");
        var oldPods = Words(await KubectlAsync("get", "pods", "-n", Namespace, "-l", $"app={agent}", "-o", "jsonpath={.items[*].metadata.uid}"));
        var commander = await PageAsync("cora", "IncidentCommander");
        await commander.OpenAsync("/");
        var operatorPage = await PageAsync("ada", "Operator");
        await operatorPage.OpenAsync($"/agents/{Namespace}/{agent}");

        // The operator: deleteClaim, the preview of every step, the typed name, then the request.
        await operatorPage.GetByTestId("action-reset").ClickAsync();
        var dialog = operatorPage.GetByTestId("action-dialog");
        await dialog.GetByText("Also delete the agent's volume claims").ClickAsync();
        await Expect(dialog.GetByTestId("reset-loss").Nth(1)).ToContainTextAsync("are deleted with everything on them");
        await operatorPage.GetByTestId("action-preview-values").ClickAsync();
        await Expect(dialog.Locator("[data-testid=action-change][data-path='persistentvolumeclaim/archivist-state']").First).ToContainTextAsync("(deleted)");
        await Expect(dialog.GetByTestId("action-plan-step").First).ToContainTextAsync("Take VolumeSnapshot archivist-state-reset-");
        await Expect(operatorPage.GetByTestId("action-confirm")).ToBeDisabledAsync();
        await dialog.Locator("input[data-testid=action-typed-confirmation]").FillAsync(agent);
        await Expect(operatorPage.GetByTestId("action-confirm")).ToHaveTextAsync("Request approval");
        await operatorPage.GetByTestId("action-confirm").ClickAsync();
        await Expect(dialog).ToHaveAttributeAsync("data-phase", "AwaitingApproval");
        var approvalId = (await dialog.GetByTestId("action-approval-id").TextContentAsync())!.Trim();
        await Screenshots.SaveAsync(operatorPage, "reset-awaiting-approval.png");
        Assert.Equal(oldClaimUid, await KubectlAsync("get", "pvc", "archivist-state", "-n", Namespace, "-o", "jsonpath={.metadata.uid}"));

        // The commander: the header badge counts it without a reload; the Approvals page shows it; approve.
        await Expect(commander.GetByTestId("approvals-badge")).ToHaveAttributeAsync("data-count", NonZero());
        await commander.GetByTestId("nav-approvals").ClickAsync();
        var card = commander.Locator($"[data-testid=approval][data-approval-id='{approvalId}']");
        await Expect(card).ToHaveAttributeAsync("data-status", "Pending");

        // What the commander decides on: the agent as it is now (a link to its page), the steps in order, what is kept.
        await Expect(card.GetByTestId("approval-agent-link")).ToHaveAttributeAsync("href", $"agents/{Namespace}/{agent}");
        await Expect(card.Locator("[data-testid=approval-agent-now] [data-testid=health]")).ToHaveAttributeAsync("data-state", "Healthy");
        await Expect(card.Locator("[data-testid=approval-steps] li").First).ToContainTextAsync("Take VolumeSnapshot archivist-state-reset-");
        await Expect(card.GetByTestId("approval-note")).ToContainTextAsync("secret/archivist-credentials (kept as it is");
        await card.GetByTestId("approval-approve").ClickAsync();

        // Both follow it live to Verified.
        await Expect(card.GetByTestId("approval-progress")).ToHaveAttributeAsync("data-status", "Verified", new() { Timeout = (float)Rollout.TotalMilliseconds });
        await Expect(dialog.GetByTestId("action-result")).ToHaveAttributeAsync("data-status", "Verified", new() { Timeout = (float)Rollout.TotalMilliseconds });
        await Expect(dialog.Locator("[data-testid=action-step][data-step=Authorise]")).ToContainTextAsync("approved by cora (IncidentCommander)");

        // kubectl: new pods, the claim deleted and created again (Bound), the safety snapshot readyToUse.
        var newClaim = await KubectlAsync("get", "pvc", "archivist-state", "-n", Namespace, "-o", "jsonpath={.metadata.uid} {.status.phase}");
        Assert.NotEqual(oldClaimUid, newClaim.Split(' ')[0]);
        Assert.EndsWith("Bound", newClaim, StringComparison.Ordinal);
        var snapshots = await KubectlAsync("get", "volumesnapshots", "-n", Namespace, "-o", "jsonpath={range .items[*]}{.metadata.name}={.status.readyToUse}{\"\\n\"}{end}");
        Assert.Contains(snapshots.Split('\n'), l => l.StartsWith("archivist-state-reset-", StringComparison.Ordinal) && l.EndsWith("=true", StringComparison.Ordinal));
        var newPods = Words(await KubectlAsync("get", "pods", "-n", Namespace, "-l", $"app={agent}", "-o", "jsonpath={.items[*].metadata.uid}"));
        Assert.NotEmpty(newPods);
        Assert.Empty(newPods.Intersect(oldPods));
    }

    [Fact]
    public async Task Reset_CommanderRequests_SelfApprovalRefusedInPageAndApi_RejectedByAnotherChangesNothing()
    {
        const string agent = "researcher";
        var oldPods = Words(await KubectlAsync("get", "pods", "-n", Namespace, "-l", $"app={agent}", "-o", "jsonpath={.items[*].metadata.uid}"));
        var requester = await PageAsync("cora", "IncidentCommander");
        await requester.OpenAsync($"/agents/{Namespace}/{agent}");
        await requester.GetByTestId("action-reset").ClickAsync();
        var dialog = requester.GetByTestId("action-dialog");
        await requester.GetByTestId("action-preview-values").ClickAsync();
        await dialog.Locator("input[data-testid=action-typed-confirmation]").FillAsync(agent);
        await requester.GetByTestId("action-confirm").ClickAsync();
        await Expect(dialog).ToHaveAttributeAsync("data-phase", "AwaitingApproval");
        var approvalId = (await dialog.GetByTestId("action-approval-id").TextContentAsync())!.Trim();
        (await _sim.PostAsync("/sim/stats/reset", content: null)).EnsureSuccessStatusCode().Dispose();

        // Her own request on the Approvals page (another tab, the same session): Approve disabled, and the API refuses.
        var ownTab = await requester.Context.NewPageAsync();
        await ownTab.OpenAsync("/approvals");
        var ownCard = ownTab.Locator($"[data-testid=approval][data-approval-id='{approvalId}']");
        await Expect(ownCard.GetByTestId("approval-approve")).ToBeDisabledAsync();
        await Expect(ownCard.GetByTestId("approval-own")).ToBeVisibleAsync();
        var api = await ownTab.EvaluateAsync<System.Text.Json.JsonElement>($$"""
            async () => {
                const r = await fetch('/api/approvals/{{approvalId}}/approve', { method: 'POST', headers: { 'X-Kosmos-Action': '1' } });
                return { status: r.status, detail: (await r.json()).detail };
            }
            """);
        Assert.Equal(403, api.GetProperty("status").GetInt32());
        Assert.Equal("cora requested this reset and may not approve it: another incident commander must (no self-approval, also for incident commanders).", api.GetProperty("detail").GetString());

        // Another commander rejects it; the requester's dialog shows it live.
        var other = await PageAsync("dora", "IncidentCommander");
        await other.OpenAsync("/approvals");
        var card = other.Locator($"[data-testid=approval][data-approval-id='{approvalId}']");
        await card.Locator("input[data-testid=approval-reason]").FillAsync("try a restart first");
        await card.GetByTestId("approval-reject").ClickAsync();
        await Expect(dialog).ToHaveAttributeAsync("data-phase", "NotApproved");
        await Expect(dialog.GetByTestId("action-approval-text")).ToHaveTextAsync("Rejected by dora: try a restart first. Nothing was changed.");

        // Nothing reached the cluster: no mutating request since the request was filed, the same pods.
        var stats = JsonNode.Parse(await _sim.GetStringAsync("/sim/stats"))!["byResourceVerb"]!.AsObject();
        Assert.Empty(stats.Where(p => p.Value!.GetValue<long>() > 0 && Mutations.Contains(p.Key[(p.Key.LastIndexOf(':') + 1)..])).Select(p => p.Key));
        Assert.Equal(oldPods.Order(), Words(await KubectlAsync("get", "pods", "-n", Namespace, "-l", $"app={agent}", "-o", "jsonpath={.items[*].metadata.uid}")).Order());
    }

    [Fact]
    public async Task Reset_RequestExpires_RequesterSeesItLiveApprovalRefusedNothingChanged()
    {
        const string agent = "coder";
        var oldPods = Words(await KubectlAsync("get", "pods", "-n", Namespace, "-l", $"app={agent}", "-o", "jsonpath={.items[*].metadata.uid}"));
        var requester = await PageAsync("ada", "Operator");
        await requester.OpenAsync($"/agents/{Namespace}/{agent}");
        await requester.GetByTestId("action-reset").ClickAsync();
        var dialog = requester.GetByTestId("action-dialog");
        await requester.GetByTestId("action-preview-values").ClickAsync();
        await dialog.Locator("input[data-testid=action-typed-confirmation]").FillAsync(agent);
        await requester.GetByTestId("action-confirm").ClickAsync();
        await Expect(dialog).ToHaveAttributeAsync("data-phase", "AwaitingApproval");
        var approvalId = (await dialog.GetByTestId("action-approval-id").TextContentAsync())!.Trim();
        (await _sim.PostAsync("/sim/stats/reset", content: null)).EnsureSuccessStatusCode().Dispose();
        var commander = await PageAsync("cora", "IncidentCommander");
        await commander.OpenAsync("/approvals");

        // Past the expiry (Kosmos:Approvals:ExpiryMinutes, 15) on the approval store's clock, not in real time.
        fixture.Host.ApprovalTime.Offset = TimeSpan.FromMinutes(16);
        try
        {
            var api = await commander.EvaluateAsync<System.Text.Json.JsonElement>($$"""
                async () => {
                    const r = await fetch('/api/approvals/{{approvalId}}/approve', { method: 'POST', headers: { 'X-Kosmos-Action': '1' } });
                    return { status: r.status, detail: (await r.json()).detail };
                }
                """);

            Assert.Equal(409, api.GetProperty("status").GetInt32());
            Assert.StartsWith("This request expired at ", api.GetProperty("detail").GetString(), StringComparison.Ordinal);
            await Expect(dialog).ToHaveAttributeAsync("data-phase", "NotApproved");
            await Expect(dialog.GetByTestId("action-approval-text")).ToContainTextAsync("no incident commander decided in time. Nothing was changed");
            await Expect(commander.Locator($"[data-testid=approval][data-approval-id='{approvalId}']")).ToHaveAttributeAsync("data-status", "Expired");
        }
        finally
        {
            fixture.Host.ApprovalTime.Offset = TimeSpan.Zero;
        }

        var stats = JsonNode.Parse(await _sim.GetStringAsync("/sim/stats"))!["byResourceVerb"]!.AsObject();
        Assert.Empty(stats.Where(p => p.Value!.GetValue<long>() > 0 && Mutations.Contains(p.Key[(p.Key.LastIndexOf(':') + 1)..])).Select(p => p.Key));
        Assert.Equal(oldPods.Order(), Words(await KubectlAsync("get", "pods", "-n", Namespace, "-l", $"app={agent}", "-o", "jsonpath={.items[*].metadata.uid}")).Order());
    }

    private async Task<IPage> PageAsync(string name, string role)
    {
        var page = await fixture.NewPageAsync();
        _contexts.Add(page.Context);
        await page.SignInAsync(name, role);
        return page;
    }

    private async Task<string> KubectlAsync(params string[] args) => (await fixture.Kubectl.RunAsync(args)).EnsureSuccess().Stdout.Trim();

    private static string[] Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [GeneratedRegex("^[1-9][0-9]*$")]
    private static partial Regex NonZero();
}

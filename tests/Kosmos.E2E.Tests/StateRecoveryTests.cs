using System.Text.Json.Nodes;
using Kosmos.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kosmos.E2E.Tests;

/// <summary>
/// State recovery in real browsers: an operator requests a snapshot restore and an import, an incident commander approves
/// them in another browser context, and kubectl (the agent's own export_state) shows what the agent serves afterwards.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class StateRecoveryTests(DashboardFixture fixture) : IAsyncLifetime
{
    private const string Agent = "planner";
    private static readonly TimeSpan Rollout = TimeSpan.FromSeconds(120);
    private IPage _page = null!;
    private IPage? _commander;

    public async Task InitializeAsync() => _page = await fixture.NewPageAsync();

    public async Task DisposeAsync()
    {
        await _page.Context.CloseAsync();
        if (_commander is not null)
        {
            await _commander.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task RestoreSnapshot_OperatorRequestsCommanderApproves_TheLaterConversationIsGoneAndTheOldClaimKept()
    {
        await Eventually.Until(() => KubectlAsync("get", "volumesnapshot", "planner-state-nightly", "-n", "kosmos", "-o", "jsonpath={.status.readyToUse}"),
            ready => ready == "true", DashboardFixture.Patience, "the nightly snapshot to be readyToUse");
        var pod = await ReadyPodAsync(null);
        (await fixture.Kubectl.RunAsync(["exec", "-i", pod, "-n", "kosmos", "--", "sh", "-c", "cat > /var/lib/kosmos/conversations/written-after-the-snapshot.json"],
            """{"id":"written-after-the-snapshot","messages":[]}""", TimeSpan.FromSeconds(60))).EnsureSuccess();
        Assert.Contains("written-after-the-snapshot", await OwnExportAsync(pod), StringComparison.Ordinal);
        try
        {
            await _page.SignInAsync("ada", "Operator");
            await _page.OpenAsync($"/agents/kosmos/{Agent}");
            await _page.GetByRole(AriaRole.Tab, new() { Name = "Storage" }).ClickAsync();
            await _page.Locator("[data-snapshot=planner-state-nightly] [data-testid=snapshot-restore]").ClickAsync();
            var dialog = _page.GetByTestId("action-dialog");
            await Expect(dialog.GetByTestId("action-plan-step")).ToHaveCountAsync(5);
            await Expect(dialog.GetByTestId("action-needs-approval")).ToBeVisibleAsync();
            await TypedName.FillAsync(Agent);
            await _page.GetByTestId("action-confirm").ClickAsync();
            await Expect(dialog.GetByTestId("action-approval")).ToBeVisibleAsync();
            Assert.Equal("planner-state", await ClaimOfDeploymentAsync());

            await ApproveAsync("Restore snapshot of kosmos/planner");

            var result = _page.GetByTestId("action-result");
            await Expect(result).ToHaveAttributeAsync("data-status", "Verified", new() { Timeout = (float)Rollout.TotalMilliseconds });
            var newClaim = await ClaimOfDeploymentAsync();
            Assert.StartsWith("planner-state-restored-", newClaim, StringComparison.Ordinal);
            Assert.Equal("VolumeSnapshot/planner-state-nightly", await KubectlAsync("get", "pvc", newClaim, "-n", "kosmos", "-o", "jsonpath={.spec.dataSource.kind}/{.spec.dataSource.name}"));
            Assert.Equal("Bound", await KubectlAsync("get", "pvc", "planner-state", "-n", "kosmos", "-o", "jsonpath={.status.phase}"));
            var restored = await OwnExportAsync(await ReadyPodAsync(newClaim));
            Assert.DoesNotContain("written-after-the-snapshot", restored, StringComparison.Ordinal);
            Assert.NotEmpty(JsonNode.Parse(restored)!["conversations"]!.AsArray());
        }
        finally
        {
            (await fixture.Kubectl.RunAsync("patch", "deployment", Agent, "-n", "kosmos", "-p",
                """{"spec":{"template":{"spec":{"volumes":[{"name":"state","persistentVolumeClaim":{"claimName":"planner-state"}}]}}}}""")).EnsureSuccess();
            var back = await ReadyPodAsync("planner-state");
            (await fixture.Kubectl.RunAsync(["exec", back, "-n", "kosmos", "--", "rm", "-f", "/var/lib/kosmos/conversations/written-after-the-snapshot.json"], null, TimeSpan.FromSeconds(60))).EnsureSuccess();
        }
    }

    [Fact]
    public async Task ExportDownloadIsTheAgentsOwnExport_AndAnEditedExportImportedShowsTheAddedConversation()
    {
        var pod = await ReadyPodAsync(null);
        await _page.SignInAsync("ada", "Operator");
        await _page.OpenAsync($"/agents/kosmos/{Agent}");
        await _page.GetByTestId("action-export-state").ClickAsync();
        await _page.GetByTestId("action-confirm").ClickAsync();
        await Expect(_page.GetByTestId("action-result")).ToHaveAttributeAsync("data-status", "Verified", new() { Timeout = (float)Rollout.TotalMilliseconds });
        await _page.GetByTestId("action-close").ClickAsync();

        await _page.GetByRole(AriaRole.Tab, new() { Name = "State" }).ClickAsync();
        await _page.GetByTestId("exports-refresh").ClickAsync();
        var download = await _page.RunAndWaitForDownloadAsync(() => _page.GetByTestId("export-row").First.GetByTestId("export-download").ClickAsync());
        var downloaded = JsonNode.Parse(await File.ReadAllTextAsync(await download.PathAsync()))!.AsObject();
        var own = JsonNode.Parse(await OwnExportAsync(pod))!.AsObject();
        Assert.Equal(Agent, downloaded["agent"]!.GetValue<string>());
        Assert.Equal(own["conversations"]!.ToJsonString(), downloaded["conversations"]!.ToJsonString());

        var edited = downloaded.DeepClone().AsObject();
        edited["conversations"]!.AsArray().Add(new JsonObject { ["id"] = "added-in-the-browser", ["messages"] = new JsonArray() });
        try
        {
            await _page.GetByTestId("import-upload").SetInputFilesAsync(new FilePayload
            {
                Name = "planner-state-edited.json",
                MimeType = "application/json",
                Buffer = System.Text.Encoding.UTF8.GetBytes(edited.ToJsonString()),
            });
            var dialog = _page.GetByTestId("action-dialog");
            await Expect(dialog.Locator("[data-testid=action-change]", new() { HasText = "added-in-the-browser" })).ToBeVisibleAsync();
            await TypedName.FillAsync(Agent);
            await _page.GetByTestId("action-confirm").ClickAsync();
            await Expect(dialog.GetByTestId("action-approval")).ToBeVisibleAsync();
            Assert.DoesNotContain("added-in-the-browser", await OwnExportAsync(pod), StringComparison.Ordinal);

            await ApproveAsync("Import state of kosmos/planner");

            await Expect(_page.GetByTestId("action-result")).ToHaveAttributeAsync("data-status", "Verified", new() { Timeout = (float)Rollout.TotalMilliseconds });
            var after = JsonNode.Parse(await OwnExportAsync(pod))!["conversations"]!.AsArray();
            Assert.Contains(after, c => c!["id"]!.GetValue<string>() == "added-in-the-browser");
            Assert.Equal(edited["conversations"]!.AsArray().Count, after.Count);
        }
        finally
        {
            (await fixture.Kubectl.RunAsync(["exec", "-i", pod, "-n", "kosmos", "--", "python", "-m", "kosmos.tools.import_state", "--input", "-"],
                downloaded.ToJsonString(), TimeSpan.FromSeconds(60))).EnsureSuccess();
        }
    }

    // MudTextField puts the test id on its input element.
    private ILocator TypedName => _page.Locator("input[data-testid=action-typed-confirmation], [data-testid=action-typed-confirmation] input").First;

    // An incident commander, in a browser context of her own, approves the pending request on the Approvals page.
    private async Task ApproveAsync(string title)
    {
        _commander = await fixture.NewPageAsync();
        await _commander.SignInAsync("cora", "IncidentCommander");
        await _commander.OpenAsync("/approvals");
        var request = _commander.Locator("[data-testid=approval][data-status=Pending]", new() { HasText = title });
        await request.GetByTestId("approval-approve").ClickAsync();
        await Expect(_commander.Locator("[data-testid=approval][data-status=Approved]", new() { HasText = title }).First).ToBeVisibleAsync();
    }

    private Task<string> ClaimOfDeploymentAsync() =>
        KubectlAsync("get", "deployment", Agent, "-n", "kosmos", "-o", "jsonpath={.spec.template.spec.volumes[0].persistentVolumeClaim.claimName}");

    // The agent's one Ready pod (on the given claim, when named), once no other is left.
    private async Task<string> ReadyPodAsync(string? claim)
    {
        var line = await Eventually.Until(
            () => KubectlAsync("get", "pods", "-n", "kosmos", "-l", $"app={Agent}", "-o",
                "jsonpath={range .items[*]}{.metadata.name} {.status.conditions[?(@.type==\"Ready\")].status} {.spec.volumes[0].persistentVolumeClaim.claimName} {.metadata.deletionTimestamp}{\"\\n\"}{end}"),
            text => text.Split('\n', StringSplitOptions.RemoveEmptyEntries) is [var only] && only.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, "True", var c] && (claim is null || c == claim),
            Rollout, $"one Ready pod of {Agent}{(claim is null ? "" : $" on claim {claim}")}");
        return line.Split(' ')[0];
    }

    private async Task<string> OwnExportAsync(string pod) =>
        (await fixture.Kubectl.RunAsync(["exec", pod, "-n", "kosmos", "--", "python", "-m", "kosmos.tools.export_state"], null, TimeSpan.FromSeconds(60))).EnsureSuccess().Stdout;

    private async Task<string> KubectlAsync(params string[] args) => (await fixture.Kubectl.RunAsync(args)).EnsureSuccess().Stdout.Trim();
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Kosmos.Dashboard.Security;
using Kosmos.Dashboard.Tests.Hosting;
using Kosmos.TestSupport;

namespace Kosmos.Dashboard.Tests.Actions;

/// <summary>
/// restore-snapshot and import-state through the real dashboard over HTTP, requested by an operator and approved by an
/// incident commander, checked with kubectl against the shared simulated fleet; bad input is refused with a specific message
/// and the simulator's counters show that nothing reached the cluster, not even an exec.
/// </summary>
[Collection(DashboardHostCollection.Name)]
public sealed class StateRecoveryEndpointsTests(DashboardHostFixture host)
{
    private const string Restore = "/api/agents/kosmos/archivist/actions/restore-snapshot";
    private const string Import = "/api/agents/kosmos/archivist/actions/import-state";
    private static readonly string[] Mutations = ["create", "update", "patch", "delete", "deletecollection"];

    [Fact]
    public async Task RestoreSnapshot_RequestedAndApproved_NewClaimFromTheSnapshotAndTheLaterConversationGone()
    {
        await ReadySnapshotAsync("archivist-state-nightly");
        var pod = await ReadyPodAsync("archivist");
        var oldClaimUid = await KubectlAsync("get", "pvc", "archivist-state", "-n", "kosmos", "-o", "jsonpath={.metadata.uid}");
        (await host.Kubectl.RunAsync(["exec", "-i", pod, "-n", "kosmos", "--", "sh", "-c", "cat > /var/lib/kosmos/conversations/written-after-the-snapshot.json"],
            """{"id":"written-after-the-snapshot","messages":[]}""", TimeSpan.FromSeconds(60))).EnsureSuccess();
        Assert.Contains("written-after-the-snapshot", await OwnExportAsync(pod), StringComparison.Ordinal);
        using var ada = await DemoSignIn.ClientAsync(host.BaseAddress, "ada", KosmosRoles.Operator);
        using var cora = await DemoSignIn.ClientAsync(host.BaseAddress, "cora", KosmosRoles.IncidentCommander);
        try
        {
            var preview = await OkAsync(ada, Restore + "/preview", new { snapshot = "archivist-state-nightly" });
            Assert.True(preview["requiresApproval"]!.GetValue<bool>());
            var steps = preview["steps"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
            Assert.Equal(5, steps.Count);
            Assert.StartsWith($"Export the current conversations from pod {pod}", steps[0], StringComparison.Ordinal);
            Assert.StartsWith("Scale deployment/archivist to 0 and wait until no pod mounts claim archivist-state", steps[1], StringComparison.Ordinal);
            Assert.StartsWith("Create claim archivist-state-restored-", steps[2], StringComparison.Ordinal);
            Assert.Contains("from VolumeSnapshot archivist-state-nightly (storage class standard", steps[2], StringComparison.Ordinal);
            Assert.Equal("Scale deployment/archivist back to 1", steps[4]);

            using var confirm = await ada.SendAsync(DemoSignIn.Action(Restore, Confirm(preview, new { snapshot = "archivist-state-nightly", confirmName = "archivist" })));
            Assert.Equal(HttpStatusCode.Accepted, confirm.StatusCode);
            var approvalId = (await confirm.Content.ReadFromJsonAsync<JsonObject>())!["approvalId"]!.GetValue<string>();
            Assert.Equal(oldClaimUid, await KubectlAsync("get", "pvc", "archivist-state", "-n", "kosmos", "-o", "jsonpath={.metadata.uid}"));
            Assert.Equal("archivist-state", await KubectlAsync("get", "deployment", "archivist", "-n", "kosmos", "-o", "jsonpath={.spec.template.spec.volumes[0].persistentVolumeClaim.claimName}"));

            Assert.Equal("Approved", (await OkAsync(cora, $"/api/approvals/{approvalId}/approve", null))["status"]!.GetValue<string>());
            var done = await Eventually.Until(async () => await ada.GetFromJsonAsync<JsonObject>($"/api/approvals/{approvalId}"),
                a => a!["outcome"]?["status"]?.GetValue<string>() is "Verified" or "Unverified" or "Failed", DashboardHostFixture.Timeout, "the approved restore to end");
            var outcome = done!["outcome"]!;
            Assert.True(outcome["status"]!.GetValue<string>() == "Verified", done.ToJsonString());

            var newClaim = await KubectlAsync("get", "deployment", "archivist", "-n", "kosmos", "-o", "jsonpath={.spec.template.spec.volumes[0].persistentVolumeClaim.claimName}");
            Assert.StartsWith("archivist-state-restored-", newClaim, StringComparison.Ordinal);
            Assert.Equal("VolumeSnapshot/archivist-state-nightly Bound",
                await KubectlAsync("get", "pvc", newClaim, "-n", "kosmos", "-o", "jsonpath={.spec.dataSource.kind}/{.spec.dataSource.name} {.status.phase}"));
            Assert.Equal(oldClaimUid, await KubectlAsync("get", "pvc", "archivist-state", "-n", "kosmos", "-o", "jsonpath={.metadata.uid}"));
            var newPod = await ReadyPodAsync("archivist");
            Assert.NotEqual(pod, newPod);
            Assert.DoesNotContain("written-after-the-snapshot", await OwnExportAsync(newPod), StringComparison.Ordinal);

            var audit = await ada.GetFromJsonAsync<JsonArray>("/api/audit?count=20");
            var record = audit!.First(a => a!["actionId"]!.GetValue<string>() == outcome["actionId"]!.GetValue<string>())!;
            var verification = record["verification"]!.GetValue<string>();
            Assert.Contains("no longer seen (written after the snapshot, still on claim archivist-state): written-after-the-snapshot", verification, StringComparison.Ordinal);
            Assert.Contains("The old claim archivist-state is kept; to switch back: kubectl patch deployment archivist -n kosmos", verification, StringComparison.Ordinal);
            Assert.All(record["planSteps"]!.AsArray(), s => Assert.Equal("Done", s!["state"]!.GetValue<string>()));
            var exports = await ada.GetFromJsonAsync<JsonArray>("/api/agents/kosmos/archivist/exports");
            Assert.Contains(exports!, e => e!["pod"]!.GetValue<string>() == pod);
        }
        finally
        {
            // Back on the claim the manifests name, as the result's own command does it, for the other tests of the host.
            (await host.Kubectl.RunAsync("patch", "deployment", "archivist", "-n", "kosmos", "-p",
                """{"spec":{"template":{"spec":{"volumes":[{"name":"state","persistentVolumeClaim":{"claimName":"archivist-state"}}]}}}}""")).EnsureSuccess();
            var back = await ReadyPodAsync("archivist", "archivist-state");
            (await host.Kubectl.RunAsync(["exec", back, "-n", "kosmos", "--", "rm", "-f", "/var/lib/kosmos/conversations/written-after-the-snapshot.json"], null, TimeSpan.FromSeconds(60))).EnsureSuccess();
        }
    }

    [Fact]
    public async Task RestoreSnapshot_BadInput_SpecificMessagesAndNothingReachesTheCluster()
    {
        await ReadySnapshotAsync("archivist-state-nightly");
        using var ada = await DemoSignIn.ClientAsync(host.BaseAddress, "ada", KosmosRoles.Operator);

        // A snapshot the archivist's board shows (its label) but of the planner's claim.
        (await host.Kubectl.RunAsync(["apply", "-f", "-"], Snapshot("archivist-of-planner", "planner-state"), TimeSpan.FromSeconds(60))).EnsureSuccess();
        try
        {
            var other = await Eventually.Until(() => DetailAsync(ada, Restore + "/preview", new { snapshot = "archivist-of-planner" }, 422),
                d => !d.StartsWith("There is no VolumeSnapshot", StringComparison.Ordinal), DashboardHostFixture.Timeout, "the board to show the new snapshot");
            await host.ResetSimStatsAsync();

            var unknown = await DetailAsync(ada, Restore + "/preview", new { snapshot = "nope" }, 422);
            var planners = await DetailAsync(ada, Restore + "/preview", new { snapshot = "planner-state-nightly" }, 422);
            var missing = await DetailAsync(ada, Restore + "/preview", new { }, 422);
            var noClaim = await DetailAsync(ada, "/api/agents/kosmos/coder/actions/restore-snapshot/preview", new { snapshot = "archivist-state-nightly" }, 422);
            var forged = await DetailAsync(ada, Restore, new { snapshot = "nope", confirmName = "archivist", resourceVersion = "1", fingerprint = "x" }, 422);

            Assert.Equal("VolumeSnapshot archivist-of-planner is of claim planner-state, which agent kosmos/archivist does not mount (it mounts archivist-state); only a snapshot of a mounted claim is restored into it.", other);
            Assert.StartsWith("There is no VolumeSnapshot 'nope' of a claim of agent kosmos/archivist in namespace kosmos (snapshots of archivist-state: archivist-state-nightly", unknown, StringComparison.Ordinal);
            Assert.StartsWith("There is no VolumeSnapshot 'planner-state-nightly' of a claim of agent kosmos/archivist", planners, StringComparison.Ordinal);
            Assert.StartsWith("Restore snapshot needs the VolumeSnapshot to restore: {\"snapshot\": \"<name>\"}", missing, StringComparison.Ordinal);
            Assert.Equal("Agent kosmos/coder mounts no PersistentVolumeClaim, so there is no claim to restore a snapshot into.", noClaim);
            Assert.Contains("not the ones previewed", forged, StringComparison.Ordinal);
            var stats = await host.GetSimStatsAsync();
            Assert.Empty(stats.WithVerbs(Mutations));
            Assert.Equal(0, stats.Count("pods", "exec"));
        }
        finally
        {
            (await host.Kubectl.RunAsync("delete", "volumesnapshot", "archivist-of-planner", "-n", "kosmos", "--ignore-not-found")).EnsureSuccess();
        }
    }

    [Fact]
    public async Task RestoreSnapshot_NotReady_RefusedNamingReadyToUse()
    {
        using var ada = await DemoSignIn.ClientAsync(host.BaseAddress, "ada", KosmosRoles.Operator);

        // The snapshot controller's simulated seconds stretched, so the new snapshot stays not ready while it is asked for.
        (await host.Sim.PutAsync("/sim/time-scale?value=0.001", null)).EnsureSuccessStatusCode();
        try
        {
            (await host.Kubectl.RunAsync(["apply", "-f", "-"], Snapshot("archivist-state-slow", "archivist-state"), TimeSpan.FromSeconds(60))).EnsureSuccess();
            var detail = await Eventually.Until(() => DetailAsync(ada, Restore + "/preview", new { snapshot = "archivist-state-slow" }, 422),
                d => !d.StartsWith("There is no VolumeSnapshot", StringComparison.Ordinal), DashboardHostFixture.Timeout, "the board to show the new snapshot");
            await host.ResetSimStatsAsync();
            var again = await DetailAsync(ada, Restore + "/preview", new { snapshot = "archivist-state-slow" }, 422);

            Assert.StartsWith("VolumeSnapshot archivist-state-slow is not ready to use (readyToUse is", detail, StringComparison.Ordinal);
            Assert.EndsWith("a claim restored from it would stay Pending. Wait until it is readyToUse.", detail, StringComparison.Ordinal);
            Assert.Equal(detail, again);
            Assert.Empty((await host.GetSimStatsAsync()).WithVerbs(Mutations));
        }
        finally
        {
            (await host.Sim.PutAsync("/sim/time-scale?value=30", null)).EnsureSuccessStatusCode();
            (await host.Kubectl.RunAsync("delete", "volumesnapshot", "archivist-state-slow", "-n", "kosmos", "--ignore-not-found")).EnsureSuccess();
        }
    }

    [Fact]
    public async Task ImportState_EditedExportRequestedAndApproved_ThePodExportsTheAddedConversation()
    {
        var pod = await ReadyPodAsync("archivist");
        var before = JsonNode.Parse(await OwnExportAsync(pod))!.AsObject();
        using var ada = await DemoSignIn.ClientAsync(host.BaseAddress, "ada", KosmosRoles.Operator);
        using var cora = await DemoSignIn.ClientAsync(host.BaseAddress, "cora", KosmosRoles.IncidentCommander);
        var edited = before.DeepClone().AsObject();
        edited["conversations"]!.AsArray().Add(new JsonObject { ["id"] = "added-by-import", ["messages"] = new JsonArray() });
        try
        {
            var preview = await OkAsync(ada, Import + "/preview", new { state = edited });
            Assert.Contains(preview["changes"]!.AsArray(), c => c!["path"]!.GetValue<string>() == "conversation added-by-import" && c["after"]!.GetValue<string>() == "imported");
            using var confirm = await ada.SendAsync(DemoSignIn.Action(Import, Confirm(preview, new { state = edited, confirmName = "archivist" })));
            Assert.Equal(HttpStatusCode.Accepted, confirm.StatusCode);
            var approvalId = (await confirm.Content.ReadFromJsonAsync<JsonObject>())!["approvalId"]!.GetValue<string>();
            Assert.DoesNotContain("added-by-import", await OwnExportAsync(pod), StringComparison.Ordinal);

            // A Viewer may list requests and read the audit: the document is named there by size and checksum, not shown.
            using var victor = await DemoSignIn.ClientAsync(host.BaseAddress, "victor", KosmosRoles.Viewer);
            var listed = await victor.GetStringAsync($"/api/approvals/{approvalId}");
            Assert.Contains("(a state document of ", listed, StringComparison.Ordinal);
            Assert.DoesNotContain("summarise the incident timeline", listed, StringComparison.Ordinal);
            Assert.DoesNotContain("summarise the incident timeline", await victor.GetStringAsync("/api/audit?count=20"), StringComparison.Ordinal);

            await OkAsync(cora, $"/api/approvals/{approvalId}/approve", null);
            var done = await Eventually.Until(async () => await ada.GetFromJsonAsync<JsonObject>($"/api/approvals/{approvalId}"),
                a => a!["outcome"]?["status"]?.GetValue<string>() is "Verified" or "Unverified" or "Failed", DashboardHostFixture.Timeout, "the approved import to end");
            Assert.True(done!["outcome"]!["status"]!.GetValue<string>() == "Verified", done.ToJsonString());
            var audit = await victor.GetStringAsync("/api/audit?count=20");
            Assert.Contains("state=(a state document of ", audit, StringComparison.Ordinal);
            Assert.DoesNotContain("summarise the incident timeline", audit, StringComparison.Ordinal);

            var after = JsonNode.Parse(await OwnExportAsync(pod))!.AsObject();
            Assert.Equal(Sorted(edited), Sorted(after));
        }
        finally
        {
            (await host.Kubectl.RunAsync(["exec", "-i", pod, "-n", "kosmos", "--", "python", "-m", "kosmos.tools.import_state", "--input", "-"], before.ToJsonString(), TimeSpan.FromSeconds(60))).EnsureSuccess();
        }
    }

    [Fact]
    public async Task ImportState_BadInput_SpecificMessagesAndNothingReachesTheCluster()
    {
        using var ada = await DemoSignIn.ClientAsync(host.BaseAddress, "ada", KosmosRoles.Operator);
        var plannerExport = await PlannerExportIdAsync(ada);
        await host.ResetSimStatsAsync();

        var notJson = await DetailAsync(ada, Import + "/preview", new { state = "{not json" }, 422);
        var array = await DetailAsync(ada, Import + "/preview", new { state = new[] { 1, 2 } }, 422);
        var noIds = await DetailAsync(ada, Import + "/preview", new { state = new { agent = "archivist", exportedAt = "2026-12-06T03:00:00Z", conversations = new[] { new { title = "x" } } } }, 422);
        var otherAgent = await DetailAsync(ada, Import + "/preview", new { state = new { agent = "planner", exportedAt = "2026-12-06T03:00:00Z", conversations = Array.Empty<object>() } }, 422);
        var otherExport = await DetailAsync(ada, Import + "/preview", new { exportId = plannerExport }, 422);
        var unknownExport = await DetailAsync(ada, Import + "/preview", new { exportId = Guid.Empty.ToString() }, 404);
        var neither = await DetailAsync(ada, Import + "/preview", new { }, 422);
        var noReadyPod = await DetailAsync(ada, "/api/agents/kosmos/researcher/actions/import-state/preview",
            new { state = new { agent = "researcher", exportedAt = "2026-12-06T03:00:00Z", conversations = Array.Empty<object>() } }, 422);
        var oversized = await OversizedAsync(ada);

        Assert.StartsWith("The state document is not valid JSON:", notJson, StringComparison.Ordinal);
        Assert.Equal("The state document must be a JSON object with agent, exportedAt and conversations (got a JSON array).", array);
        Assert.Equal("conversations[0] has no \"id\" (a non-empty string).", noIds);
        Assert.StartsWith("The state document was exported from agent 'planner', not 'archivist'", otherAgent, StringComparison.Ordinal);
        Assert.StartsWith($"Export {plannerExport} is of agent kosmos/planner, not kosmos/archivist: an agent imports only its own exports", otherExport, StringComparison.Ordinal);
        Assert.Equal($"There is no export {Guid.Empty}.", unknownExport);
        Assert.Equal("Import state needs \"state\" (a state document) or \"exportId\" (one of this agent's exports).", neither);
        Assert.StartsWith("Agent kosmos/researcher has no Ready pod to run the state tool in", noReadyPod, StringComparison.Ordinal);
        Assert.Equal($"The state document is {16 * 1024 * 1024 + 1} bytes, more than the {16 * 1024 * 1024} bytes this dashboard accepts (Kosmos:Actions:MaxStateBytes).", oversized);
        var stats = await host.GetSimStatsAsync();
        Assert.Equal(0, stats.Count("pods", "exec"));
        Assert.Empty(stats.WithVerbs(Mutations));
    }

    // A document one byte over the limit, sent as a JSON string: 413 from the endpoint before any rule or the cluster sees it.
    private static async Task<string> OversizedAsync(HttpClient client)
    {
        var big = new string('x', 16 * 1024 * 1024 + 1);
        using var request = new HttpRequestMessage(HttpMethod.Post, Import + "/preview")
        {
            Content = new StringContent($"{{\"state\":\"{big}\"}}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Kosmos-Action", "1");
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!["detail"]!.GetValue<string>();
    }

    private static async Task<string> PlannerExportIdAsync(HttpClient client)
    {
        var preview = await OkAsync(client, "/api/agents/kosmos/planner/actions/export-state/preview", new { });
        var outcome = await OkAsync(client, "/api/agents/kosmos/planner/actions/export-state", Confirm(preview, new { }));
        return outcome["exportId"]!.GetValue<string>();
    }

    // export_state lists conversations by id.
    private static string Sorted(JsonObject document) =>
        new JsonArray([.. document["conversations"]!.AsArray().Select(c => c!.DeepClone()).OrderBy(c => c!["id"]!.GetValue<string>(), StringComparer.Ordinal)]).ToJsonString();

    private static string Snapshot(string name, string claim) => $"""
        apiVersion: snapshot.storage.k8s.io/v1
        kind: VolumeSnapshot
        metadata:
          name: {name}
          namespace: kosmos
          labels:
            app: archivist
        spec:
          volumeSnapshotClassName: csi-hostpath-snapclass
          source:
            persistentVolumeClaimName: {claim}

        """;

    private async Task ReadySnapshotAsync(string name) =>
        await Eventually.Until(() => KubectlAsync("get", "volumesnapshot", name, "-n", "kosmos", "-o", "jsonpath={.status.readyToUse}"),
            ready => ready == "true", DashboardHostFixture.Timeout, $"VolumeSnapshot {name} to be readyToUse");

    // The agent's one Ready pod (on the given claim, when named), once there is exactly one and no other is left.
    private async Task<string> ReadyPodAsync(string agent, string? claim = null)
    {
        var lines = await Eventually.Until(
            () => KubectlAsync("get", "pods", "-n", "kosmos", "-l", $"app={agent}", "-o",
                "jsonpath={range .items[*]}{.metadata.name} {.status.conditions[?(@.type==\"Ready\")].status} {.spec.volumes[0].persistentVolumeClaim.claimName} {.metadata.deletionTimestamp}{\"\\n\"}{end}"),
            text => text.Split('\n', StringSplitOptions.RemoveEmptyEntries) is [var only] && only.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, "True", var c] && (claim is null || c == claim),
            DashboardHostFixture.Timeout, $"one Ready pod of {agent}{(claim is null ? "" : $" on claim {claim}")}");
        return lines.Split(' ')[0];
    }

    private async Task<string> OwnExportAsync(string pod) =>
        (await host.Kubectl.RunAsync(["exec", pod, "-n", "kosmos", "--", "python", "-m", "kosmos.tools.export_state"], null, TimeSpan.FromSeconds(60))).EnsureSuccess().Stdout;

    private static JsonObject Confirm(JsonObject preview, object values)
    {
        var body = System.Text.Json.JsonSerializer.SerializeToNode(values)!.AsObject();
        var precondition = preview["precondition"]!;
        body["resourceVersion"] = precondition["resourceVersion"]!.GetValue<string>();
        body["generation"] = precondition["generation"]?.DeepClone();
        body["fingerprint"] = precondition["fingerprint"]?.DeepClone();
        return body;
    }

    private static async Task<JsonObject> OkAsync(HttpClient client, string path, object? body)
    {
        using var response = await client.SendAsync(DemoSignIn.Action(path, body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private static async Task<string> DetailAsync(HttpClient client, string path, object? body, int status)
    {
        using var response = await client.SendAsync(DemoSignIn.Action(path, body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{path}: expected {status}, got {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!["detail"]!.GetValue<string>();
    }

    private async Task<string> KubectlAsync(params string[] args) => (await host.Kubectl.RunAsync(args)).EnsureSuccess().Stdout.Trim();
}

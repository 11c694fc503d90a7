using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Kosmos.Dashboard.Security;
using Kosmos.Dashboard.Tests.Hosting;
using Kosmos.TestSupport;

namespace Kosmos.Dashboard.Tests.Approvals;

/// <summary>
/// Restart pod and the complete reset through the real dashboard over HTTP, against the shared simulated fleet, checked
/// with kubectl; bad input is refused with a specific message and the simulator's counters show no change was sent.
/// </summary>
[Collection(DashboardHostCollection.Name)]
public sealed class ResetAndRestartPodEndpointsTests(DashboardHostFixture host)
{
    private static readonly string[] Mutations = ["create", "update", "patch", "delete", "deletecollection"];

    [Fact]
    public async Task RestartPod_ArchivistPod_VerifiedAndReplacedBySameReplicaSet()
    {
        var pod = await FirstPodAsync("archivist");
        var replicaSet = (await KubectlAsync("get", "pod", pod, "-n", "kosmos", "-o", "jsonpath={.metadata.ownerReferences[0].name}")).Trim();
        using var ada = await DemoSignIn.ClientAsync(host.BaseAddress, "ada", KosmosRoles.Operator);

        var preview = await OkAsync(ada, "/api/agents/kosmos/archivist/actions/restart-pod/preview", new { pod });
        Assert.Equal($"kubectl delete pod {pod} -n kosmos", preview["kubectl"]!.GetValue<string>());
        var outcome = await OkAsync(ada, "/api/agents/kosmos/archivist/actions/restart-pod", Confirm(preview, new { pod }));

        Assert.Equal("Verified", outcome["status"]!.GetValue<string>());
        Assert.Contains($"its replacement", outcome["verification"]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("NotFound", await KubectlErrorAsync("get", "pod", pod, "-n", "kosmos"), StringComparison.Ordinal);
        var owners = await KubectlAsync("get", "pods", "-n", "kosmos", "-l", "app=archivist", "-o", "jsonpath={.items[*].metadata.ownerReferences[0].name}");
        Assert.Contains(replicaSet, owners, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestartPod_BadInput_SpecificMessagesAndNothingSent()
    {
        var plannerPod = await FirstPodAsync("planner");
        using var ada = await DemoSignIn.ClientAsync(host.BaseAddress, "ada", KosmosRoles.Operator);
        using var victor = await DemoSignIn.ClientAsync(host.BaseAddress, "victor", KosmosRoles.Viewer);
        await host.ResetSimStatsAsync();

        var unknown = await ProblemAsync(ada, "/api/agents/kosmos/archivist/actions/restart-pod/preview", new { pod = "archivist-nope" }, 422);
        var other = await ProblemAsync(ada, "/api/agents/kosmos/archivist/actions/restart-pod/preview", new { pod = plannerPod }, 422);
        var missing = await ProblemAsync(ada, "/api/agents/kosmos/archivist/actions/restart-pod/preview", new { }, 422);
        var viewer = await ProblemAsync(victor, "/api/agents/kosmos/archivist/actions/restart-pod/preview", new { pod = plannerPod }, 403);
        var noAgent = await ProblemAsync(ada, "/api/agents/kosmos/ghost/actions/restart-pod/preview", new { pod = plannerPod }, 404);

        Assert.StartsWith("There is no pod 'archivist-nope' in namespace kosmos (pods of kosmos/archivist: archivist-", unknown, StringComparison.Ordinal);
        Assert.Equal($"Pod '{plannerPod}' belongs to agent kosmos/planner, not to kosmos/archivist; restart it from that agent's page.", other);
        Assert.StartsWith("Restart pod needs the pod to restart: {\"pod\": \"<name>\"}", missing, StringComparison.Ordinal);
        Assert.Equal("victor (Viewer) may not restart the pods of agents: that needs the Operator role or higher.", viewer);
        Assert.StartsWith("There is no agent kosmos/ghost on the board", noAgent, StringComparison.Ordinal);
        Assert.Empty((await host.GetSimStatsAsync()).WithVerbs(Mutations));
    }

    [Fact]
    public async Task Reset_BadInput_SpecificMessagesAndNothingSent()
    {
        using var ada = await DemoSignIn.ClientAsync(host.BaseAddress, "ada", KosmosRoles.Operator);
        var preview = await OkAsync(ada, "/api/agents/kosmos/planner/actions/reset/preview", new { deleteClaim = true });
        await host.ResetSimStatsAsync();

        var noName = await ProblemAsync(ada, "/api/agents/kosmos/planner/actions/reset", Confirm(preview, new { deleteClaim = true }), 422);
        var wrongName = await ProblemAsync(ada, "/api/agents/kosmos/planner/actions/reset", Confirm(preview, new { deleteClaim = true, confirmName = "archivist" }), 422);
        var forged = await ProblemAsync(ada, "/api/agents/kosmos/planner/actions/reset", Confirm(preview, new { deleteClaim = false, confirmName = "planner" }), 422);
        var noValue = await ProblemAsync(ada, "/api/agents/kosmos/planner/actions/reset/preview", new { }, 422);

        Assert.Contains("must be confirmed by typing the agent's name: send \"confirmName\": \"planner\"", noName, StringComparison.Ordinal);
        Assert.Contains("The typed name 'archivist' is not the agent's name 'planner'", wrongName, StringComparison.Ordinal);
        Assert.Contains("are not the ones previewed", forged, StringComparison.Ordinal);
        Assert.StartsWith("Reset needs 'deleteClaim': true", noValue, StringComparison.Ordinal);
        Assert.Empty((await host.GetSimStatsAsync()).WithVerbs(Mutations));
        var pending = await ada.GetFromJsonAsync<JsonArray>("/api/approvals?status=Pending");
        Assert.DoesNotContain(pending!, a => a!["name"]!.GetValue<string>() == "planner");
    }

    [Fact]
    public async Task Reset_RequestedApprovedByAnotherCommander_VerifiedAndCheckedWithKubectl()
    {
        var oldClaimUid = await KubectlAsync("get", "pvc", "planner-state", "-n", "kosmos", "-o", "jsonpath={.metadata.uid}");
        var oldPods = await KubectlAsync("get", "pods", "-n", "kosmos", "-l", "app=planner", "-o", "jsonpath={.items[*].metadata.uid}");
        using var ada = await DemoSignIn.ClientAsync(host.BaseAddress, "ada", KosmosRoles.Operator);
        using var cora = await DemoSignIn.ClientAsync(host.BaseAddress, "cora", KosmosRoles.IncidentCommander);

        var preview = await OkAsync(ada, "/api/agents/kosmos/planner/actions/reset/preview", new { deleteClaim = true });
        Assert.Contains(preview["changes"]!.AsArray(), c => c!["path"]!.GetValue<string>() == "persistentvolumeclaim/planner-state" && c["after"]!.GetValue<string>() == "(deleted)");
        Assert.Contains(preview["changes"]!.AsArray(), c => c!["path"]!.GetValue<string>().StartsWith("volumesnapshot/planner-state-reset-", StringComparison.Ordinal));
        Assert.Contains(preview["changes"]!.AsArray(), c => c!["path"]!.GetValue<string>() == "deployment/planner");
        Assert.Contains(preview["losses"]!.AsArray(), l => l!.GetValue<string>().StartsWith("Everything on claim planner-state", StringComparison.Ordinal));

        using var confirm = await ada.SendAsync(DemoSignIn.Action("/api/agents/kosmos/planner/actions/reset", Confirm(preview, new { deleteClaim = true, confirmName = "planner" })));
        Assert.Equal(HttpStatusCode.Accepted, confirm.StatusCode);
        var accepted = (await confirm.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("AwaitingApproval", accepted["status"]!.GetValue<string>());
        var approvalId = accepted["approvalId"]!.GetValue<string>();
        Assert.Equal(oldClaimUid, await KubectlAsync("get", "pvc", "planner-state", "-n", "kosmos", "-o", "jsonpath={.metadata.uid}"));

        var self = await ProblemAsync(ada, $"/api/approvals/{approvalId}/approve", null, 403);
        Assert.Equal("ada (Operator) may not approve actions: that needs the IncidentCommander role.", self);
        var approved = await OkAsync(cora, $"/api/approvals/{approvalId}/approve", null);
        Assert.Equal("Approved", approved["status"]!.GetValue<string>());

        var done = await Eventually.Until(async () => await ada.GetFromJsonAsync<JsonObject>($"/api/approvals/{approvalId}"),
            a => a!["outcome"]?["status"]?.GetValue<string>() is "Verified" or "Unverified" or "Failed", DashboardHostFixture.Timeout, "the approved reset to end");
        Assert.True(done!["outcome"]!["status"]!.GetValue<string>() == "Verified", done.ToJsonString());

        var newClaim = await KubectlAsync("get", "pvc", "planner-state", "-n", "kosmos", "-o", "jsonpath={.metadata.uid} {.status.phase}");
        Assert.NotEqual(oldClaimUid, newClaim.Split(' ')[0]);
        Assert.EndsWith("Bound", newClaim, StringComparison.Ordinal);
        var snapshots = await KubectlAsync("get", "volumesnapshots", "-n", "kosmos", "-o", "jsonpath={range .items[*]}{.metadata.name}={.status.readyToUse}{\"\\n\"}{end}");
        Assert.Contains(snapshots.Split('\n'), l => l.StartsWith("planner-state-reset-", StringComparison.Ordinal) && l.EndsWith("=true", StringComparison.Ordinal));
        var newPods = await KubectlAsync("get", "pods", "-n", "kosmos", "-l", "app=planner", "-o", "jsonpath={.items[*].metadata.uid}");
        Assert.Empty(newPods.Split(' ', StringSplitOptions.RemoveEmptyEntries).Intersect(oldPods.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        var describe = await KubectlAsync("describe", "deployment", "planner", "-n", "kosmos");
        Assert.Contains("KosmosAction", describe, StringComparison.Ordinal);
        Assert.Contains("approved by cora (IncidentCommander)", describe, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reset_ChangedSinceRequest_ApprovalVoidAndNothingApplied()
    {
        var claimUid = await KubectlAsync("get", "pvc", "archivist-state", "-n", "kosmos", "-o", "jsonpath={.metadata.uid}");
        using var ada = await DemoSignIn.ClientAsync(host.BaseAddress, "ada", KosmosRoles.Operator);
        using var cora = await DemoSignIn.ClientAsync(host.BaseAddress, "cora", KosmosRoles.IncidentCommander);
        var preview = await OkAsync(ada, "/api/agents/kosmos/archivist/actions/reset/preview", new { deleteClaim = true });
        using var confirm = await ada.SendAsync(DemoSignIn.Action("/api/agents/kosmos/archivist/actions/reset", Confirm(preview, new { deleteClaim = true, confirmName = "archivist" })));
        Assert.Equal(HttpStatusCode.Accepted, confirm.StatusCode);
        var approvalId = (await confirm.Content.ReadFromJsonAsync<JsonObject>())!["approvalId"]!.GetValue<string>();

        // A new generation of the Deployment since the request.
        (await host.Kubectl.RunAsync("-n", "kosmos", "set", "env", "deployment/archivist", "KOSMOS_TEST_CHANGE=1")).EnsureSuccess();
        try
        {
            var voided = await ProblemAsync(cora, $"/api/approvals/{approvalId}/approve", null, 409);

            Assert.Contains("changed since the request; request again. Nothing was applied.", voided, StringComparison.Ordinal);
            var request = await ada.GetFromJsonAsync<JsonObject>($"/api/approvals/{approvalId}");
            Assert.Equal("Void", request!["status"]!.GetValue<string>());
            Assert.Equal(claimUid, await KubectlAsync("get", "pvc", "archivist-state", "-n", "kosmos", "-o", "jsonpath={.metadata.uid}"));
        }
        finally
        {
            (await host.Kubectl.RunAsync("-n", "kosmos", "set", "env", "deployment/archivist", "KOSMOS_TEST_CHANGE-")).EnsureSuccess();
        }
    }

    [Fact]
    public async Task Approvals_BadInput_OneRequestOfFiveAndEveryRefusalSpecificAndNothingSent()
    {
        var pods = await KubectlAsync("get", "pods", "-n", "kosmos", "-l", "app=reviewer", "-o", "jsonpath={.items[*].metadata.uid}");
        using var ada = await DemoSignIn.ClientAsync(host.BaseAddress, "ada", KosmosRoles.Operator);
        using var victor = await DemoSignIn.ClientAsync(host.BaseAddress, "victor", KosmosRoles.Viewer);
        using var cora = await DemoSignIn.ClientAsync(host.BaseAddress, "cora", KosmosRoles.IncidentCommander);
        using var dora = await DemoSignIn.ClientAsync(host.BaseAddress, "dora", KosmosRoles.IncidentCommander);
        var preview = await OkAsync(ada, "/api/agents/kosmos/reviewer/actions/reset/preview", new { deleteClaim = false });
        var body = Confirm(preview, new { deleteClaim = false, confirmName = "reviewer" });

        // Five identical confirmations at once: one request; the others name it.
        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(async _ =>
        {
            using var response = await ada.SendAsync(DemoSignIn.Action("/api/agents/kosmos/reviewer/actions/reset", body));
            return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
        }));
        var accepted = Assert.Single(answers, a => a.Item1 == 202).Item2;
        var firstId = accepted["approvalId"]!.GetValue<string>();
        Assert.All(answers.Where(a => a.Item1 != 202), a =>
        {
            Assert.Equal(409, a.Item1);
            Assert.Matches($"already (awaits approval \\(request {firstId}|being requested or running)", a.Item2["detail"]!.GetValue<string>());
        });
        var pending = await ada.GetFromJsonAsync<JsonArray>("/api/approvals?status=Pending");
        Assert.Single(pending!, a => a!["name"]!.GetValue<string>() == "reviewer");
        await host.ResetSimStatsAsync();

        var viewer = await ProblemAsync(victor, $"/api/approvals/{firstId}/approve", null, 403);
        var operatorApproves = await ProblemAsync(ada, $"/api/approvals/{firstId}/approve", null, 403);
        var othersCancel = await ProblemAsync(cora, $"/api/approvals/{firstId}/cancel", null, 403);
        await OkAsync(ada, $"/api/approvals/{firstId}/cancel", null);
        var afterCancel = await ProblemAsync(cora, $"/api/approvals/{firstId}/approve", null, 409);
        var cancelAgain = await ProblemAsync(ada, $"/api/approvals/{firstId}/cancel", null, 409);

        Assert.Equal("victor (Viewer) may not approve actions: that needs the IncidentCommander role.", viewer);
        Assert.Equal("ada (Operator) may not approve actions: that needs the IncidentCommander role.", operatorApproves);
        Assert.StartsWith("Only the requester (ada) may cancel this request", othersCancel, StringComparison.Ordinal);
        Assert.Equal("This request was cancelled by ada; it cannot be approved. Request the action again.", afterCancel);
        Assert.Equal("This request was cancelled by ada; it cannot be cancelled. Request the action again.", cancelAgain);
        Assert.Empty((await host.GetSimStatsAsync()).WithVerbs(Mutations));

        using (var again = await ada.SendAsync(DemoSignIn.Action("/api/agents/kosmos/reviewer/actions/reset", body)))
        {
            Assert.Equal(System.Net.HttpStatusCode.Accepted, again.StatusCode);
            var secondId = (await again.Content.ReadFromJsonAsync<JsonObject>())!["approvalId"]!.GetValue<string>();
            await host.ResetSimStatsAsync();
            var noReason = await ProblemAsync(dora, $"/api/approvals/{secondId}/reject", new { reason = " " }, 422);
            await OkAsync(dora, $"/api/approvals/{secondId}/reject", new { reason = "not during the demo" });
            var afterReject = await ProblemAsync(cora, $"/api/approvals/{secondId}/approve", null, 409);
            var unknown = await ProblemAsync(cora, $"/api/approvals/{Guid.NewGuid():D}/approve", null, 404);

            Assert.Equal("A rejection needs a reason: {\"reason\": \"...\"}.", noReason);
            Assert.Equal("This request was rejected by dora (not during the demo); it cannot be approved. Request the action again.", afterReject);
            Assert.StartsWith("There is no approval request ", unknown, StringComparison.Ordinal);
            Assert.Empty((await host.GetSimStatsAsync()).WithVerbs(Mutations));
        }

        Assert.Equal(pods, await KubectlAsync("get", "pods", "-n", "kosmos", "-l", "app=reviewer", "-o", "jsonpath={.items[*].metadata.uid}"));
    }

    [Fact]
    public async Task VerifyAgain_BadInput_SpecificMessagesAndNothingSent()
    {
        using var ada = await DemoSignIn.ClientAsync(host.BaseAddress, "ada", KosmosRoles.Operator);
        using var victor = await DemoSignIn.ClientAsync(host.BaseAddress, "victor", KosmosRoles.Viewer);
        var pod = await FirstPodAsync("archivist");
        var preview = await OkAsync(ada, "/api/agents/kosmos/archivist/actions/restart-pod/preview", new { pod });
        var verified = await OkAsync(ada, "/api/agents/kosmos/archivist/actions/restart-pod", Confirm(preview, new { pod }));
        var id = verified["actionId"]!.GetValue<string>();
        var unknown = Guid.NewGuid();
        await host.ResetSimStatsAsync();

        var malformed = await ProblemAsync(ada, "/api/actions/not-a-guid/verify-again", null, 404);
        var missing = await ProblemAsync(ada, $"/api/actions/{unknown:D}/verify-again", null, 404);
        var viewer = await ProblemAsync(victor, $"/api/actions/{id}/verify-again", null, 403);
        var final = await ProblemAsync(ada, $"/api/actions/{id}/verify-again", null, 422);

        Assert.Equal("'not-a-guid' is not an action id (a GUID from the audit, GET /api/audit).", malformed);
        Assert.Contains($"There is no recorded action {unknown:D} to verify again.", missing, StringComparison.Ordinal);
        Assert.Contains("victor (Viewer) may not restart the pods of agents", viewer, StringComparison.Ordinal);
        Assert.Contains($"Action {id} (restart-pod of kosmos/archivist) ended Verified; only an Interrupted or Unverified action is verified again.", final, StringComparison.Ordinal);
        Assert.Empty((await host.GetSimStatsAsync()).WithVerbs(Mutations));
    }

    private static JsonObject Confirm(JsonObject preview, object values)
    {
        var body = JsonSerializerNode(values);
        var precondition = preview["precondition"]!;
        body["resourceVersion"] = precondition["resourceVersion"]!.GetValue<string>();
        body["generation"] = precondition["generation"]?.DeepClone();
        body["fingerprint"] = precondition["fingerprint"]?.DeepClone();
        return body;
    }

    private static JsonObject JsonSerializerNode(object values) => System.Text.Json.JsonSerializer.SerializeToNode(values)!.AsObject();

    private static async Task<JsonObject> OkAsync(HttpClient client, string path, object? body)
    {
        using var response = await client.SendAsync(DemoSignIn.Action(path, body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private static async Task<string> ProblemAsync(HttpClient client, string path, object? body, int status)
    {
        using var response = await client.SendAsync(DemoSignIn.Action(path, body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{path}: expected {status}, got {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!["detail"]!.GetValue<string>();
    }

    private async Task<string> FirstPodAsync(string agent) =>
        (await KubectlAsync("get", "pods", "-n", "kosmos", "-l", $"app={agent}", "-o", "jsonpath={.items[0].metadata.name}")).Trim();

    private async Task<string> KubectlAsync(params string[] args) => (await host.Kubectl.RunAsync(args)).EnsureSuccess().Stdout;

    private async Task<string> KubectlErrorAsync(params string[] args) => (await host.Kubectl.RunAsync(args)).Stderr;
}

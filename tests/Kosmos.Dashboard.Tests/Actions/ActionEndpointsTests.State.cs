using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Kosmos.Dashboard.Actions;
using Kosmos.Dashboard.Security;
using Kosmos.Recovery.Actions;
using Microsoft.Extensions.DependencyInjection;

namespace Kosmos.Dashboard.Tests.Actions;

/// <summary>export-state over HTTP, the export download, and what is refused before anything reaches the cluster (not even exec).</summary>
public sealed partial class ActionEndpointsTests
{
    private const string ExportPlanner = "/api/agents/kosmos/planner/actions/export-state";

    [Fact]
    public async Task ExportState_Operator_VerifiedKeptAndTheDownloadIsTheAgentsOwnExport()
    {
        using var operatorClient = await SignInAsync("ada", KosmosRoles.Operator);
        using var previewResponse = await operatorClient.SendAsync(Post(ExportPlanner + "/preview", csrf: true, new ActionBody()));
        Assert.Equal(HttpStatusCode.OK, previewResponse.StatusCode);
        var preview = (await previewResponse.Content.ReadFromJsonAsync<ActionPreviewMessage>())!;
        var pod = preview.Changes.Single().Path.Split(' ')[1];
        Assert.StartsWith("planner-", pod, StringComparison.Ordinal);
        Assert.Contains("python -m kosmos.tools.export_state --output /tmp/state.json", preview.Kubectl, StringComparison.Ordinal);

        using var response = await operatorClient.SendAsync(Post(ExportPlanner, csrf: true,
            new ActionBody(ResourceVersion: preview.Precondition.ResourceVersion, Fingerprint: preview.Precondition.Fingerprint)));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var outcome = JsonNode.Parse(body)!.AsObject();
        Assert.Equal("Verified", outcome["status"]!.GetValue<string>());
        var exportId = outcome["exportId"]!.GetValue<string>();
        Assert.Contains($"export {exportId}", outcome["verification"]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        using var download = await operatorClient.GetAsync($"/api/exports/{exportId}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/json", download.Content.Headers.ContentType?.MediaType);
        var bytes = await download.Content.ReadAsByteArrayAsync();
        var downloaded = JsonNode.Parse(bytes)!.AsObject();

        // What the runbook's own command prints in the same pod now (exportedAt differs; the conversations are the same).
        var own = (await host.Kubectl.RunAsync("exec", pod, "-n", "kosmos", "--", "python", "-m", "kosmos.tools.export_state")).EnsureSuccess();
        var reference = JsonNode.Parse(own.Stdout)!.AsObject();
        Assert.Equal("planner", downloaded["agent"]!.GetValue<string>());
        Assert.Equal(reference["conversations"]!.ToJsonString(), downloaded["conversations"]!.ToJsonString());

        var listed = await operatorClient.GetFromJsonAsync<List<StateExportMessage>>("/api/agents/kosmos/planner/exports");
        var row = Assert.Single(listed!, e => e.Id.ToString() == exportId);
        Assert.Equal((pod, bytes.LongLength, Convert.ToHexStringLower(SHA256.HashData(bytes)), "ada"), (row.Pod, row.Size, row.Sha256, row.CreatedBy));
        Assert.Equal(reference["conversations"]!.AsArray().Count, row.Conversations);

        // The temporary file in the pod is gone again.
        Assert.DoesNotContain("kosmos-export-", (await host.Kubectl.RunAsync("exec", pod, "-n", "kosmos", "--", "ls", "/tmp")).EnsureSuccess().Stdout, StringComparison.Ordinal);
        var audit = await host.Services.GetRequiredService<IAuditLog>().RecentAsync(100, CancellationToken.None);
        Assert.Contains(audit, e => e.ActionId.ToString() == outcome["actionId"]!.GetValue<string>() && e.Action == "export-state" && e.Status == "Verified" && e.User == "ada");
    }

    [Fact]
    public async Task ExportDownload_Viewer_403_AndUnknownId_404()
    {
        using var operatorClient = await SignInAsync("ada", KosmosRoles.Operator);
        using var viewer = await SignInAsync("victor", KosmosRoles.Viewer);

        using var forbidden = await viewer.GetAsync($"/api/exports/{Guid.NewGuid()}");
        using var missing = await operatorClient.GetAsync($"/api/exports/{Guid.NewGuid()}");
        using var malformed = await operatorClient.GetAsync("/api/exports/not-an-id");

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/agents/kosmos/planner/exports")).StatusCode);
    }

    public static TheoryData<string, ActionBody, HttpStatusCode, string> BadExports => new()
    {
        { "researcher", new ActionBody(), HttpStatusCode.UnprocessableEntity, "Agent kosmos/researcher has no Ready pod to run the state tool in" },
        { "planner", new ActionBody { Pod = "planner-nope" }, HttpStatusCode.UnprocessableEntity, "Pod 'planner-nope' is not a pod of agent kosmos/planner" },
        { "ghost", new ActionBody(), HttpStatusCode.NotFound, "There is no agent kosmos/ghost" },
    };

    [Theory]
    [MemberData(nameof(BadExports))]
    public async Task ExportState_BadInput_SpecificMessage_AndNoExecReachesTheCluster(string agent, ActionBody body, HttpStatusCode code, string message)
    {
        using var operatorClient = await SignInAsync("ada", KosmosRoles.Operator);
        await host.ResetSimStatsAsync();

        using var preview = await operatorClient.SendAsync(Post($"/api/agents/kosmos/{agent}/actions/export-state/preview", csrf: true, body));
        using var run = await operatorClient.SendAsync(Post($"/api/agents/kosmos/{agent}/actions/export-state", csrf: true, body with { ResourceVersion = "1", Fingerprint = "x" }));

        Assert.Equal(code, preview.StatusCode);
        Assert.Contains(message, (await ProblemAsync(preview))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(run.StatusCode is HttpStatusCode.UnprocessableEntity or HttpStatusCode.NotFound, run.StatusCode.ToString());
        Assert.Equal(0, (await host.GetSimStatsAsync()).Count("pods", "exec"));
    }
}

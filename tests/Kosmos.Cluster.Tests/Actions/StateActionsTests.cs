using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kosmos.Cluster.Actions;
using Kosmos.Cluster.Exec;
using Kosmos.Recovery.Actions;
using Kosmos.TestSupport;

namespace Kosmos.Cluster.Tests.Actions;

/// <summary>
/// export-state and import-state at the handler level, against stateful agents (a claim mounted at /var/lib/kosmos) on the
/// simulator: the whole plan → apply → verify, and the inputs refused before anything reaches the cluster (not even exec).
/// </summary>
public sealed class StateActionsTests(RestartFixture fixture) : IClassFixture<RestartFixture>
{
    private readonly InMemoryExports _exports = new();

    [Fact]
    public async Task ExportThenImportAnEditedDocument_Verified_TheAddedConversationIsThere_AndTheSafetyExportIsTheOldState()
    {
        var agent = await CreateStatefulAgentAsync();
        var target = new AgentRef(fixture.Namespace, agent);
        var exported = await RunAsync(Export(), target, ActionRequest.None);
        Assert.True(exported.Verified, exported.Detail);
        var original = JsonNode.Parse(exported.Artifact!.Content)!.AsObject();
        Assert.Equal(2, original["conversations"]!.AsArray().Count);

        var edited = original.DeepClone().AsObject();
        edited["conversations"]!.AsArray().Add(new JsonObject { ["id"] = "added-by-import", ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hello" }) });
        var import = Import();
        var plan = await import.PlanAsync(target, new ImportStateRequest(edited.ToJsonString(), null).ToActionRequest(), null, CancellationToken.None);
        Assert.Contains(plan.Changes, c => c.Path == "conversation added-by-import" && c.After == "imported");
        Assert.Contains(plan.Changes, c => c.Path == "conversations" && c.Before!.StartsWith("2 in pod ", StringComparison.Ordinal) && c.After!.StartsWith("3 from the document", StringComparison.Ordinal));

        var applied = await import.ApplyAsync(plan, CancellationToken.None);
        var verified = await import.VerifyAsync(applied, null, RestartFixture.Timeout, CancellationToken.None);

        Assert.True(verified.Verified, verified.Detail);
        Assert.Contains("now exports exactly the document's 3 conversation(s)", verified.Detail, StringComparison.Ordinal);
        var safety = JsonNode.Parse(verified.Artifact!.Content)!.AsObject();
        Assert.Equal(original["conversations"]!.ToJsonString(), safety["conversations"]!.ToJsonString());
        var now = JsonNode.Parse(await ExportWithExecAsync(plan.Parameters[ImportStateAction.PodParameter]))!.AsObject();
        Assert.Null(ImportStateAction.Difference(edited["conversations"]!.AsArray(), now["conversations"]!.AsArray()));
        var tmp = await new PodExec(fixture.Api).RunAsync(fixture.Namespace, plan.Parameters[ImportStateAction.PodParameter], "agent", ["ls", "/tmp"], null, 65536, CancellationToken.None);
        Assert.DoesNotContain("kosmos-", tmp.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_ConfirmedAfterTheConversationsChanged_ConflictAndNothingImported()
    {
        // Two operators: one previews an import, another imports first; the first preview's list of what is replaced is stale.
        var agent = await CreateStatefulAgentAsync();
        var target = new AgentRef(fixture.Namespace, agent);
        var original = JsonNode.Parse((await RunAsync(Export(), target, ActionRequest.None)).Artifact!.Content)!.AsObject();
        var first = original.DeepClone().AsObject();
        first["conversations"]!.AsArray().Add(new JsonObject { ["id"] = "from-the-first", ["messages"] = new JsonArray() });
        var second = original.DeepClone().AsObject();
        second["conversations"]!.AsArray().Add(new JsonObject { ["id"] = "from-the-second", ["messages"] = new JsonArray() });
        var firstRequest = new ImportStateRequest(first.ToJsonString(), null).ToActionRequest();
        var previewed = await Import().PlanAsync(target, firstRequest, null, CancellationToken.None);
        Assert.True((await RunAsync(Import(), target, new ImportStateRequest(second.ToJsonString(), null).ToActionRequest())).Verified);

        var conflict = await Assert.ThrowsAsync<ActionException>(() => Import().PlanAsync(target, firstRequest, previewed.Precondition, CancellationToken.None));

        Assert.Equal(ActionFailure.Conflict, conflict.Failure);
        Assert.StartsWith($"The conversations in pod {previewed.Parameters[ImportStateAction.PodParameter]} of {target} changed since the preview (now 3)", conflict.Message, StringComparison.Ordinal);
        var now = JsonNode.Parse(await ExportWithExecAsync(previewed.Parameters[ImportStateAction.PodParameter]))!.AsObject();
        Assert.Null(ImportStateAction.Difference(second["conversations"]!.AsArray(), now["conversations"]!.AsArray()));

        // Unchanged since the preview: the same precondition plans again.
        var again = await Import().PlanAsync(target, firstRequest, (await Import().PlanAsync(target, firstRequest, null, CancellationToken.None)).Precondition, CancellationToken.None);
        Assert.Contains(again.Changes, c => c.Path == "conversation from-the-first" && c.After == "imported");
    }

    [Fact]
    public async Task ImportByExportId_OfThisAgentsExport_Verified()
    {
        var agent = await CreateStatefulAgentAsync();
        var target = new AgentRef(fixture.Namespace, agent);
        var exported = await RunAsync(Export(), target, ActionRequest.None);
        _exports.Add(target, exported.Artifact!);

        var imported = await RunAsync(Import(), target, new ImportStateRequest(null, exported.Artifact!.Id.ToString()).ToActionRequest());

        Assert.True(imported.Verified, imported.Detail);
    }

    public static TheoryData<string, string, string> BadDocuments => new()
    {
        { "not JSON", "{\"agent\": ", "The state document is not valid JSON" },
        { "wrong shape", """{"agent":"AGENT","exportedAt":"2026-12-06T03:00:00Z","conversations":[{"messages":[]}]}""", "conversations[0] has no \"id\"" },
        { "another agent's document", """{"agent":"archivist","exportedAt":"2026-12-06T03:00:00Z","conversations":[]}""", "exported from agent 'archivist', not 'AGENT'" },
        { "too large", """{"agent":"AGENT","exportedAt":"2026-12-06T03:00:00Z","conversations":[{"id":"x","pad":"PAD"}]}""", "more than the 4096 bytes this dashboard accepts" },
    };

    [Theory]
    [MemberData(nameof(BadDocuments))]
    public async Task Import_BadDocument_RefusedByTheRulesAndThePlan_NoExec(string name, string document, string message)
    {
        var agent = await CreateStatefulAgentAsync();
        var state = document.Replace("AGENT", agent, StringComparison.Ordinal).Replace("PAD", new string('x', 5000), StringComparison.Ordinal);
        var request = new ImportStateRequest(state, null).ToActionRequest();
        message = message.Replace("AGENT", agent, StringComparison.Ordinal);
        var import = Import(maxBytes: 4096);
        await ResetStatsAsync();

        var rules = import.Validate(request, fixture.Board.GetDetail(fixture.Namespace, agent)!);
        var planned = await Assert.ThrowsAsync<ActionException>(() => import.PlanAsync(new AgentRef(fixture.Namespace, agent), request, null, CancellationToken.None));

        Assert.False(rules.IsValid, name);
        Assert.Contains(message, rules.ErrorText, StringComparison.Ordinal);
        Assert.Equal(ActionFailure.Invalid, planned.Failure);
        Assert.Contains(message, planned.Message, StringComparison.Ordinal);
        Assert.Equal(0, await ExecCountAsync());
    }

    [Fact]
    public async Task Import_ExportIdOfAnotherAgent_Refused_NoExec()
    {
        var agent = await CreateStatefulAgentAsync();
        var id = Guid.NewGuid();
        _exports.Add(new AgentRef(fixture.Namespace, "someone-else"),
            new StateArtifact(id, "someone-else-1", Encoding.UTF8.GetBytes("""{"agent":"someone-else","exportedAt":"2026-12-06T03:00:00Z","conversations":[]}"""), "00", 0));
        await ResetStatsAsync();

        var refused = await Assert.ThrowsAsync<ActionException>(() =>
            Import().PlanAsync(new AgentRef(fixture.Namespace, agent), new ImportStateRequest(null, id.ToString()).ToActionRequest(), null, CancellationToken.None));
        var unknown = await Assert.ThrowsAsync<ActionException>(() =>
            Import().PlanAsync(new AgentRef(fixture.Namespace, agent), new ImportStateRequest(null, Guid.NewGuid().ToString()).ToActionRequest(), null, CancellationToken.None));

        Assert.Equal(ActionFailure.Invalid, refused.Failure);
        Assert.Equal($"Export {id} is of agent {fixture.Namespace}/someone-else, not {fixture.Namespace}/{agent}: an agent imports only its own exports (download it and import it as a document if that is really meant).", refused.Message);
        Assert.Equal(ActionFailure.NotFound, unknown.Failure);
        Assert.Equal(0, await ExecCountAsync());
    }

    [Theory]
    [InlineData("", "Import state needs \"state\" (a state document) or \"exportId\"")]
    [InlineData("both", "Import state takes \"state\" or \"exportId\", not both.")]
    [InlineData("bad-id", "exportId 'nope' is not an export id.")]
    public void ImportRequest_Rules(string kind, string message)
    {
        var request = kind switch
        {
            "both" => new ImportStateRequest("{}", Guid.NewGuid().ToString()),
            "bad-id" => new ImportStateRequest(null, "nope"),
            _ => new ImportStateRequest(null, null),
        };

        Assert.StartsWith(message, ImportStateRequest.Validate(request.ToActionRequest()).ErrorText, StringComparison.Ordinal);
    }

    private ExportStateAction Export() => new(fixture.Api, fixture.Board, new PodExec(fixture.Api), StateSettings.Default, TimeProvider.System);

    private ImportStateAction Import(long maxBytes = StateDocument.DefaultMaxBytes) =>
        new(fixture.Api, fixture.Board, new PodExec(fixture.Api), new StateSettings(maxBytes), _exports, TimeProvider.System);

    private static async Task<VerificationResult> RunAsync(IActionHandler handler, AgentRef target, ActionRequest request)
    {
        var plan = await handler.PlanAsync(target, request, null, CancellationToken.None);
        var applied = await handler.ApplyAsync(plan, CancellationToken.None);
        return await handler.VerifyAsync(applied, null, RestartFixture.Timeout, CancellationToken.None);
    }

    private async Task<string> ExportWithExecAsync(string pod)
    {
        var result = await new PodExec(fixture.Api).RunAsync(fixture.Namespace, pod, "agent", ["python", "-m", "kosmos.tools.export_state"], null, 1 << 20, CancellationToken.None);
        Assert.Equal(0, result.ExitCode);
        return result.StdoutText;
    }

    private async Task ResetStatsAsync() => (await fixture.SimControl.PostAsync("/sim/stats/reset", null)).EnsureSuccessStatusCode();

    private async Task<long> ExecCountAsync()
    {
        var stats = await fixture.SimControl.GetFromJsonAsync<JsonObject>("/sim/stats");
        return (long?)stats!["byResourceVerb"]?["pods:exec"] ?? 0;
    }

    /// <summary>A Deployment whose pod mounts its own claim at /var/lib/kosmos, as the demo's stateful agents do; ready on the board.</summary>
    private async Task<string> CreateStatefulAgentAsync()
    {
        var name = "stateful-" + Guid.NewGuid().ToString("N")[..8];
        await fixture.Api.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta { Name = name + "-state" },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = ["ReadWriteOnce"],
                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") } },
            },
        }, fixture.Namespace);
        await fixture.Api.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                    Spec = new V1PodSpec
                    {
                        TerminationGracePeriodSeconds = 1,
                        Containers = [new V1Container { Name = "agent", Image = $"kosmos/{name}:1.0", VolumeMounts = [new V1VolumeMount { Name = "state", MountPath = "/var/lib/kosmos" }] }],
                        Volumes = [new V1Volume { Name = "state", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = name + "-state" } }],
                    },
                },
            },
        }, fixture.Namespace);
        await Eventually.Until(() => fixture.ReadyPods(name) == 1, RestartFixture.Timeout, $"a ready pod of {name}");
        return name;
    }

    private sealed class InMemoryExports : IStateExports
    {
        private readonly List<(StateExportInfo Info, byte[] Content)> _items = [];

        public void Add(AgentRef agent, StateArtifact artifact) =>
            _items.Add((new StateExportInfo(artifact.Id, agent, artifact.Pod, artifact.Size, artifact.Sha256, artifact.Conversations, "test", DateTimeOffset.UtcNow), artifact.Content));

        public Task<IReadOnlyList<StateExportInfo>> ListAsync(AgentRef agent, int count, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<StateExportInfo>>([.. _items.Where(i => i.Info.Agent == agent).Select(i => i.Info)]);

        public Task<(StateExportInfo Info, byte[] Content)?> GetAsync(Guid id, CancellationToken cancellationToken) =>
            Task.FromResult<(StateExportInfo, byte[])?>(_items.FirstOrDefault(i => i.Info.Id == id) is { Info: not null } found ? found : null);
    }
}

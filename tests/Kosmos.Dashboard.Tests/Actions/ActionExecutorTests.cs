using Kosmos.Dashboard.Security;
using Kosmos.Recovery.Actions;

namespace Kosmos.Dashboard.Tests.Actions;

public sealed class ActionExecutorTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly ExecutorHarness _h = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task ExecuteAsync_Viewer_RefusedAuditedAndNothingTouched()
    {
        var outcome = await _h.RestartAsync(ExecutorHarness.User("victor", KosmosRoles.Viewer));

        Assert.Equal(ActionStatus.Refused, outcome.Status);
        Assert.False(outcome.Changed);
        Assert.Equal("victor (Viewer) may not restart agents: that needs the Operator role or higher.", outcome.Error);
        Assert.Equal((0, 0, 0), (_h.Handler.Plans, _h.Handler.Applies, _h.Handler.Verifies));
        var entry = Assert.Single(await _h.ReadAuditFromFileAsync());
        Assert.Equal(("victor", "Viewer", "Refused", "memory-agent", "restart"), (entry.User, entry.Role, entry.Status, entry.Agent, entry.Action));
        Assert.Contains("Apply: NotRun — not applied: nothing was changed", entry.Steps, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_OperatorWhoseSessionEnded_RefusedAuditedAndNothingTouched()
    {
        // A page left open after signing out in another tab: its circuit still holds the Operator's principal.
        var ada = _h.SignedIn("ada", KosmosRoles.Operator);
        Assert.Equal(ActionStatus.Verified, (await _h.RestartAsync(ada)).Status);
        _h.Sessions.End(ada.FindFirst(SessionRegistry.Claim)!.Value);

        var outcome = await _h.RestartAsync(ada);

        Assert.Equal(ActionStatus.Refused, outcome.Status);
        Assert.Equal("ada (Operator): this session has ended (signed out, or unused for 8 h). Sign in again; nothing was changed.", outcome.Error);
        Assert.Equal(1, _h.Handler.Applies);
        Assert.Equal(["Refused", "Verified"], (await _h.ReadAuditFromFileAsync()).Select(e => e.Status));
    }

    [Fact]
    public async Task ExecuteAsync_Anonymous_RefusedAsNotSignedIn()
    {
        var outcome = await _h.RestartAsync(ExecutorHarness.Anonymous);

        Assert.Equal(ActionStatus.Refused, outcome.Status);
        Assert.StartsWith("An anonymous user (not signed in) may not restart", outcome.Error, StringComparison.Ordinal);
        Assert.Equal(0, _h.Handler.Applies);
    }

    [Fact]
    public async Task ExecuteAsync_Operator_VerifiedAndPersistedWithPreviewAndSteps()
    {
        var outcome = await _h.RestartAsync(ExecutorHarness.User("ada", KosmosRoles.Operator));

        Assert.Equal(ActionStatus.Verified, outcome.Status);
        Assert.True(outcome.Changed);
        Assert.Equal((1, 1, 1), (_h.Handler.Plans, _h.Handler.Applies, _h.Handler.Verifies));
        var entry = Assert.Single(await _h.ReadAuditFromFileAsync());
        Assert.Equal(outcome.Id, entry.ActionId);
        Assert.Equal(("ada", "Operator", "Verified", "kosmos"), (entry.User, entry.Role, entry.Status, entry.Namespace));
        Assert.Contains("""spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"]: (none) → 2025-12-13T10:00:00Z""", entry.Preview, StringComparison.Ordinal);
        Assert.Equal("1/1 new pods ready; no old pods left", entry.Verification);
        Assert.Null(entry.Error);
        Assert.Equal(5, entry.Steps.Split('\n').Length);
    }

    [Fact]
    public async Task ExecuteAsync_Observers_ToldTheStartThenTheAuditedOutcome()
    {
        var outcome = await _h.RestartAsync(ExecutorHarness.User("ada", KosmosRoles.Operator));

        Assert.Collection(_h.Observer.Seen,
            first => Assert.Equal((outcome.Id, "ada (Operator)", ActionKind.Restart), (((ActionStart)first).Id, ((ActionStart)first).Actor.ToString(), ((ActionStart)first).Kind)),
            second => Assert.Same(outcome, second));
    }

    [Fact]
    public async Task ExecuteAsync_DoubleSubmit_SecondIsAlreadyRunningAndAppliesOnce()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _h.Handler.ApplyGate = gate;
        var ada = ExecutorHarness.User("ada", KosmosRoles.Operator);

        var first = _h.RestartAsync(ada);
        await _h.Handler.ApplyEntered.Task.WaitAsync(Timeout);
        Assert.True(_h.Executor.IsRunning(ActionKind.Restart, ExecutorHarness.Agent));
        var second = await _h.RestartAsync(ada).WaitAsync(Timeout);
        gate.SetResult();
        var firstOutcome = await first.WaitAsync(Timeout);

        Assert.Equal(ActionStatus.AlreadyRunning, second.Status);
        Assert.Equal(ActionStatus.Verified, firstOutcome.Status);
        Assert.Equal(1, _h.Handler.Applies);
        Assert.False(_h.Executor.IsRunning(ActionKind.Restart, ExecutorHarness.Agent));
        // The first attempt's record is written when it starts applying, before the second one's refusal: newest first.
        Assert.Equal(["AlreadyRunning", "Verified"], (await _h.ReadAuditFromFileAsync()).Select(e => e.Status));
    }

    [Fact]
    public async Task ExecuteAsync_UnknownAgent_NotFoundWithoutAskingTheCluster()
    {
        var outcome = await _h.RestartAsync(ExecutorHarness.User("ada", KosmosRoles.Operator), new AgentRef("kosmos", "ghost"));

        Assert.Equal(ActionStatus.NotFound, outcome.Status);
        Assert.Contains("There is no agent kosmos/ghost", outcome.Error, StringComparison.Ordinal);
        Assert.Equal(0, _h.Handler.Plans);
        Assert.Equal(StepState.Failed, outcome.StepOf(ActionStep.Validate).State);
    }

    [Fact]
    public async Task ExecuteAsync_ChangedSincePreview_ConflictAndNotApplied()
    {
        _h.Handler.PlanFailure = new ActionException(ActionFailure.Conflict, "Deployment kosmos/memory-agent changed since the preview.");

        var outcome = await _h.RestartAsync(ExecutorHarness.User("ada", KosmosRoles.IncidentCommander));

        Assert.Equal(ActionStatus.Conflict, outcome.Status);
        Assert.Equal(0, _h.Handler.Applies);
        Assert.Equal("Restart of kosmos/memory-agent not applied: Deployment kosmos/memory-agent changed since the preview. Nothing was changed.", outcome.Summary);
    }

    [Fact]
    public async Task ExecuteAsync_CancelledWhileVerifying_UnverifiedAndAudited()
    {
        _h.Handler.VerifyHangs = true;
        using var cancel = new CancellationTokenSource();

        var run = _h.RestartAsync(ExecutorHarness.User("ada", KosmosRoles.Operator), ct: cancel.Token);
        await _h.Handler.ApplyEntered.Task.WaitAsync(Timeout);
        await cancel.CancelAsync();
        var outcome = await run.WaitAsync(Timeout);

        Assert.Equal(ActionStatus.Unverified, outcome.Status);
        Assert.True(outcome.Changed);
        Assert.Contains("Verification was cancelled", outcome.Error, StringComparison.Ordinal);
        Assert.Equal("Unverified", Assert.Single(await _h.ReadAuditFromFileAsync()).Status);
    }

    [Fact]
    public async Task PreviewAsync_Viewer_RefusedAndAudited()
    {
        var result = await _h.Executor.PreviewAsync(ExecutorHarness.User("victor", KosmosRoles.Viewer), ActionKind.Restart, ExecutorHarness.Agent, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal(ActionStatus.Refused, result.Status);
        Assert.Equal(0, _h.Handler.Plans);
        Assert.Equal("Refused", Assert.Single(await _h.ReadAuditFromFileAsync()).Status);
    }

    [Fact]
    public async Task PreviewAsync_Operator_ReturnsDryRunWithoutAuditing()
    {
        var result = await _h.Executor.PreviewAsync(ExecutorHarness.User("ada", KosmosRoles.Operator), ActionKind.Restart, ExecutorHarness.Agent, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal("41", result.Plan!.Precondition.ResourceVersion);
        Assert.Equal(0, _h.Handler.Applies);
        Assert.Empty(await _h.ReadAuditFromFileAsync());
    }

    [Fact]
    public void RequiredPolicy_Restart_IsTheDashboardsOperatePolicy()
    {
        Assert.Equal(KosmosPolicies.Operate, ActionCatalog.Restart.RequiredPolicy);
    }

    [Fact]
    public async Task SetResources_PreviewThenConfirm_VerifiedAndAuditHasValuesBeforeAfter()
    {
        var ada = ExecutorHarness.User("ada", KosmosRoles.Operator);
        var preview = await _h.Executor.PreviewAsync(ada, ActionKind.SetResources, ExecutorHarness.Agent, Bump("1Gi"), CancellationToken.None);

        var outcome = await _h.Executor.ExecuteAsync(ada, ActionKind.SetResources, ExecutorHarness.Agent, preview.Plan!.Confirmation, progress: null, CancellationToken.None);

        Assert.Equal(ActionStatus.Verified, outcome.Status);
        Assert.Equal(Bump("1Gi"), outcome.Plan!.Request);
        var entry = Assert.Single(await _h.ReadAuditFromFileAsync());
        Assert.Equal("set-resources", entry.Action);
        Assert.Contains("spec.template.spec.containers[0].resources.limits.memory: 512Mi → 1Gi", entry.Preview, StringComparison.Ordinal);
        Assert.Contains("(values: container=agent, limits.memory=1Gi)", entry.Steps, StringComparison.Ordinal);
    }

    // Anyone who may list events in the namespace reads the Event: it names the ConfigMap, the key and who, never a value.
    // The audit keeps old → new for a ConfigMap, except for a key named like a secret.
    [Theory]
    [InlineData("KOSMOS_LOG_LEVEL", false)]
    [InlineData("KOSMOS_API_TOKEN", true)]
    public async Task SetConfigKey_Applied_EventCarriesNoValueAndAuditHidesASecretLookingOne(string key, bool hidden)
    {
        const string value = "PLANTED-value-4242";
        var ada = ExecutorHarness.User("ada", KosmosRoles.Operator);
        var request = new SetConfigKeyRequest("memory-config", key, value).ToActionRequest();
        var preview = await _h.Executor.PreviewAsync(ada, ActionKind.SetConfigKey, ExecutorHarness.Agent, request, CancellationToken.None);

        var outcome = await _h.Executor.ExecuteAsync(ada, ActionKind.SetConfigKey, ExecutorHarness.Agent, preview.Plan!.Confirmation, progress: null, CancellationToken.None);

        Assert.Equal(ActionStatus.Verified, outcome.Status);
        var (_, message) = Assert.Single(_h.Events.Recorded);
        Assert.DoesNotContain(value, message, StringComparison.Ordinal);
        Assert.Contains("requested by ada (Operator)", message, StringComparison.Ordinal);
        Assert.Contains($"kubectl patch configmap memory-config -n {ExecutorHarness.Agent.Namespace} --type=merge (data.{key}; value not recorded in events)", message, StringComparison.Ordinal);
        var entry = Assert.Single(await _h.ReadAuditFromFileAsync());
        var audited = string.Join('\n', entry.Preview, entry.Steps, entry.Verification, entry.Error);
        Assert.Equal(!hidden, audited.Contains(value, StringComparison.Ordinal));
        Assert.Equal(hidden, entry.Steps.Contains($"value={SecretNames.Hidden}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SetResources_ValuesOtherThanPreviewed_InvalidAuditedAndNotApplied()
    {
        var ada = ExecutorHarness.User("ada", KosmosRoles.Operator);
        var preview = await _h.Executor.PreviewAsync(ada, ActionKind.SetResources, ExecutorHarness.Agent, Bump("1Gi"), CancellationToken.None);
        var forged = preview.Plan!.Confirmation with { Request = Bump("4Gi") };

        var outcome = await _h.Executor.ExecuteAsync(ada, ActionKind.SetResources, ExecutorHarness.Agent, forged, progress: null, CancellationToken.None);

        Assert.Equal(ActionStatus.Invalid, outcome.Status);
        Assert.StartsWith("The values to apply (container=agent, limits.memory=4Gi) are not the ones previewed at resourceVersion 41", outcome.Error, StringComparison.Ordinal);
        Assert.Equal((1, 0), (_h.SetResources.Plans, _h.SetResources.Applies));
        var entry = Assert.Single(await _h.ReadAuditFromFileAsync());
        Assert.Equal("Invalid", entry.Status);
        Assert.Contains("Validate: Failed — The values to apply", entry.Steps, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetResources_NoFingerprint_InvalidAndNotApplied()
    {
        var outcome = await _h.Executor.ExecuteAsync(ExecutorHarness.User("ada", KosmosRoles.Operator), ActionKind.SetResources, ExecutorHarness.Agent,
            new Confirmation(new Precondition("41"), Bump("1Gi"), Fingerprint: null), progress: null, CancellationToken.None);

        Assert.Equal(ActionStatus.Invalid, outcome.Status);
        Assert.StartsWith("A set-resources must be confirmed with the fingerprint of its preview", outcome.Error, StringComparison.Ordinal);
        Assert.Equal(0, _h.SetResources.Plans);
    }

    [Fact]
    public async Task SetResources_PreviewOfAMalformedQuantity_InvalidWithoutAskingTheCluster()
    {
        var result = await _h.Executor.PreviewAsync(ExecutorHarness.User("ada", KosmosRoles.Operator), ActionKind.SetResources, ExecutorHarness.Agent,
            Bump("2Gx"), CancellationToken.None);

        Assert.Equal(ActionStatus.Invalid, result.Status);
        Assert.StartsWith("memory limit '2Gx' is not a valid quantity: quantities must match the regular expression", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, _h.SetResources.Plans);
    }

    [Fact]
    public async Task SetResources_Viewer_RefusedAndAudited()
    {
        var result = await _h.Executor.PreviewAsync(ExecutorHarness.User("victor", KosmosRoles.Viewer), ActionKind.SetResources, ExecutorHarness.Agent,
            Bump("1Gi"), CancellationToken.None);

        Assert.Equal(ActionStatus.Refused, result.Status);
        Assert.Equal("victor (Viewer) may not set the resources of agents: that needs the Operator role or higher.", result.Error);
        Assert.Equal(0, _h.SetResources.Plans);
        Assert.Equal(("Refused", "set-resources"), Assert.Single(await _h.ReadAuditFromFileAsync()) is var e ? (e.Status, e.Action) : default);
    }

    [Fact]
    public void Validate_LimitBelowTheOomEvidence_ValidWithTheWarning()
    {
        var validation = _h.Executor.Validate(ActionKind.SetResources, ExecutorHarness.Agent, Bump("384Mi"));

        Assert.True(validation.IsValid);
        Assert.StartsWith("Container agent was OOMKilled at a memory limit of 512Mi", Assert.Single(validation.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownAgent_NamesIt()
    {
        var validation = _h.Executor.Validate(ActionKind.SetResources, new AgentRef("kosmos", "ghost"), Bump("1Gi"));

        Assert.StartsWith("There is no agent kosmos/ghost", Assert.Single(validation.Errors), StringComparison.Ordinal);
    }

    private static ActionRequest Bump(string limit) => new SetResourcesRequest("agent", limit, null, null, null).ToActionRequest();
}

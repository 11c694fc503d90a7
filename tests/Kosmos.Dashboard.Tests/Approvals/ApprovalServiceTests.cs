using System.Security.Claims;
using Kosmos.Dashboard.Approvals;
using Kosmos.Dashboard.Security;
using Kosmos.Dashboard.Tests.Actions;
using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Approvals;
using Kosmos.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Kosmos.Dashboard.Tests.Approvals;

/// <summary>
/// The approval gate of the real executor and approval service over the real SQLite store, with a fake reset handler (it
/// counts applies) and a clock the test moves: typed confirmation, 202-style requests that change nothing, who may decide,
/// expiry, void on change, one pending per agent and action, break-glass, and persistence across a restart.
/// </summary>
public sealed class ApprovalServiceTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _clock = new(TestData.Now);
    private readonly ExecutorHarness _h;

    public ApprovalServiceTests() => _h = new ExecutorHarness(_clock);

    private static ClaimsPrincipal Ada => ExecutorHarness.User("ada", KosmosRoles.Operator);

    private static ClaimsPrincipal Cora => ExecutorHarness.User("cora", KosmosRoles.IncidentCommander);

    private static ClaimsPrincipal Ivan => ExecutorHarness.User("ivan", KosmosRoles.IncidentCommander);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Theory]
    [InlineData(null, "must be confirmed by typing the agent's name: send \"confirmName\": \"memory-agent\"")]
    [InlineData("memory-agen", "The typed name 'memory-agen' is not the agent's name 'memory-agent'")]
    public async Task Confirm_WrongOrMissingTypedName_InvalidAndNothingRequested(string? typed, string expected)
    {
        var outcome = await ConfirmResetAsync(Ada, typed);

        Assert.Equal(ActionStatus.Invalid, outcome.Status);
        Assert.Contains(expected, outcome.Error, StringComparison.Ordinal);
        Assert.Empty(await _h.Approvals.ListAsync(null, CancellationToken.None));
        Assert.Equal(0, _h.Reset.Applies);
    }

    [Fact]
    public async Task Confirm_RightName_AwaitingApprovalChangesNothingAndHoldsTheSealedPlan()
    {
        var outcome = await ConfirmResetAsync(Ada, "memory-agent");

        Assert.Equal(ActionStatus.AwaitingApproval, outcome.Status);
        Assert.False(outcome.Changed);
        Assert.Equal(0, _h.Reset.Applies);
        var request = Assert.Single(await _h.Approvals.ListAsync(ApprovalStatus.Pending, CancellationToken.None));
        Assert.Equal((outcome.ApprovalId, "ada"), (request.Id, request.RequestedBy.Name));
        Assert.Equal(TestData.Now.AddMinutes(15), request.ExpiresAt);
        Assert.Equal("true", request.Plan.Request.Values[Reset.DeleteClaimKey]);
        Assert.NotNull(request.Plan.Fingerprint);
        Assert.Equal("AwaitingApproval", Assert.Single(await _h.ReadAuditFromFileAsync()).Status);
    }

    [Fact]
    public async Task Approve_ByAnotherCommander_RunsWithBothNamesAndIsAudited()
    {
        var request = await RequestAsync(Cora);

        var decision = await _h.ApprovalService.ApproveAsync(Ivan, request.Id, CancellationToken.None);

        Assert.True(decision.Succeeded, decision.Error);
        Assert.Equal(ApprovalStatus.Approved, decision.Request!.Status);
        var actionId = decision.Request.ActionId!.Value;
        var entry = await Eventually.Until(() => _h.Audit.FindAsync(actionId, CancellationToken.None), e => e?.Status == "Verified", Timeout, "the approved reset to be verified");
        Assert.Equal(("cora", "ivan (IncidentCommander)", request.Id), (entry!.User, entry.ApprovedBy, entry.ApprovalId));
        Assert.Equal(1, _h.Reset.Applies);
        Assert.Contains(_h.Events.Recorded, e => e.Message.StartsWith("Reset requested by cora (IncidentCommander), approved by ivan (IncidentCommander)", StringComparison.Ordinal));

        var again = await _h.ApprovalService.ApproveAsync(ExecutorHarness.User("olga", KosmosRoles.IncidentCommander), request.Id, CancellationToken.None);
        Assert.Equal(ApprovalDecisionStatus.Conflict, again.Status);
        Assert.StartsWith("This request was already approved by ivan", again.Error, StringComparison.Ordinal);
        Assert.Equal(1, _h.Reset.Applies);
    }

    [Fact]
    public async Task Approve_SelfEvenAsCommander_Refused()
    {
        var request = await RequestAsync(Cora);

        var decision = await _h.ApprovalService.ApproveAsync(Cora, request.Id, CancellationToken.None);

        Assert.Equal(ApprovalDecisionStatus.Refused, decision.Status);
        Assert.Equal("cora requested this reset and may not approve it: another incident commander must (no self-approval, also for incident commanders).", decision.Error);
        Assert.Equal(ApprovalStatus.Pending, (await _h.Approvals.FindAsync(request.Id, CancellationToken.None))!.Status);
        Assert.Equal(0, _h.Reset.Applies);
    }

    [Fact]
    public async Task Approve_SameSubjectUnderAnotherDisplayName_RefusedAsSelfApproval()
    {
        // The issuer's subject is the person: renaming oneself (preferred_username) does not make a second person.
        var request = await RequestAsync(_h.SignedIn("cora", KosmosRoles.IncidentCommander, subject: "u-1001"));

        var decision = await _h.ApprovalService.ApproveAsync(_h.SignedIn("cora.backup", KosmosRoles.IncidentCommander, subject: "u-1001"), request.Id, CancellationToken.None);

        Assert.Equal(ApprovalDecisionStatus.Refused, decision.Status);
        Assert.StartsWith("cora.backup (as cora) requested this reset and may not approve it", decision.Error, StringComparison.Ordinal);
        Assert.Equal(0, _h.Reset.Applies);
    }

    [Fact]
    public async Task Approve_AnotherSubjectWithTheSameDisplayName_IsASecondPerson()
    {
        var request = await RequestAsync(_h.SignedIn("sam", KosmosRoles.IncidentCommander, subject: "u-1"));

        var decision = await _h.ApprovalService.ApproveAsync(_h.SignedIn("Sam", KosmosRoles.IncidentCommander, subject: "u-2"), request.Id, CancellationToken.None);

        Assert.True(decision.Succeeded, decision.Error);
        var stored = (await _h.Approvals.FindAsync(request.Id, CancellationToken.None))!;
        Assert.Equal(("oidc:https://issuer.test|u-1", "oidc:https://issuer.test|u-2"), (stored.RequestedBy.Id, stored.DecidedBy?.Id));
    }

    [Fact]
    public async Task Decisions_FromASessionThatHasEnded_RefusedAndNothingChanges()
    {
        // A commander's Approvals page left open after signing out in another tab keeps its principal; the session does not.
        var request = await RequestAsync(Ada);
        var ivan = _h.SignedIn("ivan", KosmosRoles.IncidentCommander);
        _h.Sessions.End(ivan.FindFirst(SessionRegistry.Claim)!.Value);

        var approve = await _h.ApprovalService.ApproveAsync(ivan, request.Id, CancellationToken.None);
        var reject = await _h.ApprovalService.RejectAsync(ivan, request.Id, "not now", CancellationToken.None);

        foreach (var decision in new[] { approve, reject })
        {
            Assert.Equal(ApprovalDecisionStatus.Refused, decision.Status);
            Assert.Equal("ivan (IncidentCommander): this session has ended (signed out, or unused for 8 h). Sign in again; nothing was changed.", decision.Error);
        }

        Assert.Equal(ApprovalStatus.Pending, (await _h.Approvals.FindAsync(request.Id, CancellationToken.None))!.Status);
        Assert.Equal(0, _h.Reset.Applies);
    }

    [Theory]
    [InlineData("victor", KosmosRoles.Viewer)]
    [InlineData("otto", KosmosRoles.Operator)]
    public async Task Approve_BelowIncidentCommander_Refused(string name, string role)
    {
        var request = await RequestAsync(Ada);

        var decision = await _h.ApprovalService.ApproveAsync(ExecutorHarness.User(name, role), request.Id, CancellationToken.None);

        Assert.Equal(ApprovalDecisionStatus.Refused, decision.Status);
        Assert.Equal($"{name} ({role}) may not approve actions: that needs the IncidentCommander role.", decision.Error);
        Assert.Equal(0, _h.Reset.Applies);
    }

    [Fact]
    public async Task Approve_AfterExpiry_RefusedAndExpired()
    {
        var request = await RequestAsync(Ada);
        _clock.SetUtcNow(TestData.Now.AddMinutes(15));

        var decision = await _h.ApprovalService.ApproveAsync(Cora, request.Id, CancellationToken.None);

        Assert.Equal(ApprovalDecisionStatus.Conflict, decision.Status);
        Assert.StartsWith("This request expired at 2025-12-13 10:15:00Z and can no longer be approved", decision.Error, StringComparison.Ordinal);
        Assert.Equal(ApprovalStatus.Expired, (await _h.Approvals.FindAsync(request.Id, CancellationToken.None))!.Status);
        Assert.Equal(0, _h.Reset.Applies);
    }

    [Fact]
    public async Task Approve_AfterCancelOrRejection_Refused()
    {
        var cancelled = await RequestAsync(Ada);
        Assert.Equal(ApprovalDecisionStatus.Refused, (await _h.ApprovalService.CancelAsync(Cora, cancelled.Id, CancellationToken.None)).Status);
        Assert.True((await _h.ApprovalService.CancelAsync(Ada, cancelled.Id, CancellationToken.None)).Succeeded);
        var afterCancel = await _h.ApprovalService.ApproveAsync(Cora, cancelled.Id, CancellationToken.None);

        var rejected = await RequestAsync(Ada);
        var noReason = await _h.ApprovalService.RejectAsync(Cora, rejected.Id, " ", CancellationToken.None);
        Assert.True((await _h.ApprovalService.RejectAsync(Cora, rejected.Id, "take a snapshot by hand first", CancellationToken.None)).Succeeded);
        var afterReject = await _h.ApprovalService.ApproveAsync(Ivan, rejected.Id, CancellationToken.None);

        Assert.StartsWith("This request was cancelled by ada; it cannot be approved", afterCancel.Error, StringComparison.Ordinal);
        Assert.Equal(ApprovalDecisionStatus.Invalid, noReason.Status);
        Assert.Equal("This request was rejected by cora (take a snapshot by hand first); it cannot be approved. Request the action again.", afterReject.Error);
        Assert.Equal(0, _h.Reset.Applies);
    }

    [Fact]
    public async Task Approve_PlanChangedSinceRequest_VoidAndNothingApplied()
    {
        var request = await RequestAsync(Ada);
        _h.Reset.Touches = ["deployment/memory-agent generation=4"];

        var decision = await _h.ApprovalService.ApproveAsync(Cora, request.Id, CancellationToken.None);

        Assert.Equal(ApprovalDecisionStatus.Conflict, decision.Status);
        Assert.StartsWith("Reset of kosmos/memory-agent changed since the request; request again. Nothing was applied.", decision.Error, StringComparison.Ordinal);
        Assert.Contains("deployment/memory-agent generation=3 is no longer so (now: deployment/memory-agent generation=4)", decision.Error, StringComparison.Ordinal);
        Assert.Equal(ApprovalStatus.Void, (await _h.Approvals.FindAsync(request.Id, CancellationToken.None))!.Status);
        Assert.Equal(0, _h.Reset.Applies);
    }

    [Fact]
    public async Task Confirm_FiveIdenticalAtOnce_OneRequest()
    {
        var preview = await _h.Executor.PreviewAsync(Ada, ActionKind.Reset, ExecutorHarness.Agent, Reset.Request(true), CancellationToken.None);
        var confirmation = preview.Plan!.Confirmation with { TypedName = "memory-agent" };

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Task.Run(() =>
            _h.Executor.ExecuteAsync(Ada, ActionKind.Reset, ExecutorHarness.Agent, confirmation, null, CancellationToken.None))));

        Assert.Single(outcomes, o => o.Status == ActionStatus.AwaitingApproval);
        Assert.All(outcomes.Where(o => o.Status != ActionStatus.AwaitingApproval), o =>
        {
            Assert.Equal(ActionStatus.AlreadyRunning, o.Status);
            Assert.True(o.Error!.Contains("already being requested or running", StringComparison.Ordinal) || o.Error.Contains("already awaits approval", StringComparison.Ordinal), o.Error);
        });
        Assert.Single(await _h.Approvals.ListAsync(null, CancellationToken.None));
        Assert.Equal(0, _h.Reset.Applies);
    }

    [Fact]
    public async Task BreakGlass_OffByDefault_Refused()
    {
        var preview = await _h.Executor.PreviewAsync(Cora, ActionKind.Reset, ExecutorHarness.Agent, Reset.Request(true), CancellationToken.None);

        var outcome = await _h.Executor.ExecuteAsync(Cora, ActionKind.Reset, ExecutorHarness.Agent,
            preview.Plan!.Confirmation with { TypedName = "memory-agent", BreakGlassReason = "prod down" }, null, CancellationToken.None);

        Assert.Equal(ActionStatus.Refused, outcome.Status);
        Assert.StartsWith("Break-glass is off (Kosmos:Approvals:BreakGlass is false)", outcome.Error, StringComparison.Ordinal);
        Assert.Equal(0, _h.Reset.Applies);
    }

    [Fact]
    public async Task BreakGlass_On_CommanderRunsAloneMarkedLoudly()
    {
        await using var h = new ExecutorHarness(_clock, breakGlass: true);
        var preview = await h.Executor.PreviewAsync(Cora, ActionKind.Reset, ExecutorHarness.Agent, Reset.Request(false), CancellationToken.None);

        var outcome = await h.Executor.ExecuteAsync(Cora, ActionKind.Reset, ExecutorHarness.Agent,
            preview.Plan!.Confirmation with { TypedName = "memory-agent", BreakGlassReason = "all commanders unreachable" }, null, CancellationToken.None);

        Assert.Equal(ActionStatus.Verified, outcome.Status);
        Assert.Equal("all commanders unreachable", outcome.BreakGlassReason);
        Assert.Equal("all commanders unreachable", Assert.Single(await h.ReadAuditFromFileAsync()).BreakGlassReason);
        Assert.Contains("BREAK-GLASS without approval: all commanders unreachable", Assert.Single(h.Events.Recorded).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pending_SurvivesARestartOfTheStore()
    {
        var request = await RequestAsync(Ada);

        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        Kosmos.Dashboard.Audit.AuditSetup.AddKosmosAudit(services, new Kosmos.Dashboard.Configuration.AuditSettings { ConnectionString = $"Data Source={_h.DatabasePath};Pooling=False" }, Path.GetTempPath());
        await using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);
        var fresh = new ApprovalStore(Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<
            Microsoft.EntityFrameworkCore.IDbContextFactory<Kosmos.Dashboard.Audit.AuditDbContext>>(provider), _clock);

        var found = Assert.Single(await fresh.ListAsync(ApprovalStatus.Pending, CancellationToken.None));
        Assert.Equal((request.Id, request.Plan), (found.Id, found.Plan));
    }

    private async Task<ApprovalRequest> RequestAsync(ClaimsPrincipal requester)
    {
        var outcome = await ConfirmResetAsync(requester, "memory-agent");
        Assert.Equal(ActionStatus.AwaitingApproval, outcome.Status);
        return (await _h.Approvals.FindAsync(outcome.ApprovalId!.Value, CancellationToken.None))!;
    }

    private async Task<ActionOutcome> ConfirmResetAsync(ClaimsPrincipal user, string? typed)
    {
        var preview = await _h.Executor.PreviewAsync(user, ActionKind.Reset, ExecutorHarness.Agent, Reset.Request(true), CancellationToken.None);
        Assert.True(preview.Succeeded, preview.Error);
        return await _h.Executor.ExecuteAsync(user, ActionKind.Reset, ExecutorHarness.Agent, preview.Plan!.Confirmation with { TypedName = typed }, null, CancellationToken.None)
            .WaitAsync(Timeout);
    }
}

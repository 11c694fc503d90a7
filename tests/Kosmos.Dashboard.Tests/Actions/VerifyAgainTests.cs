using Kosmos.Dashboard.Security;
using Kosmos.Recovery.Actions;

namespace Kosmos.Dashboard.Tests.Actions;

/// <summary>
/// Verify-again of an action a stopped dashboard (or a verify timeout) left unverified: the real executor and the real SQLite
/// audit; only the verification runs (nothing applied again) and the attempt has its own audit record.
/// </summary>
public sealed class VerifyAgainTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly ExecutorHarness _h = new();

    private static System.Security.Claims.ClaimsPrincipal Ada => ExecutorHarness.User("ada", KosmosRoles.Operator);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task VerifyAgainAsync_UnverifiedThenRecovered_VerifiedWithoutApplyingAgainAndAudited()
    {
        _h.Handler.Verification = new VerificationResult(false, "timed out: 0/1 new pods ready", 0, 1, TimeSpan.FromSeconds(5));
        var first = await _h.RestartAsync(Ada).WaitAsync(Timeout);
        Assert.Equal(ActionStatus.Unverified, first.Status);
        _h.Handler.Verification = new VerificationResult(true, "1/1 new pods ready; no old pods left", 1, 1, TimeSpan.FromSeconds(1));

        var again = await _h.Executor.VerifyAgainAsync(ExecutorHarness.User("bob", KosmosRoles.Operator), first.Id, null, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(ActionStatus.Verified, again.Status);
        Assert.Equal((1, 2), (_h.Handler.Applies, _h.Handler.Verifies));
        Assert.NotEqual(first.Id, again.Id);
        Assert.Equal(StepState.NotRun, again.StepOf(ActionStep.Apply).State);
        Assert.Contains($"verify again of action {first.Id:D} (Unverified, by ada)", again.StepOf(ActionStep.Validate).Detail, StringComparison.Ordinal);
        var records = await _h.ReadAuditFromFileAsync();
        Assert.Equal(2, records.Count);
        Assert.Equal("Unverified", records.Single(r => r.ActionId == first.Id).Status);
        Assert.Equal(("Verified", "bob"), (records.Single(r => r.ActionId == again.Id).Status, records.Single(r => r.ActionId == again.Id).User));
    }

    [Fact]
    public async Task VerifyAgainAsync_Viewer_RefusedAndNothingVerified()
    {
        _h.Handler.Verification = new VerificationResult(false, "timed out", 0, 1, TimeSpan.FromSeconds(5));
        var first = await _h.RestartAsync(Ada).WaitAsync(Timeout);

        var again = await _h.Executor.VerifyAgainAsync(ExecutorHarness.User("victor", KosmosRoles.Viewer), first.Id, null, CancellationToken.None);

        Assert.Equal(ActionStatus.Refused, again.Status);
        Assert.Equal("victor (Viewer) may not restart agents: that needs the Operator role or higher.", again.Error);
        Assert.Equal(1, _h.Handler.Verifies);
    }

    [Fact]
    public async Task VerifyAgainAsync_AlreadyVerified_Invalid()
    {
        var first = await _h.RestartAsync(Ada).WaitAsync(Timeout);

        var again = await _h.Executor.VerifyAgainAsync(Ada, first.Id, null, CancellationToken.None);

        Assert.Equal(ActionStatus.Invalid, again.Status);
        Assert.Equal($"Action {first.Id:D} (restart of kosmos/memory-agent) ended Verified; only an Interrupted or Unverified action is verified again.", again.Error);
        Assert.Equal(1, _h.Handler.Verifies);
    }

    [Fact]
    public async Task VerifyAgainAsync_StoppedBeforeFullyApplied_SaysWhichStepsWereDone()
    {
        _h.Handler.Steps = ["snapshot claim a", "delete claim a", "apply manifests"];
        _h.Handler.FailAtStep = 1;
        var first = await _h.RestartAsync(Ada).WaitAsync(Timeout);

        var again = await _h.Executor.VerifyAgainAsync(Ada, first.Id, null, CancellationToken.None);

        Assert.Equal(ActionStatus.Invalid, again.Status);
        Assert.StartsWith($"Action {first.Id:D} (restart) stopped before its change was fully applied, so there is nothing to verify: done: 1. snapshot claim a: Done", again.Error, StringComparison.Ordinal);
        Assert.Equal(0, _h.Handler.Verifies);
    }

    [Fact]
    public async Task VerifyAgainAsync_UnknownId_NotFoundAndNotAudited()
    {
        var id = Guid.NewGuid();

        var again = await _h.Executor.VerifyAgainAsync(Ada, id, null, CancellationToken.None);

        Assert.Equal((ActionStatus.NotFound, $"There is no recorded action {id:D} to verify again."), (again.Status, again.Error));
        Assert.Empty(await _h.ReadAuditFromFileAsync());
    }
}

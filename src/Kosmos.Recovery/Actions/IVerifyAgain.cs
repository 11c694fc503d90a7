using System.Security.Claims;

namespace Kosmos.Recovery.Actions;

/// <summary>
/// Verify-again: runs only the verification of an action the audit holds as <see cref="ActionStatus.Interrupted"/> or
/// <see cref="ActionStatus.Unverified"/> (the dashboard stopped, or the verify timed out), against the cluster as it is now.
/// Changes nothing in the cluster; writes its own audit record naming the original action.
/// </summary>
/// <remarks>Lifetime: a singleton (the <see cref="IActionExecutor"/>). Thread-safe. Errors are outcomes, not exceptions.
/// The cancellation token stops waiting (the outcome is then Unverified, "verification cancelled").</remarks>
public interface IVerifyAgain
{
    Task<ActionOutcome> VerifyAgainAsync(ClaimsPrincipal user, Guid actionId, IProgress<ActionProgress>? progress, CancellationToken cancellationToken);
}

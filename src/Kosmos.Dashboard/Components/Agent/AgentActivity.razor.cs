using System.Security.Claims;
using Kosmos.Recovery.Actions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Kosmos.Dashboard.Components.Agent;

/// <summary>
/// The agent's latest action as every viewer sees it ("Restart by ada — 1/2 new pods ready"), from the live activity stream,
/// and the audit's Interrupted records of this agent (a dashboard stopped while they ran) with their steps and a "Verify
/// again" button (the action's verification only, audited; the server authorises again).
/// </summary>
public sealed partial class AgentActivity : IDisposable
{
    private readonly CancellationTokenSource _lifetime = new();
    private ActionActivity? _latest;
    private IReadOnlyList<AuditEntry> _interrupted = [];
    private readonly Dictionary<Guid, ActionOutcome> _results = [];
    private readonly HashSet<Guid> _verifying = [];
    private ClaimsPrincipal _user = new(new ClaimsIdentity());
    private bool _canOperate;

    [Parameter, EditorRequired]
    public AgentRef Target { get; set; }

    [Inject]
    private IActionActivity Activity { get; set; } = default!;

    [Inject]
    private IAuditLog Audit { get; set; } = default!;

    [Inject]
    private IVerifyAgain Verifier { get; set; } = default!;

    [Inject]
    private IAuthorizationService Authorization { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    public void Dispose()
    {
        _lifetime.Cancel();
        _lifetime.Dispose();
    }

    protected override async Task OnInitializedAsync()
    {
        _user = AuthenticationState is null ? _user : (await AuthenticationState).User;
        _canOperate = (await Authorization.AuthorizeAsync(_user, ActionCatalog.OperatePolicy)).Succeeded;
        _latest = Activity.Latest(Target);
        _interrupted = [.. (await Audit.RecentAsync(200, _lifetime.Token))
            .Where(e => e.Namespace == Target.Namespace && e.Agent == Target.Name && e.Status == nameof(ActionStatus.Interrupted)).Take(3)];
        _ = FollowAsync(_lifetime.Token);
    }

    // Waits on the page's lifetime: leaving the page stops waiting (recorded as a cancelled verification), changes nothing.
    private async Task VerifyAgainAsync(Guid actionId)
    {
        if (!_verifying.Add(actionId))
        {
            return;
        }

        try
        {
            _results[actionId] = await Verifier.VerifyAgainAsync(_user, actionId, progress: null, _lifetime.Token);
        }
        catch (ObjectDisposedException)
        {
            // The page went away.
        }
        finally
        {
            _verifying.Remove(actionId);
        }
    }

    private async Task FollowAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var activity in Activity.WatchAsync(ct))
            {
                if (activity.Target == Target)
                {
                    _latest = activity;
                    await InvokeAsync(StateHasChanged);
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // The page went away between a value and its render.
        }
    }
}

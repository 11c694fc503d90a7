using System.Security.Claims;
using Kosmos.Dashboard.Actions;
using Kosmos.Dashboard.Approvals;
using Kosmos.Dashboard.Security;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Approvals;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Kosmos.Dashboard.Components.Approvals;

/// <summary>
/// The requests for approval, live: each with the sealed preview (changes and what is lost); for incident commanders,
/// Approve and Reject with a reason (the service authorises again and refuses one's own request); the progress of an
/// approved action as it runs.
/// </summary>
public sealed partial class ApprovalsPage : IDisposable
{
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Dictionary<Guid, string> _reasons = [];
    private readonly Dictionary<Guid, ActionActivity> _activity = [];
    private IReadOnlyList<ApprovalRequest>? _requests;
    private ClaimsPrincipal _user = new(new ClaimsIdentity());
    private bool _canApprove;
    private string? _error;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    private IApprovals Approvals { get; set; } = default!;

    [Inject]
    private IApprovalDecisions Service { get; set; } = default!;

    [Inject]
    private IActionActivity Activity { get; set; } = default!;

    [Inject]
    private IAuthorizationService Authorization { get; set; } = default!;

    public void Dispose()
    {
        _lifetime.Cancel();
        _lifetime.Dispose();
    }

    protected override async Task OnInitializedAsync()
    {
        _user = AuthenticationState is null ? _user : (await AuthenticationState).User;
        _canApprove = (await Authorization.AuthorizeAsync(_user, KosmosPolicies.Approve)).Succeeded;
        await LoadAsync();
        _ = FollowApprovalsAsync(_lifetime.Token);
        _ = FollowActivityAsync(_lifetime.Token);
    }

    private async Task LoadAsync()
    {
        _requests = [.. (await Approvals.ListAsync(null, _lifetime.Token)).Take(50)];
        foreach (var request in _requests)
        {
            _reasons.TryAdd(request.Id, "");
        }
    }

    // A courtesy: the service refuses self-approval whatever the page shows.
    private bool IsOwn(ApprovalRequest request) =>
        _user.Identity?.Name is { Length: > 0 } && ApprovalRules.IsSamePerson(request.RequestedBy, ActionExecutor.ActorOf(_user));

    private async Task ApproveAsync(Guid id)
    {
        var decision = await Service.ApproveAsync(_user, id, _lifetime.Token);
        _error = decision.Error;
        await LoadAsync();
    }

    private async Task RejectAsync(Guid id)
    {
        var decision = await Service.RejectAsync(_user, id, _reasons.GetValueOrDefault(id), _lifetime.Token);
        _error = decision.Error;
        await LoadAsync();
    }

    private async Task FollowApprovalsAsync(CancellationToken ct)
    {
        await foreach (var _ in Approvals.WatchAsync(ct))
        {
            await InvokeAsync(async () =>
            {
                await LoadAsync();
                StateHasChanged();
            });
        }
    }

    private async Task FollowActivityAsync(CancellationToken ct)
    {
        await foreach (var activity in Activity.WatchAsync(ct))
        {
            await InvokeAsync(() =>
            {
                _activity[activity.ActionId] = activity;
                StateHasChanged();
            });
        }
    }
}

using System.Security.Claims;
using Kosmos.Dashboard.Configuration;
using Kosmos.Dashboard.Incidents;
using Kosmos.Dashboard.Security;
using Kosmos.Dashboard.ViewModels;
using Kosmos.Recovery.Incidents;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;

namespace Kosmos.Dashboard.Components.Pages;

/// <summary>
/// One incident, live for everyone watching: the timeline (pushed, filterable), the checklist with who ticked what and
/// when, resolving with a root cause, and the post-mortem download. Ticking and resolving need an Operator or higher,
/// checked here on the server for each click, not only by hiding the controls.
/// </summary>
public sealed partial class IncidentPage
{
    private IncidentFeed _feed = default!;
    private ClaimsPrincipal _user = new(new ClaimsIdentity());
    private bool _canOperate;
    private string? _rootCause;
    private string? _error;

    [Parameter]
    public Guid Id { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    private IncidentService Incidents { get; set; } = default!;

    [Inject]
    private IAuthorizationService Authorization { get; set; } = default!;

    [Inject]
    private IOptions<KosmosOptions> Options { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    private Incident? Current => _feed.Incidents.GetValueOrDefault(Id) ?? Incidents.Get(Id);

    private TimeSpan Settle => TimeSpan.FromSeconds(Options.Value.Incidents.SettleSeconds);

    public ValueTask DisposeAsync() => _feed.DisposeAsync();

    protected override async Task OnInitializedAsync()
    {
        _feed = new IncidentFeed(Incidents, action => InvokeAsync(() =>
        {
            action();
            StateHasChanged();
        }));
        _feed.Start();
        _user = AuthenticationState is null ? _user : (await AuthenticationState).User;
        _canOperate = await MayOperateAsync();
    }

    private async Task TickAsync(ChecklistItem item)
    {
        _error = await MayOperateAsync()
            ? (await Incidents.TickAsync(Id, item, _user.Identity!.Name!, CancellationToken.None)).Error
            : "Ticking the checklist needs the Operator role or higher.";
    }

    private async Task ResolveAsync()
    {
        if (!await MayOperateAsync())
        {
            _error = "Resolving an incident needs the Operator role or higher.";
            return;
        }

        var result = await Incidents.ResolveAsync(Id, _rootCause, _user.Identity!.Name!, CancellationToken.None);
        _error = result.Error;
    }

    private async Task<bool> MayOperateAsync() =>
        _user.Identity is { IsAuthenticated: true, Name.Length: > 0 } && (await Authorization.AuthorizeAsync(_user, KosmosPolicies.Operate)).Succeeded;
}

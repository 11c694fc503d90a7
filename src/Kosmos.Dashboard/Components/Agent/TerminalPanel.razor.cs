using Kosmos.Dashboard.Security;
using Kosmos.Dashboard.Terminal;
using Kosmos.Recovery.Model;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;

namespace Kosmos.Dashboard.Components.Agent;

/// <summary>
/// Opens a shell in one of the agent's Ready pods in the page (xterm.js over the dashboard's own WebSocket, see
/// <see cref="TerminalEndpoint"/>). Logic is thin on purpose: the server decides who may and whether it is on.
/// </summary>
public sealed partial class TerminalPanel : IAsyncDisposable
{
    private ElementReference _screen;
    private IJSObjectReference? _module;
    private DotNetObjectReference<TerminalPanel>? _self;
    private bool _canOperate;
    private bool _open;
    private string? _pod;
    private string? _ended;

    [Parameter, EditorRequired]
    public string Namespace { get; set; } = "";

    [Parameter, EditorRequired]
    public IReadOnlyList<PodSnapshot> Pods { get; set; } = [];

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    private IAuthorizationService Authorization { get; set; } = default!;

    [Inject]
    private TerminalPolicy Policy { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    private IReadOnlyList<string> ReadyPods => [.. Pods.Where(p => p.IsReady && !p.IsTerminating).Select(p => p.Name)];

    private string? UnavailableReason => TerminalAvailability.Reason(Policy.Enabled, _canOperate, ReadyPods.Count);

    [JSInvokable]
    public Task Ended(string reason)
    {
        _open = false;
        _ended = reason.Length > 0 ? reason : "closed";
        return InvokeAsync(StateHasChanged);
    }

    public async ValueTask DisposeAsync()
    {
        if (_module is not null)
        {
            try
            {
                await _module.InvokeVoidAsync("close", _screen);
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone, and the browser's socket with it.
            }
        }

        _self?.Dispose();
    }

    protected override async Task OnParametersSetAsync()
    {
        if (AuthenticationState is not null)
        {
            _canOperate = (await Authorization.AuthorizeAsync((await AuthenticationState).User, KosmosPolicies.Operate)).Succeeded;
        }

        var ready = ReadyPods;
        if (_pod is null || !ready.Contains(_pod))
        {
            _pod = ready.Count > 0 ? ready[0] : null;
        }
    }

    private async Task OpenAsync()
    {
        _module ??= await JS.InvokeAsync<IJSObjectReference>("import", "./assets/js/terminal.js");
        _self ??= DotNetObjectReference.Create(this);
        _ended = null;
        _open = true;
        await _module.InvokeVoidAsync("open", _screen, Namespace, _pod, _self);
    }

    private async Task CloseAsync()
    {
        if (_module is not null)
        {
            await _module.InvokeVoidAsync("close", _screen);
        }

        _open = false;
    }
}

/// <summary>Why the terminal cannot be opened from this page, or null. Pure.</summary>
public static class TerminalAvailability
{
    public static string? Reason(bool enabled, bool canOperate, int readyPods) =>
        !enabled ? "The browser terminal is off on this dashboard (Kosmos:Terminal:Enabled)."
        : !canOperate ? $"Opening a shell in a pod needs the {KosmosRoles.Operator} role or higher."
        : readyPods == 0 ? "No Ready pod to open a shell in."
        : null;
}

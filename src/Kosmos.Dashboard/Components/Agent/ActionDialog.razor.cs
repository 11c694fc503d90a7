using System.Security.Claims;
using Kosmos.Dashboard.Approvals;
using Kosmos.Dashboard.Configuration;
using Kosmos.Dashboard.ViewModels;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Approvals;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace Kosmos.Dashboard.Components.Agent;

/// <summary>
/// (Values →) preview → confirm → (approval by a second person →) live progress → result for one action; the logic is in
/// <see cref="ActionDialogModel"/>. Generic: an action's values are edited by the <see cref="Editor"/> component its opener
/// names (any component with a <c>Model</c> parameter of type <see cref="ActionDialogModel"/>).
/// </summary>
public sealed partial class ActionDialog : IDisposable
{
    private readonly CancellationTokenSource _lifetime = new();
    private ActionDialogModel _model = default!;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    [Parameter, EditorRequired]
    public AgentRef Target { get; set; }

    [Parameter, EditorRequired]
    public ActionKind Kind { get; set; }

    [Parameter, EditorRequired]
    public ClaimsPrincipal User { get; set; } = default!;

    /// <summary>The values to edit first, for an action that takes some (set resources, set env); null for a restart.</summary>
    [Parameter]
    public IActionForm? Form { get; set; }

    /// <summary>
    /// The component that edits <see cref="Form"/> (its parameter <c>Model</c> gets the dialog's model). Null: the editor of
    /// the built-in forms (set env, set resources).
    /// </summary>
    [Parameter]
    public Type? Editor { get; set; }

    [Inject]
    private IActionExecutor Executor { get; set; } = default!;

    [Inject]
    private IApprovals Approvals { get; set; } = default!;

    [Inject]
    private IApprovalDecisions Decisions { get; set; } = default!;

    [Inject]
    private IActionActivity Activity { get; set; } = default!;

    [Inject]
    private IOptions<KosmosOptions> Options { get; set; } = default!;

    private int ExpiryMinutes => Options.Value.Approvals.ExpiryMinutes;

    private Type EditorType => Editor ?? Form switch
    {
        SetEnvForm => typeof(SetEnvEditor),
        SetImageForm => typeof(SetImageEditor),
        SetConfigKeyForm => typeof(SetConfigKeyEditor),
        _ => typeof(SetResourcesEditor),
    };

    private Dictionary<string, object?> EditorParameters => new() { ["Model"] = _model };

    public void Dispose()
    {
        _model.Changed -= OnModelChanged;

        // Leaving stops loading a preview; a confirmed action runs on in the background.
        _lifetime.Cancel();
        _lifetime.Dispose();
    }

    protected override void OnInitialized()
    {
        _model = new ActionDialogModel(Executor, User, Kind, Target, Form,
            new ActionDialogApprovals(Approvals, Decisions, Activity, Options.Value.Approvals.BreakGlass));
        _model.Changed += OnModelChanged;
    }

    protected override async Task OnInitializedAsync()
    {
        try
        {
            await _model.StartAsync(_lifetime.Token);
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            // Closed while loading.
        }
    }

    // Not the dialog's lifetime: closing the dialog or leaving the page does not stop the action (the executor stops it only
    // when the dashboard shuts down, and records it Interrupted). Following an approval request is the dialog's: closing it
    // leaves the request pending.
    private async Task ConfirmAsync()
    {
        await _model.ConfirmAsync(CancellationToken.None);
        if (_model.Phase == ActionDialogPhase.AwaitingApproval)
        {
            _ = FollowAsync();
        }
    }

    private async Task FollowAsync()
    {
        try
        {
            await _model.FollowApprovalAsync(_lifetime.Token);
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            // Closed: the request stays.
        }
        catch (ObjectDisposedException)
        {
            // Closed while following.
        }
    }

    private async Task CancelRequestAsync()
    {
        try
        {
            await _model.CancelRequestAsync(_lifetime.Token);
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            // Closed meanwhile.
        }
    }

    private async Task PreviewAsync()
    {
        try
        {
            await _model.LoadPreviewAsync(_lifetime.Token);
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            // Closed while loading.
        }
    }

    private void Close() => Dialog.Close();

    private void OnModelChanged() => _ = InvokeAsync(StateHasChanged);
}

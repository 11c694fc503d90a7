using System.Security.Claims;
using Kosmos.Dashboard.ViewModels;
using Kosmos.Recovery.Actions;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Kosmos.Dashboard.Components.Agent;

/// <summary>(Values →) preview → confirm → live progress → result for one action; the logic is in <see cref="ActionDialogModel"/>.</summary>
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

    [Inject]
    private IActionExecutor Executor { get; set; } = default!;

    public void Dispose()
    {
        _model.Changed -= OnModelChanged;

        // Leaving stops loading a preview; a confirmed action runs on in the background.
        _lifetime.Cancel();
        _lifetime.Dispose();
    }

    protected override void OnInitialized()
    {
        _model = new ActionDialogModel(Executor, User, Kind, Target, Form);
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
    // when the dashboard shuts down, and records it Interrupted).
    private Task ConfirmAsync() => _model.ConfirmAsync(CancellationToken.None);

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

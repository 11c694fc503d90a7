using Kosmos.Dashboard.Audit;
using Kosmos.Recovery.Actions;
using Microsoft.AspNetCore.Components;

namespace Kosmos.Dashboard.Components.Pages;

/// <summary>The most recent audit records (Viewer and above), reloaded live whenever the executor records an attempt.</summary>
public sealed partial class AuditPage
{
    private const int Count = 200;

    private IReadOnlyList<AuditEntry>? _entries;

    [Inject]
    private IAuditLog Audit { get; set; } = default!;

    [Inject]
    private AuditFeed Feed { get; set; } = default!;

    public void Dispose() => Feed.Written -= OnWritten;

    protected override async Task OnInitializedAsync()
    {
        Feed.Written += OnWritten;
        await LoadAsync();
    }

    private async Task LoadAsync() => _entries = await Audit.RecentAsync(Count, CancellationToken.None);

    // Raised on the executor's thread after the record is written: reload on the renderer.
    private void OnWritten(ActionOutcome outcome) => _ = InvokeAsync(async () =>
    {
        await LoadAsync();
        StateHasChanged();
    });
}

using Kosmos.Recovery.Actions;
using Microsoft.AspNetCore.Components;

namespace Kosmos.Dashboard.Components.Pages;

/// <summary>The most recent audit records (Viewer and above).</summary>
public sealed partial class AuditPage
{
    private const int Count = 200;

    private IReadOnlyList<AuditEntry>? _entries;

    [Inject]
    private IAuditLog Audit { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync() => _entries = await Audit.RecentAsync(Count, CancellationToken.None);
}

using Kosmos.Dashboard.ViewModels;
using Kosmos.Recovery.Actions;

namespace Kosmos.Dashboard.Tests.ViewModels;

public sealed class StateExportRowTests
{
    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(1024, "1 KiB")]
    [InlineData(3481, "3.4 KiB")]
    [InlineData(16 * 1024 * 1024, "16 MiB")]
    public void Bytes_AsAPersonReadsThem(long size, string text) => Assert.Equal(text, StateExportRow.Bytes(size));

    [Fact]
    public void From_ShortShaAndTheDownloadUrlRelativeToTheBase()
    {
        var id = Guid.Parse("0b7c2f0e-1111-4222-8333-944455556666");
        var at = new DateTimeOffset(2026, 12, 6, 3, 0, 0, TimeSpan.Zero);
        var row = StateExportRow.From(new StateExportInfo(id, new AgentRef("kosmos", "planner"), "planner-1", 2048, new string('a', 64), 3, "ada", at), at.AddMinutes(5));

        Assert.Equal(("aaaaaaaaaaaa…", "api/exports/0b7c2f0e-1111-4222-8333-944455556666", "2 KiB"), (row.ShortSha, row.DownloadUrl, row.Size));
        Assert.EndsWith("(5m ago)", row.When, StringComparison.Ordinal);
    }
}

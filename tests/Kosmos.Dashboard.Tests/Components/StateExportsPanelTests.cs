using Bunit;
using Kosmos.Dashboard.Components.Agent;
using Kosmos.Dashboard.Security;
using Kosmos.Recovery.Actions;

namespace Kosmos.Dashboard.Tests.Components;

public sealed class StateExportsPanelTests : ComponentTest
{
    private static readonly AgentRef Planner = new("kosmos", "planner");

    [Fact]
    public void Render_Operator_ListsTheAgentsExportsWithDownloadImportAndUpload()
    {
        Ctx.Auth.SetAuthorized("ada");
        Ctx.Auth.SetPolicies(KosmosPolicies.Operate);
        var id = Guid.NewGuid();
        Ctx.Exports.Add(new StateExportInfo(id, Planner, "planner-1", 2048, new string('b', 64), 2, "ada", Ctx.Time.GetUtcNow()), [1]);
        Ctx.Exports.Add(new StateExportInfo(Guid.NewGuid(), new AgentRef("kosmos", "archivist"), "archivist-1", 10, new string('c', 64), 1, "bob", Ctx.Time.GetUtcNow()), [1]);

        var cut = Ctx.Render<StateExportsPanel>(p => p.Add(x => x.Target, Planner));

        var row = Assert.Single(cut.FindAll("[data-testid=export-row]"));
        Assert.Equal(id.ToString(), row.GetAttribute("data-export"));
        Assert.Equal($"api/exports/{id:D}", row.QuerySelector("[data-testid=export-download]")!.GetAttribute("href"));
        Assert.False(row.QuerySelector("[data-testid=export-import]")!.HasAttribute("disabled"));
        Assert.NotNull(cut.Find("[data-testid=import-upload]"));
    }

    [Fact]
    public void Render_Viewer_NoDownload_AndSaysWhy()
    {
        Ctx.Auth.SetAuthorized("victor");
        Ctx.Exports.Add(new StateExportInfo(Guid.NewGuid(), Planner, "planner-1", 2048, new string('b', 64), 2, "ada", Ctx.Time.GetUtcNow()), [1]);

        var cut = Ctx.Render<StateExportsPanel>(p => p.Add(x => x.Target, Planner));

        Assert.Empty(cut.FindAll("[data-testid=export-download]"));
        Assert.Empty(cut.FindAll("[data-testid=import-upload]"));
        Assert.True(cut.Find("[data-testid=export-import]").HasAttribute("disabled"));
        Assert.Contains("needs the Operator role", cut.Find("[data-testid=exports-download-reason]").TextContent, StringComparison.Ordinal);
    }
}

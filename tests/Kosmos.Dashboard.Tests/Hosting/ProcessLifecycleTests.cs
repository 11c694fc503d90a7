using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Kosmos.Dashboard.Security;
using Kosmos.TestSupport;

namespace Kosmos.Dashboard.Tests.Hosting;

/// <summary>
/// The dashboard as its own process, stopped the hard ways while an action runs: SIGKILL (the audit record written before the
/// change says how far it got, and the next start marks it Interrupted) and SIGTERM (a clean exit 0 within seconds, the
/// action recorded Interrupted by the stopping process itself). The action is a restart of vector-store, whose image does not
/// exist: the rollout never completes, so the action is reliably still verifying when the process is stopped.
/// </summary>
public sealed class ProcessLifecycleTests : IDisposable
{
    private const string Agent = "/api/agents/kosmos/vector-store/actions/restart";

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kosmos-process-test-");

    private string Database => Path.Combine(_folder.FullName, "audit.db");

    [Fact]
    public async Task Sigkill_MidAction_NextStartFindsItInterruptedWithItsSteps()
    {
        Guid actionId;
        await using (var first = await DashboardProcess.StartAsync(Database))
        {
            using var ada = await DemoSignIn.ClientAsync(first.BaseAddress, "ada", KosmosRoles.Operator);
            var running = await StartRestartAsync(ada);
            actionId = running;
            await first.KillAsync();
        }

        await using var second = await DashboardProcess.StartAsync(Database);
        using var viewer = await DemoSignIn.ClientAsync(second.BaseAddress, "victor", KosmosRoles.Viewer);
        var entry = await AuditEntryAsync(viewer, actionId);

        Assert.Equal("Interrupted", entry["status"]!.GetValue<string>());
        var step = Assert.Single(entry["planSteps"]!.AsArray());
        Assert.Equal(("Done", "kubectl rollout restart deployment vector-store -n kosmos"),
            (step!["state"]!.GetValue<string>(), step["description"]!.GetValue<string>()));
        Assert.Contains("found unfinished at start-up", entry["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("Apply: Done", entry["steps"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigterm_MidAction_ExitsZeroWithinTenSecondsAndRecordsInterrupted()
    {
        Guid actionId;
        await using (var dashboard = await DashboardProcess.StartAsync(Database))
        {
            using var ada = await DemoSignIn.ClientAsync(dashboard.BaseAddress, "ada", KosmosRoles.Operator);
            actionId = await StartRestartAsync(ada);

            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            dashboard.Terminate();
            var exit = await dashboard.WaitForExitAsync(TimeSpan.FromSeconds(10));

            Assert.True(exit == 0, $"exit code {exit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none (still running after 10 s)"} after {stopwatch.Elapsed}:\n{dashboard.Output}");
            Assert.DoesNotContain("Unhandled exception", dashboard.Output, StringComparison.Ordinal);
        }

        // Read back by a new start: the stopping process recorded it itself, so there is nothing left for start-up to mark.
        await using var again = await DashboardProcess.StartAsync(Database);
        using var viewer = await DemoSignIn.ClientAsync(again.BaseAddress, "victor", KosmosRoles.Viewer);
        var entry = await AuditEntryAsync(viewer, actionId);
        Assert.Equal("Interrupted", entry["status"]!.GetValue<string>());
        Assert.Contains("The dashboard shut down during Verify", entry["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("marked Interrupted", again.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }

    // Previews and confirms a restart (the request stays open while it verifies), and waits until the audit shows it applied.
    private static async Task<Guid> StartRestartAsync(HttpClient client)
    {
        using var preview = await client.SendAsync(DemoSignIn.Action(Agent + "/preview"));
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var precondition = (await preview.Content.ReadFromJsonAsync<JsonObject>())!["precondition"]!;
        // With the generation: vector-store's status moves all the time (its image is missing), which is not a change of spec.
        _ = client.SendAsync(DemoSignIn.Action(Agent, new { resourceVersion = precondition["resourceVersion"]!.GetValue<string>(), generation = precondition["generation"]!.GetValue<long>() }))
            .ContinueWith(t => t.Exception, TaskScheduler.Default);
        var entry = await Eventually.Until(async () =>
        {
            var audit = await client.GetFromJsonAsync<JsonArray>("/api/audit?count=5");
            return audit!.FirstOrDefault(e => e!["agent"]!.GetValue<string>() == "vector-store" && e["status"]!.GetValue<string>() == "Running"
                && e["planSteps"]!.AsArray().Any(s => s!["state"]!.GetValue<string>() == "Done"));
        }, e => e is not null, DashboardHostFixture.Timeout, "the audit to show the restart applied and verifying");
        return Guid.Parse(entry!["actionId"]!.GetValue<string>());
    }

    private static async Task<JsonObject> AuditEntryAsync(HttpClient client, Guid actionId)
    {
        var audit = await client.GetFromJsonAsync<JsonArray>("/api/audit?count=50");
        return audit!.Single(e => e!["actionId"]!.GetValue<string>() == actionId.ToString("D"))!.AsObject();
    }
}

using Kosmos.Benchmarks.Report;
using Kosmos.Benchmarks.Scenarios;

namespace Kosmos.Benchmarks;

/// <summary>The program: parse the command line, run the chosen scenarios one after another, write the report.</summary>
public static class BenchmarkProgram
{
    /// <summary>Runs and returns the exit code: 0 when every scenario ran (targets missed included), 1 when one failed, 2 for bad arguments.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter log, CancellationToken ct)
    {
        BenchSettings settings;
        IReadOnlyList<IScenario> scenarios;
        try
        {
            settings = BenchSettings.Parse(args);
            scenarios = ScenarioCatalog.Select(settings.Scenarios);
        }
        catch (ArgumentException ex)
        {
            await log.WriteLineAsync(ex.Message);
            await log.WriteLineAsync(BenchSettings.Usage);
            return 2;
        }

        if (settings.ListOnly)
        {
            foreach (var scenario in ScenarioCatalog.All)
            {
                await log.WriteLineAsync($"{scenario.Name,-16} {scenario.Title}");
            }

            return 0;
        }

        var repository = FindRepository();
        var output = settings.Output ?? Path.Combine(repository, "docs", settings.IsQuick ? "benchmarks-quick.md" : "benchmarks.md");
        var started = DateTimeOffset.UtcNow;
        var loadAtStart = MachineInfo.LoadAverage();
        var results = new List<ScenarioResult>();
        var failed = false;
        await using (var context = new BenchContext(settings, log))
        {
            foreach (var scenario in scenarios)
            {
                context.Log($"{scenario.Name}: {scenario.Title}");
                var clock = System.Diagnostics.Stopwatch.StartNew();
                ScenarioResult result;
                try
                {
                    result = await scenario.RunAsync(context, ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    // One scenario's failure is a finding of the run, not the end of it.
                    failed = true;
                    result = new ScenarioResult(scenario.Name, scenario.Title) { Status = $"failed: {ex.GetType().Name}: {ex.Message}" };
                    context.Log($"{scenario.Name} failed: {ex}");
                }

                result.Duration = clock.Elapsed;
                results.Add(result);

                // After every scenario, so a run stopped part-way keeps what it measured.
                await WriteAsync(scenario.Name);
            }
        }

        await log.WriteLineAsync($"wrote {output} and {ReportWriter.JsonPath(output)} in {DateTimeOffset.UtcNow - started:h\\:mm\\:ss}");
        return failed ? 1 : 0;

        async Task WriteAsync(string last)
        {
            var mode = (settings.IsQuick ? "quick (small sizes: indicative only)" : "full") +
                (results.Count < scenarios.Count ? $" — partial: written after {last}, {scenarios.Count - results.Count} scenario(s) still to run" : "");
            var run = new RunInfo(started, DateTimeOffset.UtcNow - started, RunInfo.CommandLine(args), mode,
                await RunInfo.GitCommitAsync(repository), MachineInfo.Current(), loadAtStart, MachineInfo.LoadAverage());
            await ReportWriter.WriteAsync(output, run, results, CancellationToken.None);
        }
    }

    /// <summary>The checkout this program was built from (where KosmosDashboard.sln is), or the working directory.</summary>
    private static string FindRepository()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "KosmosDashboard.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return Directory.GetCurrentDirectory();
    }
}

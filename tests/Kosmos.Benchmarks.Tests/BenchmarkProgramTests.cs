using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Kosmos.Benchmarks.Tests;

/// <summary>The benchmark program end to end at tiny sizes: it runs, measures, and writes a report with figures in it.</summary>
public sealed partial class BenchmarkProgramTests(ITestOutputHelper output) : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("kosmos-bench-smoke-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task RunAsync_LatencyAtTinySize_WritesReportWithFiguresAndJson()
    {
        var report = Path.Combine(_dir.FullName, "benchmarks.md");
        using var log = new StringWriter();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var clock = Stopwatch.StartNew();

        var code = await BenchmarkProgram.RunAsync(
            ["latency", "--pods", "60", "--viewers", "1,2", "--duration", "1", "--rate", "10", "--poll-interval", "0.5", "--no-browser", "--out", report],
            log, deadline.Token);

        output.WriteLine($"took {clock.Elapsed}");
        output.WriteLine(log.ToString());
        Assert.Equal(0, code);
        var markdown = await File.ReadAllTextAsync(report);
        Assert.Contains("| machine | ", markdown, StringComparison.Ordinal);
        Assert.Contains("| command | `dotnet run -c Release --project tests/Kosmos.Benchmarks -- latency ", markdown, StringComparison.Ordinal);
        Assert.Contains("## Targets", markdown, StringComparison.Ordinal);
        Assert.Contains("## latency: ", markdown, StringComparison.Ordinal);
        Assert.Contains("### 60 pods, 6 agents", markdown, StringComparison.Ordinal);
        Assert.Matches(Row("hub p99, 2 hub viewers", "ms"), markdown);
        Assert.Matches(Row("hub p50, 1 hub viewer", "ms"), markdown);
        Assert.Matches(Row("API MB served per minute, 2 hub viewers", "MB/min"), markdown);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.ChangeExtension(report, ".json")));
        var latency = json.RootElement.GetProperty("results")[0];
        Assert.Equal("measured", latency.GetProperty("status").GetString());
        var rows = latency.GetProperty("tables")[0].GetProperty("rows").EnumerateArray().ToList();
        Assert.All(rows, row => Assert.Equal(JsonValueKind.Number, row.GetProperty("value").ValueKind));
    }

    /// <summary>A table row for <paramref name="metric"/> whose value is a number in <paramref name="unit"/> and whose polling baseline is a number too.</summary>
    private static Regex Row(string metric, string unit) =>
        new($@"\| {Regex.Escape(metric)} \| [\d,.]+ {Regex.Escape(unit)} \|[^|\n]*\|[^|\n]*\| [\d,.]+ {Regex.Escape(unit)} \| [\d.]+ \|");
}

using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kosmos.Benchmarks.Report;

/// <summary>Writes a run's results as Markdown (for people: docs/benchmarks.md) and as JSON next to it (every figure, raw).</summary>
public static class ReportWriter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static async Task WriteAsync(string markdownPath, RunInfo run, IReadOnlyList<ScenarioResult> results, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(markdownPath))!);
        await File.WriteAllTextAsync(markdownPath, Markdown(run, results, Path.GetFileName(JsonPath(markdownPath))), ct);
        await File.WriteAllTextAsync(JsonPath(markdownPath), JsonSerializer.Serialize(new { run, results }, Json), ct);
    }

    public static string JsonPath(string markdownPath) => Path.ChangeExtension(markdownPath, ".json");

    public static string Markdown(RunInfo run, IReadOnlyList<ScenarioResult> results, string jsonName)
    {
        var md = new StringBuilder();
        md.AppendLine("# Benchmarks").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Written by `tests/Kosmos.Benchmarks` (see the README's \"Benchmarks\" section); every figure, raw, is in [{jsonName}]({jsonName}).");
        md.AppendLine("Ratios divide our figure by the polling baseline's for the same work: below 1 is better than polling.").AppendLine();
        md.AppendLine("| run | |").AppendLine("|---|---|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| date (UTC) | {run.StartedUtc:yyyy-MM-dd HH:mm} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| command | `{run.Command}` |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| mode | {run.Mode} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| commit | {run.Commit} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| machine | {run.Machine.Cores} cores, {run.Machine.MemoryGiB:0.#} GiB RAM, {run.Machine.Os} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| runtime | {run.Machine.Runtime}, {run.Machine.Gc} GC, {run.Machine.Configuration} build |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| load average (1 min) | {Number(run.LoadAtStart)} at start, {Number(run.LoadAtEnd)} at end |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| duration | {run.Duration:h\\:mm\\:ss} |").AppendLine();
        md.AppendLine("Everything runs in one process on the machine: the simulator (its HTTP API on a loopback socket), the dashboard (real Kestrel socket, " +
            "talking to the simulator over HTTP through KubernetesClient) and the measuring clients; Chromium runs beside it. They share the cores, " +
            "so these are figures for the whole system on this machine, not for the dashboard alone.").AppendLine();

        var targets = results.SelectMany(r => r.Tables.SelectMany(t => t.Rows.Where(row => row.Verdict != Verdict.None).Select(row => (r, t, row)))).ToList();
        md.AppendLine("## Targets").AppendLine();
        if (targets.Count == 0)
        {
            md.AppendLine("No figure with a target was measured in this run.").AppendLine();
        }
        else
        {
            md.AppendLine("| scenario | figure | value | target | verdict |").AppendLine("|---|---|---|---|---|");
            foreach (var (r, t, row) in targets)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} | {t.Title}: {row.Metric} | {Value(row.Value, row.Unit)} | {row.Target} | {VerdictText(row.Verdict)} |");
            }

            md.AppendLine();
        }

        foreach (var result in results)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"## {result.Name}: {result.Title}").AppendLine();
            if (result.Status != "measured")
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"**{result.Status}**").AppendLine();
            }

            foreach (var paragraph in result.Method)
            {
                md.AppendLine(paragraph).AppendLine();
            }

            foreach (var table in result.Tables)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"### {table.Title}").AppendLine();
                md.AppendLine("| figure | value | target | verdict | baseline (polling) | ratio |").AppendLine("|---|---:|---|---|---:|---:|");
                foreach (var row in table.Rows)
                {
                    md.AppendLine(CultureInfo.InvariantCulture,
                        $"| {row.Metric} | {Value(row.Value, row.Unit)} | {row.Target ?? ""} | {VerdictText(row.Verdict)} | {(row.Baseline is null ? "" : Value(row.Baseline, row.Unit))} | {Ratio(row.Ratio)} |");
                }

                md.AppendLine();
            }

            foreach (var note in result.Notes)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
            }

            if (result.Notes.Count > 0)
            {
                md.AppendLine();
            }

            md.AppendLine(CultureInfo.InvariantCulture, $"_{result.Name} took {result.Duration.TotalSeconds:0} s._").AppendLine();
        }

        return md.ToString();
    }

    private static string VerdictText(Verdict verdict) => verdict switch
    {
        Verdict.Pass => "pass",
        Verdict.Miss => "**miss**",
        _ => "",
    };

    private static string Value(double? value, string unit) => value switch
    {
        null => "n/a",
        var v when unit == "count" => v.Value.ToString("N0", CultureInfo.InvariantCulture),
        var v => $"{Number(v)} {unit}",
    };

    private static string Number(double? value) => value switch
    {
        null => "n/a",
        var v when Math.Abs(v.Value) >= 100 => v.Value.ToString("N0", CultureInfo.InvariantCulture),
        var v when Math.Abs(v.Value) >= 10 => v.Value.ToString("0.0", CultureInfo.InvariantCulture),
        var v => v.Value.ToString("0.00", CultureInfo.InvariantCulture),
    };

    private static string Ratio(double? ratio) => ratio switch
    {
        null => "",
        0 => "0",
        var r when r < 0.01 => r.Value.ToString("0.0000", CultureInfo.InvariantCulture),
        var r => r.Value.ToString("0.00", CultureInfo.InvariantCulture),
    };
}

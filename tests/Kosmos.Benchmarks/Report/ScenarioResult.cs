namespace Kosmos.Benchmarks.Report;

/// <summary>Whether a figure meets the target; <see cref="None"/> for figures without one.</summary>
public enum Verdict
{
    None,
    Pass,
    Miss,
}

/// <summary>
/// One figure of a scenario. <paramref name="Baseline"/> is the polling client's figure for the same work, when there is
/// one; <see cref="Ratio"/> is ours divided by it (below 1: we do better, for latencies and loads alike).
/// </summary>
public sealed record ResultRow(
    string Metric,
    double? Value,
    string Unit,
    string? Target = null,
    Verdict Verdict = Verdict.None,
    double? Baseline = null)
{
    public double? Ratio => Value is { } v && Baseline is { } b && b != 0 ? v / b : null;

    /// <summary>A row with a target: pass when <paramref name="meets"/> holds for the value (a missing value misses).</summary>
    public static ResultRow Checked(string metric, double? value, string unit, string target, Func<double, bool> meets, double? baseline = null) =>
        new(metric, value, unit, target, value is { } v && meets(v) ? Verdict.Pass : Verdict.Miss, baseline);
}

/// <summary>A table of figures under one heading (e.g. one fleet size).</summary>
public sealed class ResultTable(string title)
{
    public string Title { get; } = title;

    public List<ResultRow> Rows { get; } = [];

    public ResultRow Add(ResultRow row)
    {
        Rows.Add(row);
        return row;
    }
}

/// <summary>What one scenario measured (or why it did not), with its tables, how it measured, and raw figures for the JSON.</summary>
public sealed class ScenarioResult(string name, string title)
{
    public string Name { get; } = name;

    public string Title { get; } = title;

    /// <summary>"measured", or what stopped it ("not measured: ...", "failed: ...").</summary>
    public string Status { get; set; } = "measured";

    public TimeSpan Duration { get; set; }

    /// <summary>How the figures were taken: paragraphs for the report.</summary>
    public List<string> Method { get; } = [];

    public List<ResultTable> Tables { get; } = [];

    /// <summary>Findings and caveats of this run.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Extra raw figures for the JSON only (distributions, counters).</summary>
    public Dictionary<string, object?> Raw { get; } = [];

    public ResultTable Table(string title)
    {
        var table = new ResultTable(title);
        Tables.Add(table);
        return table;
    }
}

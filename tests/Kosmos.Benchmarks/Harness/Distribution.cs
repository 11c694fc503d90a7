namespace Kosmos.Benchmarks.Harness;

/// <summary>Percentiles of a set of samples (nearest rank), e.g. latencies in milliseconds.</summary>
public sealed class Distribution
{
    private readonly double[] _sorted;

    public Distribution(IEnumerable<double> samples)
    {
        _sorted = [.. samples.Order()];
    }

    public int Count => _sorted.Length;

    public double? P50 => Percentile(50);

    public double? P95 => Percentile(95);

    public double? P99 => Percentile(99);

    public double? Max => Count == 0 ? null : _sorted[^1];

    public double? Mean => Count == 0 ? null : _sorted.Average();

    public double? Percentile(double p)
    {
        if (Count == 0)
        {
            return null;
        }

        var rank = (int)Math.Ceiling(p / 100 * Count);
        return _sorted[Math.Clamp(rank - 1, 0, Count - 1)];
    }

    /// <summary>For the raw JSON.</summary>
    public object Summary() => new { count = Count, p50 = P50, p95 = P95, p99 = P99, max = Max, mean = Mean };
}

namespace Kosmos.Benchmarks.Harness;

/// <summary>An ordinary least-squares line through (x, y) points: its slope, intercept and R² (how much of y's spread the line explains).</summary>
public sealed record LinearFit(double Slope, double Intercept, double RSquared)
{
    /// <summary>The fit, or null with fewer than two distinct x values.</summary>
    public static LinearFit? Of(IReadOnlyList<(double X, double Y)> points)
    {
        if (points.Select(p => p.X).Distinct().Count() < 2)
        {
            return null;
        }

        var meanX = points.Average(p => p.X);
        var meanY = points.Average(p => p.Y);
        var sxx = points.Sum(p => (p.X - meanX) * (p.X - meanX));
        var sxy = points.Sum(p => (p.X - meanX) * (p.Y - meanY));
        var slope = sxy / sxx;
        var intercept = meanY - slope * meanX;
        var total = points.Sum(p => (p.Y - meanY) * (p.Y - meanY));
        var residual = points.Sum(p => Math.Pow(p.Y - (intercept + slope * p.X), 2));

        // All y equal: the flat line explains everything there is.
        return new LinearFit(slope, intercept, total == 0 ? 1 : 1 - residual / total);
    }
}

using Kosmos.Benchmarks.Harness;

namespace Kosmos.Benchmarks.Tests;

public sealed class LinearFitTests
{
    [Fact]
    public void Of_PointsOnALine_SlopeInterceptAndRSquaredOne()
    {
        var fit = LinearFit.Of([(0, 10), (10, 30), (20, 50), (30, 70)]);

        Assert.NotNull(fit);
        Assert.Equal(2, fit.Slope, 9);
        Assert.Equal(10, fit.Intercept, 9);
        Assert.Equal(1, fit.RSquared, 9);
    }

    [Fact]
    public void Of_NoisyPoints_RSquaredBelowOne()
    {
        var fit = LinearFit.Of([(0, 0), (0, 4), (10, 10), (10, 14), (20, 20), (20, 24)]);

        Assert.NotNull(fit);
        Assert.Equal(1, fit.Slope, 9);
        Assert.InRange(fit.RSquared, 0.9, 0.99);
    }

    [Fact]
    public void Of_OneDistinctX_Null()
    {
        Assert.Null(LinearFit.Of([(10, 1), (10, 2)]));
    }
}

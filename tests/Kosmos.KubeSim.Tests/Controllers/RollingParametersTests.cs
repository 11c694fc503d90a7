using System.Text.Json.Nodes;
using Kosmos.KubeSim.Controllers;

namespace Kosmos.KubeSim.Tests.Controllers;

public sealed class RollingParametersTests
{
    [Theory]
    [InlineData(null, null, 1, 1, 0)] // defaults 25%/25%: surge rounds up, unavailable down
    [InlineData(null, null, 4, 1, 1)]
    [InlineData(null, null, 10, 3, 2)]
    [InlineData("\"50%\"", "\"50%\"", 3, 2, 1)]
    [InlineData("0", "\"10%\"", 3, 0, 1)] // both zero after rounding: unavailable becomes 1
    [InlineData("2", "0", 5, 2, 0)]
    [InlineData("\"0%\"", "\"0%\"", 0, 0, 1)]
    public void Resolve_SurgeAndUnavailable_RoundsLikeTheDeploymentController(string? surge, string? unavailable, int replicas, int expectedSurge, int expectedUnavailable)
    {
        var resolved = RollingParameters.Resolve(surge is null ? null : JsonNode.Parse(surge), unavailable is null ? null : JsonNode.Parse(unavailable), replicas);

        Assert.Equal((expectedSurge, expectedUnavailable), resolved);
    }

    [Fact]
    public void Scaled_NotAPercentage_Throws()
    {
        Assert.Throws<FormatException>(() => RollingParameters.Scaled(JsonValue.Create("a lot"), 3, roundUp: true));
    }
}

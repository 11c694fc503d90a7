using Kosmos.Recovery.Health;

namespace Kosmos.Recovery.Tests.Health;

public sealed class HealthStatePresentationTests
{
    [Theory]
    [InlineData(HealthState.OOMKilled, "Out of memory", "error", "memory", 0)]
    [InlineData(HealthState.CrashLoopBackOff, "Crash loop", "error", "restart_alt", 1)]
    [InlineData(HealthState.ImagePull, "Image pull failing", "error", "cloud_off", 2)]
    [InlineData(HealthState.Unresponsive, "Unresponsive", "error", "heart_broken", 3)]
    [InlineData(HealthState.Degraded, "Degraded", "warning", "warning", 4)]
    [InlineData(HealthState.Pending, "Pending", "warning", "hourglass_top", 5)]
    [InlineData(HealthState.Unknown, "Unknown", "default", "help", 6)]
    [InlineData(HealthState.Recovered, "Recovered", "info", "healing", 7)]
    [InlineData(HealthState.Progressing, "Progressing", "info", "autorenew", 8)]
    [InlineData(HealthState.Healthy, "Healthy", "success", "check_circle", 9)]
    [InlineData(HealthState.ScaledToZero, "Scaled to zero", "default", "pause_circle", 10)]
    public void For_State_GivesLabelColourIconAndOrder(HealthState state, string label, string colour, string icon, int order)
    {
        var presentation = HealthStatePresentation.For(state);

        Assert.Equal(new HealthStatePresentation(state, label, colour, icon, order), presentation);
    }

    [Fact]
    public void For_EveryState_HasADistinctSortOrder()
    {
        var orders = Enum.GetValues<HealthState>().Select(s => HealthStatePresentation.For(s).SortOrder).ToList();

        Assert.Equal(orders.Count, orders.Distinct().Count());
    }

    [Fact]
    public void SortOrder_MixedStates_PutsFailuresBeforeWarningsBeforeHealthy()
    {
        HealthState[] states = [HealthState.Healthy, HealthState.Pending, HealthState.OOMKilled, HealthState.Progressing, HealthState.Degraded, HealthState.CrashLoopBackOff];

        var sorted = states.OrderBy(s => HealthStatePresentation.For(s).SortOrder).ToList();

        Assert.Equal(
            [HealthState.OOMKilled, HealthState.CrashLoopBackOff, HealthState.Degraded, HealthState.Pending, HealthState.Progressing, HealthState.Healthy],
            sorted);
    }

    [Fact]
    public void For_UndefinedValue_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => HealthStatePresentation.For((HealthState)99));
    }
}

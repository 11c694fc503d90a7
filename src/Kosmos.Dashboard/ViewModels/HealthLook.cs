using Kosmos.Recovery.Health;

namespace Kosmos.Dashboard.ViewModels;

/// <summary>
/// <see cref="HealthStatePresentation"/> looked up once per state: sorting a thousand agents compares often, and the
/// presentation is a fresh record on every call.
/// </summary>
public static class HealthLook
{
    private static readonly HealthStatePresentation[] ByState =
        [.. Enum.GetValues<HealthState>().OrderBy(s => (int)s).Select(HealthStatePresentation.For)];

    /// <summary>Every state, failing first (the board's and the wallboard's order).</summary>
    public static IReadOnlyList<HealthState> StatesInOrder { get; } =
        [.. Enum.GetValues<HealthState>().OrderBy(s => HealthStatePresentation.For(s).SortOrder)];

    public static HealthStatePresentation Of(HealthState state) => ByState[(int)state];

    /// <summary>Failing: anything but healthy, on its way there, recovered, or scaled to zero on purpose.</summary>
    public static bool IsFailing(HealthState state) =>
        state is not (HealthState.Healthy or HealthState.Progressing or HealthState.Recovered or HealthState.ScaledToZero);
}

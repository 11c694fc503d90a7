namespace Kosmos.Recovery.Health;

/// <summary>
/// How a <see cref="HealthState"/> looks in the UI. <see cref="Colour"/> is one of success, warning, error, info,
/// default (MudBlazor's palette names); <see cref="Icon"/> is a Material icon name; sorting by
/// <see cref="SortOrder"/> ascending puts failing agents first.
/// </summary>
public sealed record HealthStatePresentation(HealthState State, string Label, string Colour, string Icon, int SortOrder)
{
    public static HealthStatePresentation For(HealthState state) => state switch
    {
        HealthState.OOMKilled => new(state, "Out of memory", "error", "memory", 0),
        HealthState.CrashLoopBackOff => new(state, "Crash loop", "error", "restart_alt", 1),
        HealthState.ImagePull => new(state, "Image pull failing", "error", "cloud_off", 2),
        HealthState.Unresponsive => new(state, "Unresponsive", "error", "heart_broken", 3),
        HealthState.Degraded => new(state, "Degraded", "warning", "warning", 4),
        HealthState.Pending => new(state, "Pending", "warning", "hourglass_top", 5),
        HealthState.Unknown => new(state, "Unknown", "default", "help", 6),
        HealthState.Recovered => new(state, "Recovered", "info", "healing", 7),
        HealthState.Progressing => new(state, "Progressing", "info", "autorenew", 8),
        HealthState.Healthy => new(state, "Healthy", "success", "check_circle", 9),
        HealthState.ScaledToZero => new(state, "Scaled to zero", "default", "pause_circle", 10),
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "No presentation for this health state."),
    };
}

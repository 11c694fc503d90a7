using MudBlazor;

namespace Kosmos.Dashboard.Components.Shared;

/// <summary>
/// <see cref="Kosmos.Recovery.Health.HealthStatePresentation"/> names Material icons and palette colours; MudBlazor wants
/// SVG paths and its <see cref="Color"/>. Inline SVG needs no icon font, which a locked-down cluster may not serve.
/// </summary>
public static class HealthIcons
{
    public static string Svg(string materialName) => materialName switch
    {
        "memory" => Icons.Material.Filled.Memory,
        "restart_alt" => Icons.Material.Filled.RestartAlt,
        "cloud_off" => Icons.Material.Filled.CloudOff,
        "heart_broken" => Icons.Material.Filled.HeartBroken,
        "warning" => Icons.Material.Filled.Warning,
        "hourglass_top" => Icons.Material.Filled.HourglassTop,
        "autorenew" => Icons.Material.Filled.Autorenew,
        "check_circle" => Icons.Material.Filled.CheckCircle,
        "healing" => Icons.Material.Filled.Healing,
        "pause_circle" => Icons.Material.Filled.PauseCircle,
        _ => Icons.Material.Filled.Help,
    };

    public static Color Colour(string paletteName) => paletteName switch
    {
        "success" => Color.Success,
        "warning" => Color.Warning,
        "error" => Color.Error,
        "info" => Color.Info,
        _ => Color.Default,
    };

    /// <summary>The CSS class MudIcon gives a <see cref="Colour"/> (<c>mud-error-text</c>); none for the default, which inherits.</summary>
    public static string ColourClass(string paletteName) => Colour(paletteName) switch
    {
        Color.Default => "",
        var colour => $"mud-{colour.ToString().ToLowerInvariant()}-text",
    };
}

using System.Globalization;

namespace Kosmos.Recovery.Incidents;

/// <summary>Durations as a person reads them in a timeline or post-mortem: <c>45s</c>, <c>2m 05s</c>, <c>1h 03m</c>, <c>2d 4h</c>.</summary>
public static class Durations
{
    public static string Format(TimeSpan d)
    {
        if (d < TimeSpan.Zero)
        {
            return "-" + Format(-d);
        }

        var s = (long)Math.Floor(d.TotalSeconds);
        return s switch
        {
            < 60 => string.Create(CultureInfo.InvariantCulture, $"{s}s"),
            < 3600 => string.Create(CultureInfo.InvariantCulture, $"{s / 60}m {s % 60:00}s"),
            < 86400 => string.Create(CultureInfo.InvariantCulture, $"{s / 3600}h {s % 3600 / 60:00}m"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{s / 86400}d {s % 86400 / 3600}h"),
        };
    }
}

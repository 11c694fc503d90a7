using System.Globalization;
using System.Text;

namespace Kosmos.KubeSim.Runtime;

/// <summary>Go's time.Duration.String() for whole and fractional seconds, as kubelet messages print durations ("10s", "2m40s", "5m0s").</summary>
public static class GoDuration
{
    public static string Format(TimeSpan d)
    {
        if (d == TimeSpan.Zero)
        {
            return "0s";
        }

        var text = new StringBuilder();
        if (d < TimeSpan.Zero)
        {
            text.Append('-');
            d = d.Negate();
        }

        if (d < TimeSpan.FromSeconds(1))
        {
            return text.Append(CultureInfo.InvariantCulture, $"{d.TotalMilliseconds:0.###}ms").ToString();
        }

        var hours = (long)d.TotalHours;
        if (hours > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{hours}h");
        }

        if (hours > 0 || d.Minutes > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{d.Minutes}m");
        }

        var seconds = d.Seconds + d.Milliseconds / 1000.0;
        return text.Append(CultureInfo.InvariantCulture, $"{seconds:0.###}s").ToString();
    }
}

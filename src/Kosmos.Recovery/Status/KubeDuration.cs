using System.Globalization;

namespace Kosmos.Recovery.Status;

/// <summary>
/// Durations the way kubectl prints AGE and "(5m ago)": a port of apimachinery's
/// <c>duration.HumanDuration</c>, so the dashboard and a terminal next to it agree.
/// </summary>
public static class KubeDuration
{
    public const string UnknownText = "<unknown>";

    public static string Format(TimeSpan duration)
    {
        // Go converts with truncation toward zero; so does a C# cast.
        var seconds = (long)duration.TotalSeconds;

        // kubectl tolerates up to ~2s of clock skew before calling a future time invalid.
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 60 * 2)
        {
            return Invariant($"{seconds}s");
        }

        var minutes = seconds / 60;
        if (minutes < 10)
        {
            var s = seconds % 60;
            return s == 0 ? Invariant($"{minutes}m") : Invariant($"{minutes}m{s}s");
        }

        if (minutes < 60 * 3)
        {
            return Invariant($"{minutes}m");
        }

        var hours = seconds / 3600;
        if (hours < 8)
        {
            var m = minutes % 60;
            return m == 0 ? Invariant($"{hours}h") : Invariant($"{hours}h{m}m");
        }

        if (hours < 48)
        {
            return Invariant($"{hours}h");
        }

        if (hours < 24 * 8)
        {
            var h = hours % 24;
            return h == 0 ? Invariant($"{hours / 24}d") : Invariant($"{hours / 24}d{h}h");
        }

        if (hours < 24 * 365 * 2)
        {
            return Invariant($"{hours / 24}d");
        }

        if (hours < 24 * 365 * 8)
        {
            var dy = hours / 24 % 365;
            return dy == 0 ? Invariant($"{hours / 24 / 365}y") : Invariant($"{hours / 24 / 365}y{dy}d");
        }

        return Invariant($"{hours / 24 / 365}y");
    }

    /// <summary>Time from <paramref name="timestamp"/> to <paramref name="now"/>; <c>&lt;unknown&gt;</c> when there is no timestamp.</summary>
    public static string Since(DateTimeOffset? timestamp, DateTimeOffset now) =>
        timestamp is null ? UnknownText : Format(now - timestamp.Value);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

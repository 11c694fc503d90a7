using System.Globalization;
using Kosmos.Recovery.Model;
using Kosmos.Recovery.Status;

namespace Kosmos.Recovery.Health;

/// <summary>Wording shared by evidence lines, so they read the same everywhere.</summary>
internal static class Text
{
    public static string Count(int n, string singular, string? plural = null) =>
        n.ToString(CultureInfo.InvariantCulture) + " " + (n == 1 ? singular : plural ?? singular + "s");

    public static string Times(int n) => n == 1 ? "once" : Count(n, "time");

    /// <summary>" 5m ago", or nothing when the time is unknown.</summary>
    public static string Ago(DateTimeOffset? at, DateTimeOffset now) =>
        at is null ? "" : $" {KubeDuration.Since(at, now)} ago";

    public static string Duration(DateTimeOffset? since, DateTimeOffset now) => KubeDuration.Since(since, now);

    /// <summary>": message", or nothing when there is no message. A closing full stop is dropped: the line goes on.</summary>
    public static string Colon(string? message) =>
        string.IsNullOrWhiteSpace(message) ? "" : ": " + Clip(message.Trim().TrimEnd('.'));

    /// <summary>"exited 137 (OOMKilled)".</summary>
    public static string Exit(ContainerState.Terminated terminated)
    {
        var reason = !string.IsNullOrEmpty(terminated.Reason)
            ? terminated.Reason
            : terminated.Signal is > 0 ? string.Create(CultureInfo.InvariantCulture, $"signal {terminated.Signal}") : "no reason given";
        return string.Create(CultureInfo.InvariantCulture, $"exited {terminated.ExitCode} ({reason})");
    }

    // Termination messages and event messages can be whole stack traces; a line of evidence should stay a line.
    public static string Clip(string text, int max = 300) =>
        text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");
}

using System.Globalization;
using System.Text;

namespace Kosmos.Dashboard.ViewModels;

/// <summary>A log download that needs no JavaScript: an <c>&lt;a download&gt;</c> whose href is a data: URI built here.</summary>
public static class LogDownload
{
    public const string DataUriPrefix = "data:text/plain;charset=utf-8;base64,";

    public static string DataUri(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.Append(line).Append('\n');
        }

        return DataUriPrefix + Convert.ToBase64String(Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>"agent-7f9-abc_agent_previous_20251213-100405.log": which pod, container and run, and when it was saved.</summary>
    public static string FileName(string pod, string container, bool previous, DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"{Safe(pod)}_{Safe(container)}_{(previous ? "previous" : "current")}_{now.UtcDateTime:yyyyMMdd-HHmmss}.log");

    private static string Safe(string name) => new([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_')]);
}

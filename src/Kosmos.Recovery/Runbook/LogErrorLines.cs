using System.Text.RegularExpressions;

namespace Kosmos.Recovery.Runbook;

/// <summary>The lines of a crashed run worth reading first: its errors, or failing those, how it ended.</summary>
public static partial class LogErrorLines
{
    public const int DefaultMax = 12;

    public static bool IsErrorLike(string line) => ErrorWords().IsMatch(line);

    /// <summary>The last <paramref name="max"/> error-like lines (keeping their order), or the last lines when none look like errors.</summary>
    public static IReadOnlyList<string> Pick(IReadOnlyList<string> lines, int max = DefaultMax)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var errors = lines.Where(IsErrorLike).ToList();
        var source = errors.Count > 0 ? errors : lines;
        return [.. source.Skip(Math.Max(0, source.Count - max))];
    }

    [GeneratedRegex(@"\w*(error|exception)\b|\b(err|fatal|panic|traceback|failed|failure|refused|denied|unauthorized|forbidden|missing|not set|not found|no such|timed? ?out|killed|segmentation fault)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ErrorWords();
}

namespace Kosmos.Dashboard.ViewModels;

/// <summary>A piece of a log line; <see cref="IsMatch"/> pieces are highlighted.</summary>
public readonly record struct LogSegment(string Text, bool IsMatch);

/// <summary>Case-insensitive plain-text search in log lines (no regular expressions: pasted text must just work).</summary>
public static class LogSearch
{
    public static bool Matches(string line, string? query) =>
        !string.IsNullOrEmpty(query) && line.Contains(query, StringComparison.OrdinalIgnoreCase);

    /// <summary>The line cut into plain and matching pieces; a single plain piece when there is no query or no match.</summary>
    public static IReadOnlyList<LogSegment> Split(string line, string? query)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (string.IsNullOrEmpty(query))
        {
            return [new LogSegment(line, false)];
        }

        var segments = new List<LogSegment>();
        var start = 0;
        while (start <= line.Length)
        {
            var index = line.IndexOf(query, start, StringComparison.OrdinalIgnoreCase);
            if (index < 0)
            {
                break;
            }

            if (index > start)
            {
                segments.Add(new LogSegment(line[start..index], false));
            }

            segments.Add(new LogSegment(line.Substring(index, query.Length), true));
            start = index + query.Length;
        }

        if (start < line.Length || segments.Count == 0)
        {
            segments.Add(new LogSegment(line[start..], false));
        }

        return segments;
    }

    /// <summary>How many lines contain the query.</summary>
    public static int CountMatchingLines(IEnumerable<string> lines, string? query) =>
        string.IsNullOrEmpty(query) ? 0 : lines.Count(l => Matches(l, query));
}

using System.Text.RegularExpressions;

namespace Kosmos.Recovery.Runbook;

/// <summary>
/// The settings a crashed run printed at start (<c>config: KOSMOS_MODEL_URL=http://… KOSMOS_API_KEY=&lt;redacted&gt;</c>), name
/// and value, in the order printed; values that are masked or empty (<see cref="IsMasked"/>) are left out, as unknown. The only place the dashboard sees the values a container got
/// from a ConfigMap: the pod spec only names the key, and the dashboard does not read ConfigMaps. Pure.
/// </summary>
public static partial class CrashedRunSettings
{
    public static IReadOnlyList<KeyValuePair<string, string>> Read(IEnumerable<string> logLines)
    {
        ArgumentNullException.ThrowIfNull(logLines);
        return [.. logLines.Select(l => ConfigLine().Match(l)).Where(m => m.Success)
            .SelectMany(m => Setting().Matches(m.Groups["settings"].Value))
            .Where(s => !IsMasked(s.Groups["value"].Value))
            .Select(s => KeyValuePair.Create(s.Groups["name"].Value, s.Groups["value"].Value))
            .DistinctBy(s => s.Key, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Whether a printed value stands for one that was not printed: empty, asterisks (<c>***</c>, or a run of three inside it: <c>sk-***f00</c>), a placeholder in angle
    /// brackets (<c>&lt;redacted&gt;</c>, <c>&lt;hidden&gt;</c>, <c>&lt;nil&gt;</c>), or a masking word, bare or in brackets
    /// (<c>redacted</c>, <c>[REDACTED]</c>). Proposing such a value would write the mask into the configuration.
    /// </summary>
    public static bool IsMasked(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length == 0 || value.All(c => c is '*' or '•') || value.Contains("***", StringComparison.Ordinal) || (value.StartsWith('<') && value.EndsWith('>')) || MaskWord().IsMatch(value);
    }

    [GeneratedRegex(@"^[\[({]?(redacted|hidden|masked|secret|filtered|removed|sensitive)[\])}]?\z", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MaskWord();

    [GeneratedRegex(@"\bconfig: (?<settings>(?:[A-Z][A-Z0-9_]*=\S*\s*)+)$", RegexOptions.CultureInvariant)]
    private static partial Regex ConfigLine();

    [GeneratedRegex(@"(?<name>[A-Z][A-Z0-9_]*)=(?<value>\S*)", RegexOptions.CultureInvariant)]
    private static partial Regex Setting();
}

using System.Text.RegularExpressions;

namespace Kosmos.Recovery.Runbook;

/// <summary>
/// The settings a crashed run printed at start (<c>config: KOSMOS_MODEL_URL=http://… KOSMOS_API_KEY=&lt;redacted&gt;</c>), name
/// and value, in the order printed; redacted ones are left out. The only place the dashboard sees the values a container got
/// from a ConfigMap: the pod spec only names the key, and the dashboard does not read ConfigMaps. Pure.
/// </summary>
public static partial class CrashedRunSettings
{
    public static IReadOnlyList<KeyValuePair<string, string>> Read(IEnumerable<string> logLines)
    {
        ArgumentNullException.ThrowIfNull(logLines);
        return [.. logLines.Select(l => ConfigLine().Match(l)).Where(m => m.Success)
            .SelectMany(m => Setting().Matches(m.Groups["settings"].Value))
            .Where(s => s.Groups["value"].Value != "<redacted>")
            .Select(s => KeyValuePair.Create(s.Groups["name"].Value, s.Groups["value"].Value))
            .DistinctBy(s => s.Key, StringComparer.Ordinal)];
    }

    [GeneratedRegex(@"\bconfig: (?<settings>(?:[A-Z][A-Z0-9_]*=\S*\s*)+)$", RegexOptions.CultureInvariant)]
    private static partial Regex ConfigLine();

    [GeneratedRegex(@"(?<name>[A-Z][A-Z0-9_]*)=(?<value>\S*)", RegexOptions.CultureInvariant)]
    private static partial Regex Setting();
}

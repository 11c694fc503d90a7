using System.Text.RegularExpressions;
using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Runbook;

/// <summary>Configuration a crash points at: a missing Secret or ConfigMap (key), or an environment variable named in an error.</summary>
public sealed record ConfigHint(string What, string Detail);

/// <summary>Finds <see cref="ConfigHint"/>s in evidence lines and log lines, and checks named variables against the container's environment.</summary>
public static partial class ConfigHintFinder
{
    private static readonly HashSet<string> NotVariables = new(StringComparer.Ordinal)
    {
        "ERROR", "FATAL", "WARN", "WARNING", "INFO", "DEBUG", "TRACE", "CRITICAL", "HTTP", "HTTPS", "GET", "POST", "PUT", "DELETE",
        "URL", "URI", "API", "JSON", "YAML", "UTC", "TCP", "UDP", "TLS", "SSL", "DNS", "OOM", "EOF", "PID", "ID", "OK",
    };

    public static IReadOnlyList<ConfigHint> Find(IEnumerable<string> evidence, IEnumerable<string> logLines, IReadOnlyList<ContainerSnapshot> containers)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(logLines);
        ArgumentNullException.ThrowIfNull(containers);
        var hints = new List<ConfigHint>();
        var lines = evidence.Concat(logLines).ToList();
        foreach (var line in lines)
        {
            foreach (Match m in MissingObject().Matches(line))
            {
                hints.Add(new ConfigHint($"{m.Groups["kind"].Value.ToLowerInvariant()} {m.Groups["name"].Value}", "not found"));
            }

            foreach (Match m in MissingKey().Matches(line))
            {
                hints.Add(new ConfigHint(
                    $"{m.Groups["kind"].Value.ToLowerInvariant()} {m.Groups["name"].Value}/{m.Groups["key"].Value}",
                    "the key does not exist"));
            }
        }

        var envByName = containers
            .SelectMany(c => c.Env.Select(e => (Container: c.Name, Env: e)))
            .GroupBy(x => x.Env.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var envFrom = containers.SelectMany(c => c.EnvFrom).Select(e => e.Description).Distinct(StringComparer.Ordinal).ToList();
        foreach (var line in lines.Where(l => VariableContext().IsMatch(l)))
        {
            foreach (Match m in VariableName().Matches(line))
            {
                var name = m.Value;
                if (NotVariables.Contains(name) || (!name.Contains('_', StringComparison.Ordinal) && !envByName.ContainsKey(name)))
                {
                    continue;
                }

                hints.Add(envByName.TryGetValue(name, out var set)
                    ? new ConfigHint(name, $"named in an error; container {set.Container} sets it " + (set.Env.Kind == EnvVarSourceKind.Literal ? "to a literal value" : $"from {set.Env.Source}"))
                    : new ConfigHint(name, "named in an error; not set in the container's environment" + (envFrom.Count == 0 ? "" : $" (unless it comes from {string.Join(", ", envFrom)})")));
            }
        }

        return [.. hints.DistinctBy(h => h.What, StringComparer.Ordinal)];
    }

    [GeneratedRegex(@"(?<kind>secret|configmap)s? ""?(?<name>[a-z0-9][-a-z0-9.]*)""? not found", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MissingObject();

    [GeneratedRegex(@"couldn't find key (?<key>[-._a-zA-Z0-9]+) in (?<kind>Secret|ConfigMap) (?:[-a-z0-9]+/)?(?<name>[-a-z0-9.]+)", RegexOptions.CultureInvariant)]
    private static partial Regex MissingKey();

    [GeneratedRegex(@"env|environment|variable|not set|missing|required|undefined|KeyError|unset|empty", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex VariableContext();

    [GeneratedRegex(@"\b[A-Z][A-Z0-9_]{1,}\b", RegexOptions.CultureInvariant)]
    private static partial Regex VariableName();
}

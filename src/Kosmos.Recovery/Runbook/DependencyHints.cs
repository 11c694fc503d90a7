using System.Net;
using System.Text.RegularExpressions;
using Kosmos.Recovery.Health;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Runbook;

/// <summary>
/// A service an agent's environment points at (<c>MEMORY_URL=http://memory-agent:8080</c>). <see cref="Agent"/> is set
/// when the host is a name inside the cluster (<c>name</c>, <c>name.ns</c>, <c>name.ns.svc...</c>) and may be another agent.
/// </summary>
public sealed record DependencyHint(string EnvName, string Host, string? Namespace, string? Agent);

/// <summary>A dependency and how it is doing, as far as the board knows.</summary>
public sealed record DependencyStatus(DependencyHint Hint, HealthState? State, string Text)
{
    public static DependencyStatus From(DependencyHint hint, AgentSummary? agent)
    {
        ArgumentNullException.ThrowIfNull(hint);
        if (hint.Agent is null)
        {
            return new DependencyStatus(hint, null, "outside the cluster; not checked from here");
        }

        return agent is null
            ? new DependencyStatus(hint, null, $"no agent {hint.Agent} in {hint.Namespace} (a plain Service or something else; not checked)")
            : new DependencyStatus(hint, agent.Health.State, agent.Health.Summary);
    }

    /// <summary>Each of <paramref name="hints"/> with how it is doing, looking agents up with <paramref name="find"/> (namespace, name).</summary>
    public static IReadOnlyList<DependencyStatus> Resolve(IEnumerable<DependencyHint> hints, Func<string, string, AgentSummary?> find)
    {
        ArgumentNullException.ThrowIfNull(hints);
        ArgumentNullException.ThrowIfNull(find);
        return [.. hints.Select(h => From(h, h.Agent is null ? null : find(h.Namespace!, h.Agent)))];
    }
}

/// <summary>The services an agent's environment points at. Pure.</summary>
public static partial class DependencyHints
{
    /// <summary>
    /// The dependencies named by the containers' literal env values and, when the crashed run's log was read
    /// (<paramref name="crashedRunLog"/>), by the settings it printed: a URL usually comes from a ConfigMap
    /// (<c>configMapKeyRef</c>, <c>envFrom</c>), whose value the pod spec does not hold.
    /// </summary>
    public static IReadOnlyList<DependencyHint> FromEnv(IEnumerable<ContainerSnapshot> containers, string ns, string self, IEnumerable<string>? crashedRunLog = null)
    {
        ArgumentNullException.ThrowIfNull(containers);
        var literal = containers.SelectMany(c => c.Env)
            .Where(e => e.Kind == EnvVarSourceKind.Literal && !string.IsNullOrWhiteSpace(e.Value))
            .Select(e => KeyValuePair.Create(e.Name, e.Value!));
        var hints = new List<DependencyHint>();
        foreach (var (name, value) in literal.Concat(CrashedRunSettings.Read(crashedRunLog ?? [])))
        {
            if (HostOf(value) is not { } host || IPAddress.TryParse(host, out _) || host is "localhost")
            {
                continue;
            }

            var labels = host.Split('.');
            var inCluster = labels.Length == 1
                || labels.Length == 2
                || (labels.Length >= 3 && labels[2] == "svc");
            var hint = inCluster
                ? new DependencyHint(name, host, labels.Length >= 2 ? labels[1] : ns, labels[0])
                : new DependencyHint(name, host, null, null);
            if (hint.Agent != self || hint.Namespace != ns)
            {
                hints.Add(hint);
            }
        }

        return [.. hints.DistinctBy(h => h.Host, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>
    /// The in-cluster services named by URL in the crashed run's error lines (e.g. "dependency vector-store unavailable:
    /// connection refused (http://vector-store.kosmos.svc:8080)"): a dependency read from a ConfigMap or Secret is not in
    /// the pod spec's literal env, but the agent names it when it fails to reach it. External hosts are left out here.
    /// </summary>
    public static IReadOnlyList<DependencyHint> FromLog(IEnumerable<string> errorLines, string ns, string self)
    {
        ArgumentNullException.ThrowIfNull(errorLines);
        var hints = new List<DependencyHint>();
        foreach (Match m in errorLines.SelectMany(l => UrlInText().Matches(l)))
        {
            var url = m.Value.TrimEnd('.', ',', ';', ')', ']', '\'', '"');
            if (HostOf(url) is not { } host || IPAddress.TryParse(host, out _) || host is "localhost")
            {
                continue;
            }

            var labels = host.Split('.');
            if (labels.Length <= 2 || labels[2] == "svc")
            {
                var hint = new DependencyHint($"named in its error log: {url}", host, labels.Length >= 2 ? labels[1] : ns, labels[0]);
                if (hint.Agent != self || hint.Namespace != ns)
                {
                    hints.Add(hint);
                }
            }
        }

        return [.. hints.DistinctBy(h => h.Host, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>The host of a URL (<c>scheme://host[:port]/...</c>) or of <c>host:port</c>; null for anything else.</summary>
    public static string? HostOf(string value)
    {
        var text = value.Trim();
        if (text.Contains("://", StringComparison.Ordinal))
        {
            return Uri.TryCreate(text, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.Host) ? uri.Host.ToLowerInvariant() : null;
        }

        var m = HostPort().Match(text);
        return m.Success ? m.Groups["host"].Value.ToLowerInvariant() : null;
    }

    [GeneratedRegex(@"\b[a-z][a-z0-9+.-]*://[^\s]+", RegexOptions.CultureInvariant)]
    private static partial Regex UrlInText();

    [GeneratedRegex(@"^(?<host>[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)*):\d{1,5}$", RegexOptions.CultureInvariant)]
    private static partial Regex HostPort();
}

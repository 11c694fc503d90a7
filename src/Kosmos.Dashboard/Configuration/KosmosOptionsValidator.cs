using System.Text.RegularExpressions;
using Kosmos.Dashboard.Security;
using Kosmos.Recovery.Quantities;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Kosmos.Dashboard.Configuration;

/// <summary>Checks the whole Kosmos section at start and names every bad key, so a misconfiguration fails loudly and precisely.</summary>
public sealed partial class KosmosOptionsValidator : IValidateOptions<KosmosOptions>
{
    public ValidateOptionsResult Validate(string? name, KosmosOptions options)
    {
        var errors = new List<string>();
        if (!Enum.TryParse<ClusterMode>(options.Cluster.Mode, ignoreCase: true, out _))
        {
            errors.Add($"Kosmos:Cluster:Mode must be one of {string.Join(", ", Enum.GetNames<ClusterMode>())} (got '{options.Cluster.Mode}').");
        }

        for (var i = 0; i < options.Namespaces.Count; i++)
        {
            if (!DnsLabel().IsMatch(options.Namespaces[i] ?? ""))
            {
                errors.Add($"Kosmos:Namespaces:{i} must be a namespace name (lower-case letters, digits and '-', at most 63 characters; got '{options.Namespaces[i]}').");
            }
        }

        if (options.Simulator.Port is < 0 or > 65535)
        {
            errors.Add($"Kosmos:Simulator:Port must be 0 (any free port) or a port number up to 65535 (got {options.Simulator.Port}).");
        }

        if (options.Simulator.TimeScale is <= 0 or > 10_000 || double.IsNaN(options.Simulator.TimeScale))
        {
            errors.Add($"Kosmos:Simulator:TimeScale must be greater than 0 and at most 10000 (got {options.Simulator.TimeScale}).");
        }

        if (options.Cluster.KubeconfigPath is { Length: > 0 } path && !File.Exists(path))
        {
            errors.Add($"Kosmos:Cluster:KubeconfigPath names a file that does not exist: '{path}'.");
        }

        var auth = options.Auth;
        if (!auth.IsDemo && !auth.IsOpenIdConnect)
        {
            errors.Add($"Kosmos:Auth:Mode must be Demo or OpenIdConnect (got '{auth.Mode}').");
        }

        if (auth.IsOpenIdConnect)
        {
            if (!Uri.TryCreate(auth.Authority, UriKind.Absolute, out var authority)
                || !(authority.Scheme == Uri.UriSchemeHttps || (authority.Scheme == Uri.UriSchemeHttp && authority.IsLoopback)))
            {
                errors.Add($"Kosmos:Auth:Authority must be an https URL (http only on loopback) when Kosmos:Auth:Mode is OpenIdConnect (got '{auth.Authority}').");
            }

            foreach (var (value, role) in auth.RoleMapping.Where(m => !KosmosRoles.All.Contains(m.Value)))
            {
                errors.Add($"Kosmos:Auth:RoleMapping:{value} must be one of {string.Join(", ", KosmosRoles.All)} (got '{role}').");
            }

            if (string.IsNullOrWhiteSpace(auth.RoleClaim))
            {
                errors.Add("Kosmos:Auth:RoleClaim must name the ID token claim that carries roles or groups.");
            }

            if (string.IsNullOrWhiteSpace(auth.ClientId))
            {
                errors.Add("Kosmos:Auth:ClientId is required when Kosmos:Auth:Mode is OpenIdConnect.");
            }
        }

        if (options.Metrics.Access is not ("Anonymous" or "Viewer" or "Off"))
        {
            errors.Add($"Kosmos:Metrics:Access must be Anonymous, Viewer or Off (got '{options.Metrics.Access}').");
        }

        foreach (var (key, values, valid) in new[]
                 {
                     ("KnownProxies", options.Http.KnownProxies, (Func<string, bool>)(p => System.Net.IPAddress.TryParse(p, out _))),
                     ("KnownNetworks", options.Http.KnownNetworks, n => System.Net.IPNetwork.TryParse(n, out _)),
                     ("AllowedOrigins", options.Http.AllowedOrigins, o => Uri.TryCreate(o, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" && u.AbsolutePath == "/"),
                 })
        {
            for (var i = 0; i < values.Count; i++)
            {
                if (!valid(values[i] ?? ""))
                {
                    errors.Add($"Kosmos:Http:{key}:{i} is not {(key == "KnownProxies" ? "an IP address" : key == "KnownNetworks" ? "a CIDR network such as 10.0.0.0/8" : "an origin such as https://wallboard.example.com")} (got '{values[i]}').");
                }
            }
        }

        if (options.Audit.ConnectionString is { } audit && AuditDataSourceError(audit) is { } auditError)
        {
            errors.Add($"Kosmos:Audit:ConnectionString {auditError} (got '{audit}').");
        }

        if (options.Actions.VerifyTimeoutSeconds is < 1 or > 3600)
        {
            errors.Add($"Kosmos:Actions:VerifyTimeoutSeconds must be between 1 and 3600 (got {options.Actions.VerifyTimeoutSeconds}).");
        }

        if (options.Approvals.ExpiryMinutes is < 1 or > 1440)
        {
            errors.Add($"Kosmos:Approvals:ExpiryMinutes must be between 1 and 1440 (got {options.Approvals.ExpiryMinutes}).");
        }

        if (!string.IsNullOrWhiteSpace(options.Actions.ManifestsPath) && !Directory.Exists(options.Actions.ManifestsPath))
        {
            errors.Add($"Kosmos:Actions:ManifestsPath must be a folder with a sub-folder of manifests per agent (got '{options.Actions.ManifestsPath}', which does not exist).");
        }

        if (options.Actions.OomWatchSeconds is < 0 or > 3600)
        {
            errors.Add($"Kosmos:Actions:OomWatchSeconds must be between 0 and 3600 (got {options.Actions.OomWatchSeconds}).");
        }

        if (options.Actions.MaxStateBytes is < 1024 or > 1024L * 1024 * 1024)
        {
            errors.Add($"Kosmos:Actions:MaxStateBytes must be between 1024 and 1073741824 bytes (got {options.Actions.MaxStateBytes}).");
        }

        if (options.Terminal.IdleTimeoutSeconds is < 10 or > 86400)
        {
            errors.Add($"Kosmos:Terminal:IdleTimeoutSeconds must be between 10 and 86400 (got {options.Terminal.IdleTimeoutSeconds}).");
        }

        foreach (var (key, value) in new[] { ("MaxMemoryLimit", options.Actions.MaxMemoryLimit), ("MaxCpuLimit", options.Actions.MaxCpuLimit) })
        {
            if (!Quantity.TryParse(value?.Trim(), out var quantity, out var error))
            {
                errors.Add($"Kosmos:Actions:{key} must be a Kubernetes quantity such as 64Gi (got '{value}': {error}).");
            }
            else if (quantity.Sign <= 0)
            {
                errors.Add($"Kosmos:Actions:{key} must be more than zero (got '{value}').");
            }
        }

        if (options.Incidents.SettleSeconds is < 1 or > 86_400)
        {
            errors.Add($"Kosmos:Incidents:SettleSeconds must be between 1 and 86400 (got {options.Incidents.SettleSeconds}).");
        }

        if (options.Incidents.LogLines is < 1 or > 10_000)
        {
            errors.Add($"Kosmos:Incidents:LogLines must be between 1 and 10000 (got {options.Incidents.LogLines}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static string? AuditDataSourceError(string connectionString)
    {
        try
        {
            var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
            return string.IsNullOrWhiteSpace(dataSource) ? "must name a database file with Data Source=..." : null;
        }
        catch (ArgumentException ex)
        {
            return "is not a SQLite connection string: " + ex.Message;
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}

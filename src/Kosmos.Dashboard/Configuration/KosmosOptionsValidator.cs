using System.Text.RegularExpressions;
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
            if (!Uri.TryCreate(auth.Authority, UriKind.Absolute, out var authority) || authority.Scheme != Uri.UriSchemeHttps)
            {
                errors.Add($"Kosmos:Auth:Authority must be an https URL when Kosmos:Auth:Mode is OpenIdConnect (got '{auth.Authority}').");
            }

            if (string.IsNullOrWhiteSpace(auth.ClientId))
            {
                errors.Add("Kosmos:Auth:ClientId is required when Kosmos:Auth:Mode is OpenIdConnect.");
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

using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Quantities;

namespace Kosmos.Dashboard.Configuration;

/// <summary>The <c>Kosmos</c> configuration section. Bound once at start and validated (<see cref="KosmosOptionsValidator"/>).</summary>
public sealed class KosmosOptions
{
    public const string Section = "Kosmos";

    /// <summary>Namespaces whose agents are watched (Kosmos:Namespaces).</summary>
    public List<string> Namespaces { get; set; } = [];

    public ClusterOptions Cluster { get; set; } = new();

    public SimulatorSettings Simulator { get; set; } = new();

    public AuthSettings Auth { get; set; } = new();

    /// <summary>Kosmos:ReadOnly: every mutation is refused on the server (403 with the reason) and no action button is shown.</summary>
    public bool ReadOnly { get; set; }

    public HttpSettings Http { get; set; } = new();

    public MetricsSettings Metrics { get; set; } = new();

    public AuditSettings Audit { get; set; } = new();

    public ActionSettings Actions { get; set; } = new();

    public IncidentSettings Incidents { get; set; } = new();

    public TerminalSettings Terminal { get; set; } = new();

    public ApprovalSettings Approvals { get; set; } = new();

    /// <summary>The namespaces to watch: the configured ones, or <c>kosmos</c>.</summary>
    public IReadOnlyList<string> EffectiveNamespaces => Namespaces.Count > 0 ? Namespaces : ["kosmos"];
}

public sealed class ClusterOptions
{
    /// <summary>Auto | Simulated | Kubeconfig | InCluster (Kosmos:Cluster:Mode). Auto: kubeconfig or in-cluster when present, else the embedded simulator.</summary>
    public string Mode { get; set; } = nameof(ClusterMode.Auto);

    /// <summary>Kubeconfig file for Kubeconfig mode (default: KUBECONFIG or ~/.kube/config).</summary>
    public string? KubeconfigPath { get; set; }

    /// <summary>Kubeconfig context (default: the current context).</summary>
    public string? Context { get; set; }
}

public sealed class SimulatorSettings
{
    /// <summary>Loopback port of the embedded simulator; 0 picks a free one (Kosmos:Simulator:Port).</summary>
    public int Port { get; set; }

    /// <summary>Simulated seconds per real second (Kosmos:Simulator:TimeScale).</summary>
    public double TimeScale { get; set; } = 1;

    /// <summary>Seed the demo fleet from deploy/agents (Kosmos:Simulator:SeedDemoFleet).</summary>
    public bool SeedDemoFleet { get; set; } = true;
}

public enum ClusterMode
{
    Auto,
    Simulated,
    Kubeconfig,
    InCluster,
}

public sealed class AuthSettings
{
    /// <summary>Demo (the local demo sign-in: pick any name and role) or OpenIdConnect (Kosmos:Auth:Mode).</summary>
    public string Mode { get; set; } = "Demo";

    /// <summary>OpenID Connect issuer (Kosmos:Auth:Authority).</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>The ID token claim whose values give Kosmos roles (Kosmos:Auth:RoleClaim, e.g. roles or groups).</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>
    /// Role claim values → Kosmos roles (Kosmos:Auth:RoleMapping, e.g. <c>{"sre-oncall": "Operator"}</c>). When it has
    /// entries only they count; when empty, a value that is a Kosmos role name (Viewer, Operator, IncidentCommander) is that role.
    /// </summary>
    public Dictionary<string, string> RoleMapping { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The ID token claim shown as the person's name (Kosmos:Auth:NameClaim); then preferred_username, email, sub.</summary>
    public string NameClaim { get; set; } = "name";

    /// <summary>Demo sign-in against a real cluster is refused unless this is true (Kosmos:Auth:AllowDemoOnRealCluster).</summary>
    public bool AllowDemoOnRealCluster { get; set; }

    public bool IsDemo => string.Equals(Mode, "Demo", StringComparison.OrdinalIgnoreCase);

    public bool IsOpenIdConnect => string.Equals(Mode, "OpenIdConnect", StringComparison.OrdinalIgnoreCase);
}

public sealed class AuditSettings
{
    /// <summary>
    /// SQLite connection string of the audit database (Kosmos:Audit:ConnectionString). Default:
    /// <c>Data Source=&lt;content root&gt;/App_Data/kosmos-audit.db</c>.
    /// </summary>
    public string? ConnectionString { get; set; }
}

public sealed class ActionSettings
{
    /// <summary>How long an action waits for its change to take effect before it reports "not verified" (Kosmos:Actions:VerifyTimeoutSeconds).</summary>
    public int VerifyTimeoutSeconds { get; set; } = 180;

    /// <summary>The largest memory limit or request Set resources sets (Kosmos:Actions:MaxMemoryLimit); above it is refused as a likely typo.</summary>
    public string MaxMemoryLimit { get; set; } = "64Gi";

    /// <summary>The largest CPU limit or request Set resources sets (Kosmos:Actions:MaxCpuLimit).</summary>
    public string MaxCpuLimit { get; set; } = "64";

    /// <summary>
    /// How long Set resources watches the new pods of an OOM-killed agent for another OOMKilled before it calls the change
    /// verified (Kosmos:Actions:OomWatchSeconds, 0–3600).
    /// </summary>
    public int OomWatchSeconds { get; set; } = 60;

    /// <summary>
    /// The largest conversation-state document export-state keeps and import-state accepts, in bytes
    /// (Kosmos:Actions:MaxStateBytes, default 16 MiB); a larger upload is answered 413.
    /// </summary>
    public long MaxStateBytes { get; set; } = StateDocument.DefaultMaxBytes;

    /// <summary>
    /// Where a complete reset finds each agent's manifests, <c>&lt;path&gt;/&lt;agent&gt;/*.yaml</c> (Kosmos:Actions:ManifestsPath).
    /// Default: <c>deploy/agents</c> beside the application, else the nearest one above it.
    /// </summary>
    public string? ManifestsPath { get; set; }

    /// <summary>The manifests folder: the configured one, or the default (see <see cref="ManifestsPath"/>).</summary>
    public string EffectiveManifestsPath
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(ManifestsPath))
            {
                return Path.GetFullPath(ManifestsPath);
            }

            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "deploy", "agents");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }

            return Path.Combine(AppContext.BaseDirectory, "deploy", "agents");
        }
    }

    /// <summary>The set-resources settings these values give (call after validation).</summary>
    public SetResourcesSettings ToSetResourcesSettings() => new(
        new ResourceBounds(Quantity.Parse(MaxMemoryLimit.Trim()), Quantity.Parse(MaxCpuLimit.Trim())), TimeSpan.FromSeconds(OomWatchSeconds));
}

public sealed class HttpSettings
{
    /// <summary>
    /// Proxies (IP addresses) whose X-Forwarded-For/-Proto/-Host headers are believed (Kosmos:Http:KnownProxies), e.g. the
    /// ingress controller's pod addresses. Loopback is always known.
    /// </summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks (CIDR, e.g. 10.0.0.0/8) whose forwarded headers are believed (Kosmos:Http:KnownNetworks).</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>
    /// Origins besides the dashboard's own that may open its hub and Blazor WebSockets (Kosmos:Http:AllowedOrigins, e.g.
    /// https://wallboard.example.com). Browsers always send Origin on a WebSocket; clients that send none are not browsers.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];
}

public sealed class MetricsSettings
{
    /// <summary>
    /// Who may read /metrics (Kosmos:Metrics:Access): <c>Anonymous</c> (default: a Prometheus scraper inside the cluster; the
    /// ingress should not route /metrics) or <c>Viewer</c> (a signed-in Viewer or above), or <c>Off</c> (not served).
    /// </summary>
    public string Access { get; set; } = "Anonymous";
}

public sealed class IncidentSettings
{
    /// <summary>
    /// How long an agent must stay healthy (rollout complete, pods Ready) with no new restart or Warning event before the
    /// dashboard ticks "Verify agent functionality" (Kosmos:Incidents:SettleSeconds, 1–86400).
    /// </summary>
    public int SettleSeconds { get; set; } = 120;

    /// <summary>How many lines of a crashed container's previous run an incident keeps (Kosmos:Incidents:LogLines, 1–10000).</summary>
    public int LogLines { get; set; } = 100;
}

/// <summary>The browser terminal (kubectl exec -it &lt;pod&gt; -- /bin/sh in a page).</summary>
public sealed class TerminalSettings
{
    /// <summary>
    /// Whether Operators may open a shell in agent pods from the browser (Kosmos:Terminal:Enabled). Unset: on only for the
    /// local demo (demo sign-in on the embedded simulator), off against a real cluster unless set to true.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>A session with no keystroke and no output for this long is closed (Kosmos:Terminal:IdleTimeoutSeconds, 10–86400).</summary>
    public int IdleTimeoutSeconds { get; set; } = 900;
}

public sealed class ApprovalSettings
{
    /// <summary>How long a request waits for an incident commander before it expires (Kosmos:Approvals:ExpiryMinutes, 1–1440).</summary>
    public int ExpiryMinutes { get; set; } = 15;

    /// <summary>
    /// Break-glass (Kosmos:Approvals:BreakGlass): when true, an incident commander may run an action that needs approval alone,
    /// with a written reason, marked loudly in the audit, on the Kubernetes Event and on the page. Off by default.
    /// </summary>
    public bool BreakGlass { get; set; }
}

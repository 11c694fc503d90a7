using Kosmos.KubeSim;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Kosmos.E2E.Tests;

/// <summary>
/// The real dashboard (Program) on a loopback Kestrel socket, in Simulated mode with the demo fleet. Browsers need a real
/// socket: the in-memory TestServer of a plain factory is only reachable through its own HttpClient.
/// </summary>
public sealed class DashboardHost : WebApplicationFactory<Program>
{
    /// <summary>Simulated seconds per real second: crash back-offs and probe periods take seconds, not minutes.</summary>
    public const double TimeScale = 30;

    /// <param name="auditDatabase">The audit database to use (a dashboard "restarted" on another's file); a new temp file when null.</param>
    public DashboardHost(string? auditDatabase = null)
    {
        // Port 0: the kernel picks a free one; the bound address is read back in StartAsync.
        UseKestrel(0);
        AuditDatabase = auditDatabase ?? Path.Combine(Path.GetTempPath(), $"kosmos-e2e-audit-{Guid.NewGuid():N}.db");
    }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>
    /// The approval store's clock: the real time plus an offset a test moves forward to make requests expire without waiting
    /// (everything else keeps the real clock).
    /// </summary>
    public ShiftedClock ApprovalTime { get; } = new();

    /// <summary>The audit database file of this run (in the temp folder).</summary>
    public string AuditDatabase { get; }

    /// <summary>The embedded simulator that Program started (a singleton in its container).</summary>
    public KubeSimulator Simulator => Services.GetRequiredService<KubeSimulator>();

    /// <summary>Starts the host and waits until /readyz says every cache has synced with the simulator.</summary>
    public async Task StartAsync(TimeSpan timeout)
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            ?? throw new InvalidOperationException("the server reports no addresses");
        BaseAddress = new Uri(addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal)));

        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        await Kosmos.TestSupport.Eventually.Until(async () =>
        {
            try
            {
                using var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
                return new Readiness(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
            catch (HttpRequestException ex)
            {
                return new Readiness(false, ex.Message);
            }
        }, r => r.Ready, timeout, $"{BaseAddress}readyz to answer 200");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // UseSetting, not ConfigureAppConfiguration: Program reads these before builder.Build().
        builder.UseSetting("Kosmos:Cluster:Mode", "Simulated");
        builder.UseSetting("Kosmos:Simulator:TimeScale", TimeScale.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Kosmos:Simulator:SeedDemoFleet", "true");
        builder.UseSetting("Kosmos:Auth:Mode", "Demo");

        // 3 s is 90 simulated seconds: time for a leaking agent to reach any limit it is going to exceed.
        builder.UseSetting("Kosmos:Actions:OomWatchSeconds", "3");

        // Incidents verify after 3 s of quiet (90 simulated seconds) rather than 2 minutes.
        builder.UseSetting("Kosmos:Incidents:SettleSeconds", "3");
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");

        // This run's audit only, outside the source tree.
        builder.UseSetting("Kosmos:Audit:ConnectionString", $"Data Source={AuditDatabase}");
        builder.ConfigureTestServices(services => services.AddSingleton(sp => new Kosmos.Dashboard.Approvals.ApprovalStore(
            sp.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Kosmos.Dashboard.Audit.AuditDbContext>>(), ApprovalTime,
            sp.GetService<Kosmos.Dashboard.Infrastructure.DashboardMetrics>())));

        // "Up and ready for 2 minutes since the crash" means 2 simulated minutes here (4 s), like every other wait in the
        // fast simulated cluster; the classifier measures on the wall clock, so its threshold is scaled the same way.
        builder.ConfigureTestServices(services => services.AddSingleton(new Kosmos.Recovery.Health.AgentHealthOptions
        {
            RecoveredAfter = Kosmos.Recovery.Health.AgentHealthOptions.Default.RecoveredAfter / TimeScale,
        }));
    }

    private sealed record Readiness(bool Ready, string Answer);
}

/// <summary>The system clock moved by <see cref="Offset"/> (timers keep real time). Thread-safe.</summary>
public sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
        set => Interlocked.Exchange(ref _offsetTicks, value.Ticks);
    }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}

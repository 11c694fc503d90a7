using Kosmos.TestSupport;
using Microsoft.Playwright;

namespace Kosmos.E2E.Tests;

/// <summary>
/// One dashboard host and one headless Chromium for the whole collection; every test opens its own context and page
/// (<see cref="NewPageAsync"/>), so cookies and circuits never leak between tests.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    /// <summary>Generous: the machine is shared and a circuit or a simulated crash can take a while under load.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public DashboardHost Host { get; } = new();

    public Kubectl Kubectl { get; private set; } = null!;

    /// <summary>When the dashboard first answered /readyz: the demo fleet's pods were created about then.</summary>
    public DateTimeOffset ReadyAt { get; private set; }

    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("KOSMOS_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout((float)Patience.TotalMilliseconds);
        await Host.StartAsync(TimeSpan.FromSeconds(60));
        ReadyAt = DateTimeOffset.UtcNow;
        Kubectl = new Kubectl(Host.Simulator.Url);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        Kubectl?.Dispose();
        try
        {
            await Host.DisposeAsync();
        }
        catch (AggregateException ex)
        {
            // Every test has finished by now. A hosted service that fails to stop is a product bug to find (the SIGTERM test
            // in Kosmos.Dashboard.Tests checks a real process exits 0), so it is written out in full, not hidden.
            File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "host-stop-failure.txt"), ex.ToString());
            Console.Error.WriteLine("[DashboardFixture] the dashboard host failed to stop cleanly: " + ex);
        }
        catch (ObjectDisposedException ex) when (ex.ObjectName == typeof(CancellationTokenSource).FullName)
        {
            // Known product bug, not this suite's subject: the container disposes Kosmos.Cluster.Board.AgentBoard once per
            // registration (AgentBoard, IAgentBoard, hosted service) and its second DisposeAsync cancels a disposed
            // CancellationTokenSource. Every test has finished by now; remove this catch once AgentBoard disposes idempotently.
        }
    }

    /// <summary>A fresh browser context at the README's screenshot size, with every Playwright wait capped at <see cref="Patience"/>.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var browser = _browser ?? throw new InvalidOperationException("the browser has not started");
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Host.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        });
        context.SetDefaultTimeout((float)Patience.TotalMilliseconds);
        context.SetDefaultNavigationTimeout((float)Patience.TotalMilliseconds);
        return await context.NewPageAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard";
}

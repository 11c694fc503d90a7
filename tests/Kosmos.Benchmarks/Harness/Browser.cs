using System.Text.Json;
using Microsoft.Playwright;

namespace Kosmos.Benchmarks.Harness;

/// <summary>
/// One headless Debian Chromium (never <c>playwright install</c>: the machine has no internet) and its pages. Chromium is
/// heavy on two cores, so a run shares one browser and opens pages in one context.
/// </summary>
public sealed class Browser : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",

        // Background pages must keep rendering at full speed: every open page is a live viewer.
        "--disable-background-timer-throttling", "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows",
    ];

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private Browser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("KOSMOS_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";

    public static async Task<Browser> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Chromium not found at {ChromiumPath} (apt-get install chromium, or set KOSMOS_CHROMIUM; or run with --no-browser)");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true, Args = ChromiumArgs });
        return new Browser(playwright, browser);
    }

    public async Task<IBrowserContext> NewContextAsync(Uri baseAddress)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        });
        context.SetDefaultTimeout((float)Patience.TotalMilliseconds);
        context.SetDefaultNavigationTimeout((float)Patience.TotalMilliseconds);
        return context;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}

/// <summary>The board (<c>/</c>) open in a browser page with a live Blazor circuit.</summary>
public sealed class BoardPage(IPage page)
{
    // Runs in the page: on every DOM mutation (before paint), note each watched agent's Restarts cell when its text changed,
    // with performance.now(). Recording in the page and reading the log afterwards keeps the measuring off the measured path.
    private const string WatchScript = """
        agents => {
          const log = [];
          const last = new Map();
          const scan = () => {
            const t = performance.now();
            for (const agent of agents) {
              const cell = document.querySelector(`[data-testid="agent-row"][data-agent="${agent}"] [data-testid="agent-restarts"]`);
              if (!cell) continue;
              const value = cell.textContent.trim();
              if (last.get(agent) !== value) { last.set(agent, value); log.push([agent, Number(value), t]); }
            }
          };
          new MutationObserver(scan).observe(document.body, { subtree: true, childList: true, characterData: true });
          scan();
          window.__kosmosBench = log;
        }
        """;

    public IPage Page { get; } = page;

    /// <summary>Opens the board and waits until the circuit is interactive and the summary counts <paramref name="agents"/> agents.</summary>
    public static async Task<BoardPage> OpenAsync(IBrowserContext context, int agents)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByTestId("circuit-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.GetByTestId("board-summary").Filter(new() { HasText = $"of {agents} agents" }).WaitForAsync();
        return new BoardPage(page);
    }

    /// <summary>Starts logging the Restarts cells of <paramref name="agents"/>; they must be rendered (the board's first rows).</summary>
    public async Task WatchRestartsAsync(IReadOnlyList<string> agents)
    {
        foreach (var agent in agents)
        {
            await Page.Locator($"[data-testid=agent-row][data-agent=\"{agent}\"]").WaitForAsync();
        }

        await Page.EvaluateAsync(WatchScript, agents);
    }

    public Task<ClockOffset> MeasureClockAsync() => ClockOffset.MeasureAsync(() => Page.EvaluateAsync<double>("performance.now()"));

    /// <summary>Everything logged since <see cref="WatchRestartsAsync"/>, in process time, as arrivals keyed like the hub's.</summary>
    public async Task<ArrivalLog> ReadArrivalsAsync(string ns, ClockOffset clock)
    {
        var entries = await Page.EvaluateAsync<JsonElement>("window.__kosmosBench");
        var log = new ArrivalLog();
        foreach (var entry in entries.EnumerateArray())
        {
            log.Observe(BulkFleet.Key(ns, entry[0].GetString()!), entry[1].GetInt32(), clock.ToProcessMs(entry[2].GetDouble()));
        }

        return log;
    }
}

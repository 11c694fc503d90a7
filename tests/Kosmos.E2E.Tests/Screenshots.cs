using Microsoft.Playwright;

namespace Kosmos.E2E.Tests;

/// <summary>
/// Screenshots of the running dashboard. Every run writes them next to the test assembly (screenshots/), so a failing run
/// can be looked at; with KOSMOS_UPDATE_SCREENSHOTS=1 they also replace the README's copies in docs/screenshots/.
/// Ordinary runs leave the repository untouched.
/// </summary>
internal static class Screenshots
{
    public static async Task SaveAsync(IPage page, string fileName)
    {
        var directories = new List<string> { Path.Combine(AppContext.BaseDirectory, "screenshots") };
        if (Environment.GetEnvironmentVariable("KOSMOS_UPDATE_SCREENSHOTS") == "1")
        {
            directories.Add(Path.Combine(RepositoryRoot(), "docs", "screenshots"));
        }

        // No highlight left over from the test's last click: MudBlazor's ripple (a span it removes when it has faded),
        // hover and focus.
        await Assertions.Expect(page.Locator(".mud-ripple-effect")).ToHaveCountAsync(0);
        await page.Mouse.MoveAsync(0, 0);
        await page.EvaluateAsync("() => document.activeElement instanceof HTMLElement && document.activeElement.blur()");
        var png = await page.ScreenshotAsync(new PageScreenshotOptions { Type = ScreenshotType.Png, Animations = ScreenshotAnimations.Disabled });
        foreach (var directory in directories)
        {
            Directory.CreateDirectory(directory);
            await File.WriteAllBytesAsync(Path.Combine(directory, fileName), png);
        }
    }

    /// <summary>The checkout this test assembly was built from (the folder with KosmosDashboard.sln).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KosmosDashboard.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no KosmosDashboard.sln above {AppContext.BaseDirectory}");
    }
}

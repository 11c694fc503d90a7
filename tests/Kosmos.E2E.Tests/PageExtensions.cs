using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kosmos.E2E.Tests;

internal static class PageExtensions
{
    /// <summary>
    /// Opens a dashboard page and waits until its Blazor circuit is interactive. The server prerenders the page, so it
    /// looks complete before it is live; clicks on the prerendered HTML are lost. MainLayout renders the marker only
    /// when <c>RendererInfo.IsInteractive</c>.
    /// </summary>
    public static async Task OpenAsync(this IPage page, string path)
    {
        await page.GotoAsync(path);
        await Expect(page.GetByTestId("circuit-interactive")).ToBeAttachedAsync();
    }

    /// <summary>The text of every matching element exactly as rendered: no trimming, unlike innerText.</summary>
    public static async Task<IReadOnlyList<string>> TextContentsAsync(this ILocator locator) =>
        await locator.EvaluateAllAsync<string[]>("elements => elements.map(e => e.textContent ?? '')");
}

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

    /// <summary>Signs in with the demo sign-in form as <paramref name="name"/> in <paramref name="role"/>.</summary>
    public static async Task SignInAsync(this IPage page, string name, string role)
    {
        // The form is static server-rendered (no circuit ever takes it over): it can be filled as soon as it is there.
        await page.GotoAsync("/signin");
        await page.FillSignInFormAsync(name, role);
    }

    /// <summary>Fills and posts the demo sign-in form already on the page, and waits until the header names the person.</summary>
    public static async Task FillSignInFormAsync(this IPage page, string name, string role)
    {
        await page.Locator("#name").FillAsync(name);
        await page.Locator("#role").SelectOptionAsync(role);
        await page.Locator("form[data-testid=signin-form] button[type=submit]").ClickAsync();
        await Expect(page.GetByTestId("signed-in-user")).ToHaveTextAsync(name);
    }

    /// <summary>Signs in on another dashboard than the context's base address (e.g. one started on the same audit database).</summary>
    public static async Task SignInOnAsync(this IPage page, Uri dashboard, string name, string role)
    {
        await page.GotoAsync(new Uri(dashboard, "/signin").ToString());
        await page.FillSignInFormAsync(name, role);
    }

    /// <summary>The text of every matching element exactly as rendered: no trimming, unlike innerText.</summary>
    public static async Task<IReadOnlyList<string>> TextContentsAsync(this ILocator locator) =>
        await locator.EvaluateAllAsync<string[]>("elements => elements.map(e => e.textContent ?? '')");
}

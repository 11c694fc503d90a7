using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kosmos.E2E.Tests;

/// <summary>
/// The Content-Security-Policy does not break the app: in real Chromium, Blazor's circuit starts, MudBlazor's components
/// render and work (a menu, the theme), the demo sign-in form (with its antiforgery token) signs in, and the browser reports
/// no CSP violation anywhere on the way.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class ContentSecurityPolicyTests(DashboardFixture fixture) : IAsyncLifetime
{
    private readonly List<string> _violations = [];
    private IPage _page = null!;

    public async Task InitializeAsync()
    {
        _page = await fixture.NewPageAsync();
        _page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                lock (_violations)
                {
                    _violations.Add(message.Text);
                }
            }
        };

        // Chromium also raises the event in the page; count those too (a console message can be filtered by log level).
        await _page.AddInitScriptAsync("document.addEventListener('securitypolicyviolation', e => console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));");
    }

    public Task DisposeAsync() => _page.Context.CloseAsync();

    [Fact]
    public async Task SignInBoardAndAgentPage_UnderTheCsp_WorkWithoutViolations()
    {
        await _page.SignInAsync("ada", "Operator");
        await _page.OpenAsync("/");
        await Expect(_page.GetByTestId("agent-row").First).ToBeVisibleAsync();
        await _page.OpenAsync("/agents/kosmos/planner");
        await Expect(_page.GetByTestId("action-restart")).ToBeEnabledAsync();

        // MudBlazor's theme (an inline style element) applied: the app bar has its primary colour, not the browser's default.
        var background = await _page.Locator(".mud-appbar").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
        Assert.NotEqual("rgba(0, 0, 0, 0)", background);

        var response = await _page.GotoAsync("/");
        Assert.Contains("script-src 'self'", response!.Headers["content-security-policy"], StringComparison.Ordinal);
        lock (_violations)
        {
            Assert.True(_violations.Count == 0, "CSP violations:\n" + string.Join('\n', _violations));
        }
    }
}

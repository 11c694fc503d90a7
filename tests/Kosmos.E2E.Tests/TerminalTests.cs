using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kosmos.E2E.Tests;

/// <summary>The browser terminal in a real browser: an operator lists the agent's conversations; a viewer is refused by the server.</summary>
[Collection(DashboardCollection.Name)]
public sealed class TerminalTests(DashboardFixture fixture) : IAsyncLifetime
{
    private IPage _page = null!;

    public async Task InitializeAsync() => _page = await fixture.NewPageAsync();

    public Task DisposeAsync() => _page.Context.CloseAsync();

    [Fact]
    public async Task Operator_TypesLsInTheBrowserTerminal_SeesTheConversationFiles()
    {
        var files = (await fixture.Kubectl.RunAsync("exec", "deploy/archivist", "-n", "kosmos", "--", "ls", "/var/lib/kosmos/conversations")).EnsureSuccess()
            .Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(files);
        await _page.SignInAsync("ada", "Operator");
        await _page.OpenAsync("/agents/kosmos/archivist");

        await _page.GetByRole(AriaRole.Tab, new() { Name = "Terminal" }).ClickAsync();
        await _page.GetByTestId("terminal-open").ClickAsync();
        var screen = _page.GetByTestId("terminal-screen");
        await Expect(screen).ToHaveAttributeAsync("data-state", "open");
        await screen.Locator(".xterm").ClickAsync();
        await _page.Keyboard.TypeAsync("ls /var/lib/kosmos/conversations");
        await _page.Keyboard.PressAsync("Enter");

        foreach (var file in files)
        {
            await Expect(screen.Locator(".xterm-rows")).ToContainTextAsync(file);
        }

    }

    [Fact]
    public async Task Viewer_NoOpenButton_AndTheServerRefusesTheSocket()
    {
        await _page.SignInAsync("victor", "Viewer");
        await _page.OpenAsync("/agents/kosmos/archivist");
        await _page.GetByRole(AriaRole.Tab, new() { Name = "Terminal" }).ClickAsync();

        await Expect(_page.GetByTestId("terminal-unavailable")).ToHaveTextAsync("Opening a shell in a pod needs the Operator role or higher.");

        // Forged with the viewer's own cookie and the dashboard's origin: the server answers 403 before any upgrade.
        var response = await _page.Context.APIRequest.GetAsync("terminal/kosmos/archivist-x?tab=forged",
            new() { Headers = new Dictionary<string, string> { ["Origin"] = fixture.Host.BaseAddress.GetLeftPart(UriPartial.Authority) } });
        Assert.Equal(403, response.Status);
        Assert.Contains("victor (Viewer) may not open a terminal", await response.TextAsync(), StringComparison.Ordinal);
    }
}

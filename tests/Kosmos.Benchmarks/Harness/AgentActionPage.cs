using System.Text.Json;
using Microsoft.Playwright;

namespace Kosmos.Benchmarks.Harness;

/// <summary>
/// An agent page in a browser signed in as an operator, driving the Restart dialog the way a person does (Restart, read the
/// dry run, Confirm, wait for the result) while the page itself records when each click happened and when each stage
/// first appeared in the DOM.
/// </summary>
public sealed class AgentActionPage(IPage page)
{
    // Runs in the page: capture-phase click listener (the moment the browser dispatched the click to the page) and a
    // MutationObserver noting, before paint, the first performance.now() at which each stage of the dialog is in the DOM.
    private const string RecordScript = """
        () => {
          const rec = { clicks: {}, seen: {}, status: null };
          const stages = {
            preview: '[data-testid=action-change]',
            progress: '[data-testid=action-progress]',
            result: '[data-testid=action-result]',
          };
          document.addEventListener('click', e => {
            const t = performance.now();
            const el = e.target instanceof Element ? e.target.closest('[data-testid]') : null;
            if (el && !(el.dataset.testid in rec.clicks)) rec.clicks[el.dataset.testid] = t;
          }, true);
          const scan = () => {
            const t = performance.now();
            for (const [stage, selector] of Object.entries(stages)) {
              if (!(stage in rec.seen) && document.querySelector(selector)) rec.seen[stage] = t;
            }
            const result = document.querySelector(stages.result);
            if (result && rec.status === null) rec.status = result.dataset.status;
          };
          new MutationObserver(scan).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
          window.__kosmosAction = rec;
        }
        """;

    public IPage Page { get; } = page;

    /// <summary>Signs in with the demo form as <paramref name="name"/> in <paramref name="role"/> and returns the page, still open.</summary>
    public static async Task<AgentActionPage> SignInAsync(IBrowserContext context, string name, string role)
    {
        var page = await context.NewPageAsync();

        // The form is static server-rendered (no circuit takes it over): it can be filled as soon as it is there.
        await page.GotoAsync("/signin");
        await page.Locator("#name").FillAsync(name);
        await page.Locator("#role").SelectOptionAsync(role);
        await page.Locator("form button[type=submit]").ClickAsync();
        await page.GetByTestId("signed-in-user").Filter(new() { HasText = name }).WaitForAsync();
        return new AgentActionPage(page);
    }

    /// <summary>Opens the agent's page, waits until its circuit is live and Restart is enabled, and starts recording.</summary>
    public async Task OpenAsync(string ns, string agent)
    {
        await Page.GotoAsync($"/agents/{ns}/{agent}");
        await Page.GetByTestId("circuit-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Page.Locator("[data-testid=action-restart]:not([disabled])").WaitForAsync();
        await Page.EvaluateAsync(RecordScript);
    }

    /// <summary>Restart → the dry run's change lines → Confirm → the result; returns the result's status (Verified, Unverified, ...).</summary>
    public async Task<string?> RestartAsync(TimeSpan resultTimeout)
    {
        await Page.GetByTestId("action-restart").ClickAsync();
        await Page.Locator("[data-testid=action-change]").First.WaitForAsync();
        await Page.GetByTestId("action-confirm").ClickAsync();
        var result = Page.GetByTestId("action-result");
        await result.WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = (float)resultTimeout.TotalMilliseconds });
        return await result.GetAttributeAsync("data-status");
    }

    public Task<ClockOffset> MeasureClockAsync() => ClockOffset.MeasureAsync(() => Page.EvaluateAsync<double>("performance.now()"));

    /// <summary>What the page recorded since <see cref="OpenAsync"/>, mapped to <see cref="Clock"/> milliseconds.</summary>
    public async Task<ActionTimeline> ReadTimelineAsync(ClockOffset clock)
    {
        var rec = await Page.EvaluateAsync<JsonElement>("window.__kosmosAction");
        double? At(string group, string key) =>
            rec.GetProperty(group).TryGetProperty(key, out var t) ? clock.ToProcessMs(t.GetDouble()) : null;
        return new ActionTimeline(
            At("clicks", "action-restart"),
            At("seen", "preview"),
            At("clicks", "action-confirm"),
            At("seen", "progress"),
            At("seen", "result"),
            rec.GetProperty("status").ValueKind == JsonValueKind.String ? rec.GetProperty("status").GetString() : null);
    }
}

/// <summary>One restart as the browser saw it, in <see cref="Clock"/> milliseconds.</summary>
public sealed record ActionTimeline(double? RestartClickAt, double? PreviewAt, double? ConfirmClickAt, double? ProgressAt, double? ResultAt, string? Status);

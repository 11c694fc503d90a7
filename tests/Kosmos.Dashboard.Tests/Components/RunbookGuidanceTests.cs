using Bunit;
using Kosmos.Dashboard.Components.Agent;
using Kosmos.Dashboard.Security;
using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Health;
using Kosmos.Recovery.Live;
using MudBlazor;

namespace Kosmos.Dashboard.Tests.Components;

public sealed class RunbookGuidanceTests : ComponentTest
{
    [Fact]
    public void Render_OomAgent_ShowsSectionLimitTimesKilledAndSuggestedLimit()
    {
        var cut = Render(TestData.OomDetail());

        Assert.Equal("2. Out of Memory (OOM)", cut.Find("[data-testid=runbook-section]").TextContent);
        Assert.Equal("512Mi", Fact(cut, "memory-limit"));
        Assert.Equal("256Mi", Fact(cut, "memory-request"));
        Assert.StartsWith("restarted 5 times; last OOMKilled, exit code 137, 2m ago", Fact(cut, "times-killed"), StringComparison.Ordinal);
        Assert.StartsWith("2Gi (the runbook's values", Fact(cut, "suggested-limit"), StringComparison.Ordinal);
        Assert.Equal("1Gi", Fact(cut, "suggested-request"));

        // The runbook's command as written, no restart listed (the note says why), and the suggestion for the dialog.
        Assert.Equal("kubectl set resources deployment memory-agent -n kosmos --limits=memory=2Gi --requests=memory=1Gi", cut.Find("[data-testid=guide-commands]").TextContent);
        Assert.Contains("kubectl rollout restart deployment memory-agent -n kosmos is not needed", cut.Find("[data-testid=guide-not-needed]").TextContent, StringComparison.Ordinal);
        Assert.Equal("set-resources", cut.Find("[data-testid=guide-suggestion]").GetAttribute("data-action"));
    }

    [Fact]
    public void Render_Always_LinksTheRunbooksRelatedDocs()
    {
        var cut = Render(TestData.OomDetail());

        Assert.Equal(["/assets/docs/agent-deployment.md", "/assets/docs/mcp-troubleshooting.md"], cut.FindAll("[data-testid=guide-doc]").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public void Render_CrashLoop_ShowsLastErrorLinesOfPreviousRunAndConfigHints()
    {
        var detail = TestData.CrashDetail();
        var pod = detail.Pods[0];
        Ctx.Logs.SetLog(pod.Name, "agent", previous: true,
            "starting chat-agent 2.0",
            "loading config from /etc/agent",
            "ERROR environment variable OPENAI_API_KEY is not set",
            "Traceback (most recent call last):",
            "KeyError: 'OPENAI_API_KEY'");

        var cut = Render(detail);

        cut.WaitForAssertion(() => Assert.Equal(
            ["ERROR environment variable OPENAI_API_KEY is not set", "Traceback (most recent call last):", "KeyError: 'OPENAI_API_KEY'"],
            cut.FindAll("[data-testid=guide-error-line]").Select(l => l.TextContent)), Timeout);
        Assert.Contains(Ctx.Logs.Reads, r => r.Previous && r.Pod == pod.Name && r.Container == "agent");
        Assert.Contains("OPENAI_API_KEY: named in an error; not set in the container's environment", cut.Find("[data-testid=guide-config-hint]").TextContent, StringComparison.Ordinal);
        Assert.Equal("Error, exit code 1, 60s ago", Fact(cut, "last-exit"));
        Assert.Contains(cut.FindAll("[data-testid=guide-diagnosis-step]"), s => s.TextContent.Contains($"kubectl logs {pod.Name} -n kosmos --previous", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_CrashLoop_ShowsHealthOfDependencyAgentsNamedInEnv()
    {
        Ctx.Board.Upsert(TestData.Agent("vector-store", HealthState.Unresponsive, "container store fails its liveness probe"));

        var cut = Render(TestData.CrashDetail());

        var dependency = cut.Find("[data-testid=guide-dependency][data-host=vector-store]");
        Assert.Equal("Unresponsive", dependency.QuerySelector("[data-testid=health-label]")!.TextContent);
        Assert.Contains("container store fails its liveness probe", dependency.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_DetailUpdates_PreviousLogReadOnlyOnce()
    {
        var detail = TestData.CrashDetail();
        Ctx.Logs.SetLog(detail.Pods[0].Name, "agent", previous: true, "fatal: boom");
        var cut = Render(detail);
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=guide-error-line]")), Timeout);

        cut.Render(p => p.Add(c => c.Detail, detail with { Summary = detail.Summary with { Restarts = 5 } }));

        Assert.Single(Ctx.Logs.Reads);
    }

    [Fact]
    public async Task Render_UnresponsiveAgent_RestartSuggestionOpensTheRestartDialog()
    {
        SignInOperator();
        var provider = Ctx.Render<MudDialogProvider>();
        var cut = Render(TestData.UnresponsiveDetail());

        await cut.Find("[data-testid=guide-suggestion][data-action=restart] [data-testid=guide-suggestion-open]").ClickAsync(new());

        provider.WaitForAssertion(() => Assert.Equal((ActionKind.Restart, new AgentRef(TestData.Ns, "slow-agent")), Ctx.Executor.LastPreviewOf), Timeout);
        provider.WaitForAssertion(() => Assert.NotNull(provider.Find("[data-testid=action-confirm]")), Timeout);
    }

    [Fact]
    public async Task Render_ImagePullAgent_SetImageSuggestionOpensTheDialogWithThePreviousImage()
    {
        SignInOperator();
        var provider = Ctx.Render<MudDialogProvider>();
        var cut = Render(TestData.ImagePullDetail());

        await cut.Find("[data-testid=guide-suggestion][data-action=set-image] [data-testid=guide-suggestion-open]").ClickAsync(new());

        provider.WaitForAssertion(() => Assert.Equal("ghcr.io/kosmos-ai/vector-store:2.4.2", provider.Find("input[data-testid=set-image-image]").GetAttribute("value")), Timeout);
        Assert.Contains("Pre-filled from the runbook guidance", provider.Find("[data-testid=set-image-prefill]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HealthyAgent_SaysNothingToRecover()
    {
        var cut = Render(new AgentDetail(TestData.Agent("alpha"), null, [], [], [], [], []));

        Assert.Contains("Nothing to recover", cut.Find("[data-testid=runbook-none]").TextContent, StringComparison.Ordinal);
    }

    private void SignInOperator()
    {
        Ctx.Auth.SetAuthorized("ada");
        Ctx.Auth.SetRoles(KosmosRoles.Operator);
        Ctx.Auth.SetPolicies(KosmosPolicies.Operate);
    }

    private IRenderedComponent<RunbookGuidance> Render(AgentDetail detail) =>
        Ctx.Render<RunbookGuidance>(p => p.Add(c => c.Detail, detail));

    private static string Fact(IRenderedComponent<RunbookGuidance> cut, string key) =>
        cut.Find($"[data-testid=guide-fact][data-key={key}] dd").TextContent;
}

using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kosmos.E2E.Tests;

/// <summary>
/// Issue 13's promise, per demo failure: from the board, following the dashboard's own suggestion, the agent is recovered
/// and verified at the first attempt, and kubectl shows the change. Each test works on a copy of the demo agent (same
/// Deployment, ConfigMaps and program), so the other tests still see the original fail.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class FailureRecoveryTests(DashboardFixture fixture) : IAsyncLifetime
{
    private const string Namespace = "kosmos";
    private const string Summarizer = "summarizer-flow";
    private const string Researcher = "researcher-flow";
    private const string Coder = "coder-flow";
    private const string SchedulerBot = "scheduler-bot-flow";
    private const string Reviewer = "reviewer-flow";
    private const string VectorStore = "vector-store-flow";
    private const string ResearcherConfig = "researcher-cfgkey";

    private static readonly TimeSpan Rollout = TimeSpan.FromSeconds(90);

    private readonly HttpClient _sim = new() { BaseAddress = fixture.Host.Simulator.Url, Timeout = TimeSpan.FromSeconds(30) };
    private IPage _page = null!;

    public async Task InitializeAsync() => _page = await fixture.NewPageAsync();

    public async Task DisposeAsync()
    {
        await _page.Context.CloseAsync();
        await DemoAgents.DeleteAsync(fixture, _sim, Summarizer);
        await DemoAgents.DeleteAsync(fixture, _sim, Researcher);
        await DemoAgents.DeleteAsync(fixture, _sim, Coder);
        await DemoAgents.DeleteAsync(fixture, _sim, SchedulerBot);
        await DemoAgents.DeleteAsync(fixture, _sim, Reviewer);
        await DemoAgents.DeleteAsync(fixture, _sim, VectorStore);
        await DemoAgents.DeleteAsync(fixture, _sim, ResearcherConfig);
        _sim.Dispose();
    }

    [Fact]
    public async Task Summarizer_OomKilled_SuggestedSetResourcesVerifiedAtFirstAttempt()
    {
        await DemoAgents.CopyAsync(fixture, _sim, "summarizer", Summarizer);
        await OpenFromBoardAsync(Summarizer, "OOMKilled");
        var header = _page.GetByTestId("agent-header");
        await Expect(header.GetByTestId("agent-summary")).ToContainTextAsync("OOMKilled at its 256Mi memory limit");

        // The Runbook tab's suggestion: the runbook's 2Gi/1Gi, as its command says, and no rollout restart.
        var runbook = await OpenRunbookAsync();
        var suggestion = runbook.Locator("[data-testid=guide-suggestion][data-action=set-resources]");
        await Expect(suggestion).ToContainTextAsync("limits.memory=2Gi, requests.memory=1Gi");
        await Expect(runbook.GetByTestId("guide-not-needed")).ToContainTextAsync("rollout restart");
        await suggestion.GetByTestId("guide-suggestion-open").ClickAsync();

        var dialog = _page.GetByTestId("action-dialog");
        await Expect(dialog.Locator("input[data-testid=set-resources-limits-memory]")).ToHaveValueAsync("2Gi");
        await Expect(dialog.Locator("input[data-testid=set-resources-requests-memory]")).ToHaveValueAsync("1Gi");

        // The note names the limit the killed pod really had, as kubectl reports it.
        var podLimit = (await fixture.Kubectl.RunAsync("get", "pods", "-n", Namespace, "-l", $"app={Summarizer}", "-o",
            "jsonpath={.items[0].spec.containers[0].resources.limits.memory}")).EnsureSuccess().Stdout;
        Assert.Equal("256Mi", podLimit);
        await Expect(dialog.GetByTestId("set-resources-prefill")).ToContainTextAsync($"at its {podLimit} limit");
        await Expect(dialog.GetByTestId("action-validation-error")).ToHaveCountAsync(0);

        await _page.GetByTestId("action-preview-values").ClickAsync();
        await Expect(dialog.GetByTestId("action-kubectl")).ToHaveTextAsync($"kubectl set resources deployment {Summarizer} -n {Namespace} -c agent --limits=memory=2Gi --requests=memory=1Gi");
        await ConfirmUntilVerifiedAsync();
        var limits = (await fixture.Kubectl.RunAsync("get", "deployment", Summarizer, "-n", Namespace, "-o",
            "jsonpath={.spec.template.spec.containers[0].resources.limits.memory} {.spec.template.spec.containers[0].resources.requests.memory}")).EnsureSuccess().Stdout;
        Assert.Equal("2Gi 1Gi", limits);

        // No stale headline once the limit is raised.
        await CloseUntilHealthyAsync();
        await Expect(header.GetByTestId("agent-summary")).Not.ToContainTextAsync("OOMKilled");
        await AssertOneAttemptAsync(Summarizer);
    }

    [Fact]
    public async Task Researcher_MissingSetting_RestartWarnedThenSuggestedSetEnvVerifiedAtFirstAttempt()
    {
        await DemoAgents.CopyAsync(fixture, _sim, "researcher", Researcher);
        await OpenFromBoardAsync(Researcher, "CrashLoopBackOff");

        // Restart first, as a newcomer would: the dialog says before anything is done that it cannot help.
        await _page.GetByTestId("action-restart").ClickAsync();
        var dialog = _page.GetByTestId("action-dialog");
        await Expect(dialog.GetByTestId("action-warning").First).ToContainTextAsync("The cause is configuration (KOSMOS_MODEL_ENDPOINT); a restart will crash again");
        await _page.GetByTestId("action-cancel").ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);

        // The Runbook tab reads the crashed run: it had KOSMOS_MODEL_URL from researcher-config but not KOSMOS_MODEL_ENDPOINT.
        var runbook = await OpenRunbookAsync();
        var suggestion = runbook.Locator("[data-testid=guide-suggestion][data-action=set-env]");
        await Expect(suggestion).ToContainTextAsync("KOSMOS_MODEL_ENDPOINT from configmap researcher-config/KOSMOS_MODEL_URL");
        await suggestion.GetByTestId("guide-suggestion-open").ClickAsync();
        await Expect(dialog.GetByTestId("action-validation-error")).ToHaveCountAsync(0);
        await _page.GetByTestId("action-preview-values").ClickAsync();
        await Expect(dialog.GetByTestId("action-change").Filter(new() { HasTextString = "KOSMOS_MODEL_ENDPOINT" })).ToHaveCountAsync(1);
        await ConfirmUntilVerifiedAsync();
        var source = (await fixture.Kubectl.RunAsync("get", "deployment", Researcher, "-n", Namespace, "-o",
            "jsonpath={.spec.template.spec.containers[0].env[?(@.name==\"KOSMOS_MODEL_ENDPOINT\")].valueFrom.configMapKeyRef}")).EnsureSuccess().Stdout;
        Assert.Contains("\"name\":\"researcher-config\"", source, StringComparison.Ordinal);
        Assert.Contains("\"key\":\"KOSMOS_MODEL_URL\"", source, StringComparison.Ordinal);

        await CloseUntilHealthyAsync();
        await AssertOneAttemptAsync(Researcher);
    }

    [Fact]
    public async Task Coder_Deadlocked_SuggestedRestartVerifiedAtFirstAttempt()
    {
        await DemoAgents.CopyAsync(fixture, _sim, "coder", Coder);
        await OpenFromBoardAsync(Coder, "Unresponsive");
        var hung = await PodNamesAsync(Coder);

        // The Runbook tab's suggestion for a hang: a rolling restart, which the dialog runs.
        var runbook = await OpenRunbookAsync();
        var suggestion = runbook.Locator("[data-testid=guide-suggestion][data-action=restart]");
        await Expect(suggestion).ToContainTextAsync("stopped answering their probes while running");
        await Expect(suggestion).ToContainTextAsync($"kubectl rollout restart deployment/{Coder} -n {Namespace}");
        await suggestion.GetByTestId("guide-suggestion-open").ClickAsync();

        var dialog = _page.GetByTestId("action-dialog");
        await Expect(dialog.GetByTestId("action-kubectl")).ToHaveTextAsync($"kubectl rollout restart deployment {Coder} -n {Namespace}");
        await Expect(dialog.GetByTestId("action-warning")).ToHaveCountAsync(0);
        await ConfirmUntilVerifiedAsync();

        // kubectl: the hung pod is gone, the new one is Ready.
        var pods = await PodNamesAsync(Coder);
        Assert.Single(pods);
        Assert.Empty(pods.Intersect(hung));
        Assert.Equal("True", await ReadyAsync(Coder));

        await CloseUntilHealthyAsync();
        await AssertOneAttemptAsync(Coder);
    }

    [Fact]
    public async Task SchedulerBot_InsufficientCpu_SuggestedSetResourcesVerifiedAtFirstAttempt()
    {
        await DemoAgents.CopyAsync(fixture, _sim, "scheduler-bot", SchedulerBot);
        await OpenFromBoardAsync(SchedulerBot, "Pending");

        // The suggestion sizes the request to what a node can hold (CpuAdvice), not to the 16 CPU asked for.
        var runbook = await OpenRunbookAsync();
        var suggestion = runbook.Locator("[data-testid=guide-suggestion][data-action=set-resources]");
        await Expect(suggestion).ToContainTextAsync("requests.cpu=500m, limits.cpu=1");
        await Expect(suggestion).ToContainTextAsync("Insufficient cpu");
        await suggestion.GetByTestId("guide-suggestion-open").ClickAsync();

        var dialog = _page.GetByTestId("action-dialog");
        await Expect(dialog.Locator("input[data-testid=set-resources-requests-cpu]")).ToHaveValueAsync("500m");
        await Expect(dialog.Locator("input[data-testid=set-resources-limits-cpu]")).ToHaveValueAsync("1");
        await Expect(dialog.GetByTestId("action-validation-error")).ToHaveCountAsync(0);
        await _page.GetByTestId("action-preview-values").ClickAsync();
        await Expect(dialog.GetByTestId("action-kubectl")).ToHaveTextAsync($"kubectl set resources deployment {SchedulerBot} -n {Namespace} -c agent --limits=cpu=1 --requests=cpu=500m");
        await ConfirmUntilVerifiedAsync();

        var cpu = (await fixture.Kubectl.RunAsync("get", "deployment", SchedulerBot, "-n", Namespace, "-o",
            "jsonpath={.spec.template.spec.containers[0].resources.requests.cpu} {.spec.template.spec.containers[0].resources.limits.cpu}")).EnsureSuccess().Stdout;
        Assert.Equal("500m 1", cpu);
        Assert.Equal("True", await ReadyAsync(SchedulerBot));

        await CloseUntilHealthyAsync();
        await AssertOneAttemptAsync(SchedulerBot);
    }

    [Fact]
    public async Task Reviewer_DependencyImageMissing_FollowedToVectorStoreSetImageVerifiedAndReviewerRecoversAlone()
    {
        await DemoAgents.CopyWithImageHistoryAsync(fixture, _sim, "vector-store", VectorStore);
        await DemoAgents.CopyCallingAsync(fixture, _sim, "reviewer", Reviewer, "vector-store", VectorStore);
        await OpenFromBoardAsync(Reviewer, "CrashLoopBackOff");

        // reviewer's own page says the fix is elsewhere, and links there.
        var runbook = await OpenRunbookAsync();
        await Expect(runbook.Locator("[data-testid=guide-suggestion]").First).ToContainTextAsync($"Fix {VectorStore} first");
        var dependency = runbook.Locator($"[data-testid=guide-dependency][data-host='{VectorStore}.{Namespace}.svc']");
        await Expect(dependency.GetByTestId("health")).ToHaveAttributeAsync("data-state", "ImagePull");
        await dependency.GetByTestId("guide-dependency-link").ClickAsync();
        await Expect(_page.GetByTestId("agent-header")).ToHaveAttributeAsync("data-agent", VectorStore);

        // vector-store's suggestion: the image its previous revision ran, which the cluster pulled before.
        var previous = (await fixture.Kubectl.RunAsync("get", "replicasets", "-n", Namespace, "-l", $"app={VectorStore}", "-o",
            "jsonpath={.items[?(@.metadata.annotations.deployment\\.kubernetes\\.io/revision==\"1\")].spec.template.spec.containers[0].image}")).EnsureSuccess().Stdout;
        Assert.Equal("ghcr.io/kosmos-ai/vector-store:2.4.2", previous);
        runbook = await OpenRunbookAsync();
        var suggestion = runbook.Locator("[data-testid=guide-suggestion][data-action=set-image]");
        await Expect(suggestion).ToContainTextAsync($"Set image of container agent to {previous}");
        await suggestion.GetByTestId("guide-suggestion-open").ClickAsync();

        var dialog = _page.GetByTestId("action-dialog");
        await Expect(dialog.Locator("input[data-testid=set-image-image]")).ToHaveValueAsync(previous);
        await Expect(dialog.GetByTestId("action-validation-error")).ToHaveCountAsync(0);
        await _page.GetByTestId("action-preview-values").ClickAsync();
        await Expect(dialog.GetByTestId("action-kubectl")).ToHaveTextAsync($"kubectl set image deployment/{VectorStore} -n {Namespace} agent={previous}");
        await ConfirmUntilVerifiedAsync();

        var image = (await fixture.Kubectl.RunAsync("get", "deployment", VectorStore, "-n", Namespace, "-o", "jsonpath={.spec.template.spec.containers[0].image}")).EnsureSuccess().Stdout;
        Assert.Equal(previous, image);
        Assert.Equal("True", await ReadyAsync(VectorStore));

        await CloseUntilHealthyAsync();

        // reviewer needs nothing done: its crash-loop back-off starts it again, and now vector-store answers. The board calls
        // that Recovered (it crashed recently and has served since) and the Runbook tab has nothing left to do.
        await _page.GoBackAsync();
        var header = _page.GetByTestId("agent-header");
        await Expect(header).ToHaveAttributeAsync("data-agent", Reviewer);
        await Expect(header).ToHaveAttributeAsync("data-state", "Recovered", new() { Timeout = (float)Rollout.TotalMilliseconds });
        await Expect(header.GetByTestId("agent-summary")).ToContainTextAsync("recovered: container agent crashed");
        runbook = await OpenRunbookAsync();
        await Expect(runbook.GetByTestId("runbook-none")).ToContainTextAsync("Nothing to recover");
        Assert.Equal("True", await ReadyAsync(Reviewer));
        await AssertOneAttemptAsync(VectorStore);
        await Expect(_page.Locator($"[data-testid=audit-row][data-agent='{Reviewer}']")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Researcher_MissingSetting_DescribeShowsItsConfigurationThenSuggestedSetConfigKeyVerified()
    {
        await DemoAgents.CopyAsync(fixture, _sim, "researcher", ResearcherConfig, ownConfigMaps: true);
        var configMap = $"{ResearcherConfig}-researcher-config";
        await OpenFromBoardAsync(ResearcherConfig, "CrashLoopBackOff");

        // Describe: the ConfigMap it imports with its values, the Secret's key by name only.
        await _page.GetByRole(AriaRole.Tab, new() { Name = "Describe" }).ClickAsync();
        var configuration = _page.GetByTestId("agent-configuration");
        var source = configuration.Locator($"[data-testid=config-source][data-name='{configMap}']");
        await Expect(source.Locator("[data-key=KOSMOS_MODEL_URL] [data-testid=config-value]")).ToHaveTextAsync("http://model-gateway.kosmos.svc:8000/v1");
        var secret = configuration.Locator("[data-testid=config-source][data-name=researcher-credentials]");
        await Expect(secret.Locator("[data-key=api-key] [data-testid=config-value]")).ToHaveTextAsync("(secret, hidden)");
        var secretValue = (await fixture.Kubectl.RunAsync("get", "secret", "researcher-credentials", "-n", Namespace, "-o", "jsonpath={.data.api-key}")).EnsureSuccess().Stdout;
        Assert.DoesNotContain(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(secretValue)), await _page.ContentAsync(), StringComparison.Ordinal);

        // The Runbook tab suggests the missing setting as a new key of that ConfigMap, pre-filled with the renamed one's value.
        var runbook = await OpenRunbookAsync();
        var suggestion = runbook.Locator("[data-testid=guide-suggestion][data-action=set-config-key]");
        await Expect(suggestion).ToContainTextAsync($"Set config key KOSMOS_MODEL_ENDPOINT in configmap {configMap}");
        await suggestion.GetByTestId("guide-suggestion-open").ClickAsync();
        var dialog = _page.GetByTestId("action-dialog");
        await Expect(dialog.Locator("[data-testid=set-config-key-value]")).ToHaveValueAsync("http://model-gateway.kosmos.svc:8000/v1");
        await Expect(dialog.GetByTestId("action-validation-error")).ToHaveCountAsync(0);
        await _page.GetByTestId("action-preview-values").ClickAsync();
        await Expect(dialog.GetByTestId("action-change")).ToContainTextAsync($"configmap/{configMap} data.KOSMOS_MODEL_ENDPOINT");
        await _page.GetByTestId("action-confirm").ClickAsync();

        await Expect(dialog.GetByTestId("action-result")).ToHaveAttributeAsync("data-status", "Verified", new() { Timeout = (float)Rollout.TotalMilliseconds });
        var value = (await fixture.Kubectl.RunAsync("get", "configmap", configMap, "-n", Namespace, "-o", "jsonpath={.data.KOSMOS_MODEL_ENDPOINT}")).EnsureSuccess().Stdout;
        Assert.Equal("http://model-gateway.kosmos.svc:8000/v1", value);
        var events = (await fixture.Kubectl.RunAsync("get", "events", "-n", Namespace, "--field-selector", $"involvedObject.name={ResearcherConfig},reason=KosmosAction",
            "-o", "jsonpath={.items[*].message}")).EnsureSuccess().Stdout;
        Assert.Contains($"Set config key requested by ada", events, StringComparison.Ordinal);
        Assert.Contains($"kubectl patch configmap {configMap}", events, StringComparison.Ordinal);
        Assert.Contains("data.KOSMOS_MODEL_ENDPOINT", events, StringComparison.Ordinal);

        // Anyone who may list events reads them: the key's value stays in the ConfigMap and the audit.
        Assert.DoesNotContain("model-gateway", events, StringComparison.Ordinal);

        await _page.GetByTestId("action-close").ClickAsync();
        await Expect(_page.GetByTestId("agent-header")).ToHaveAttributeAsync("data-state", "Healthy", new() { Timeout = (float)Rollout.TotalMilliseconds });
        await AssertOneAttemptAsync(ResearcherConfig);
    }

    private async Task OpenFromBoardAsync(string agent, string state)
    {
        await _page.SignInAsync("ada", "Operator");
        await _page.OpenAsync("/");
        var row = _page.Locator($"[data-testid=agent-row][data-agent='{agent}']");
        await Expect(row).ToHaveAttributeAsync("data-state", state, new() { Timeout = (float)Rollout.TotalMilliseconds });
        await row.GetByTestId("agent-link").ClickAsync();
        await Expect(_page.GetByTestId("agent-header")).ToHaveAttributeAsync("data-agent", agent);
    }

    private async Task<ILocator> OpenRunbookAsync()
    {
        await _page.GetByRole(AriaRole.Tab, new() { Name = "Runbook" }).ClickAsync();
        return _page.GetByTestId("runbook-guidance");
    }

    // Confirms the action in the open dialog and waits until it is verified (a rollout in the fast simulated cluster).
    private async Task ConfirmUntilVerifiedAsync()
    {
        await _page.GetByTestId("action-confirm").ClickAsync();
        await Expect(_page.GetByTestId("action-dialog").GetByTestId("action-result"))
            .ToHaveAttributeAsync("data-status", "Verified", new() { Timeout = (float)Rollout.TotalMilliseconds });
    }

    // Closes the dialog and waits until the agent page's header says the agent is healthy again.
    private async Task CloseUntilHealthyAsync()
    {
        await _page.GetByTestId("action-close").ClickAsync();
        await Expect(_page.GetByTestId("agent-header")).ToHaveAttributeAsync("data-state", "Healthy", new() { Timeout = (float)Rollout.TotalMilliseconds });
    }

    private async Task<string[]> PodNamesAsync(string agent) =>
        (await fixture.Kubectl.RunAsync("get", "pods", "-n", Namespace, "-l", $"app={agent}", "-o", "name")).EnsureSuccess()
            .Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    // The Ready condition of every pod of the agent, as kubectl reports it ("True True" for two Ready pods).
    private async Task<string> ReadyAsync(string agent) =>
        (await fixture.Kubectl.RunAsync("get", "pods", "-n", Namespace, "-l", $"app={agent}", "-o",
            "jsonpath={.items[*].status.conditions[?(@.type==\"Ready\")].status}")).EnsureSuccess().Stdout;

    // "No failed attempt": the audit holds exactly one recorded change for the agent, and it is verified.
    private async Task AssertOneAttemptAsync(string agent)
    {
        await _page.OpenAsync("/audit");
        var rows = _page.Locator($"[data-testid=audit-row][data-agent='{agent}']");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToHaveAttributeAsync("data-status", "Verified");
    }
}

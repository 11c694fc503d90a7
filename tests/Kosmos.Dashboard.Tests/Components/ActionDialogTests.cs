using Bunit;
using Kosmos.Dashboard.Components.Agent;
using Kosmos.Dashboard.Security;
using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Model;
using MudBlazor;

namespace Kosmos.Dashboard.Tests.Components;

public sealed class ActionDialogTests : ComponentTest
{
    private static readonly AgentRef Agent = new(TestData.Ns, "memory-agent");

    [Fact]
    public async Task RestartButton_Operator_DialogPreviewsConfirmsAndShowsVerified()
    {
        Ctx.Auth.SetAuthorized("ada");
        Ctx.Auth.SetRoles(KosmosRoles.Operator);
        Ctx.Auth.SetPolicies(KosmosPolicies.Operate);
        var provider = Ctx.Render<MudDialogProvider>();
        var cut = Ctx.Render<AgentActions>(p => p.Add(a => a.Target, Agent));

        await cut.Find("[data-testid=action-restart]").ClickAsync(new());
        provider.WaitForAssertion(() => Assert.Equal(2, provider.FindAll("[data-testid=action-change]").Count), Timeout);
        Assert.Equal("kubectl rollout restart deployment memory-agent -n kosmos", provider.Find("[data-testid=action-kubectl]").TextContent);
        Assert.Equal("41", provider.Find("[data-testid=action-precondition]").TextContent);

        // The click's handler runs until the executor finishes, which this test does below: not awaited until then.
        var confirm = provider.Find("[data-testid=action-confirm]").ClickAsync(new());
        provider.WaitForAssertion(() => Assert.Equal("Running", provider.Find("[data-testid=action-dialog]").GetAttribute("data-phase")), Timeout);
        Ctx.Executor.LastProgress!.Report(new ActionProgress(ActionStep.Verify, "Waiting for the rollout: 0/1 new pods ready", 0, 1));
        provider.WaitForAssertion(() => Assert.Equal("Waiting for the rollout: 0/1 new pods ready", provider.Find("[data-testid=action-progress]").TextContent), Timeout);
        Ctx.Executor.Completion.SetResult(FakeActionExecutor.Verified(Agent));

        await confirm.WaitAsync(Timeout);
        provider.WaitForAssertion(() => Assert.Equal("Verified", provider.Find("[data-testid=action-result]").GetAttribute("data-status")), Timeout);
        Assert.Equal(5, provider.FindAll("[data-testid=action-step][data-state=Done]").Count);
        Assert.Equal("41", Ctx.Executor.LastConfirmed!.ResourceVersion);
        Assert.Equal(1, Ctx.Executor.Executions);
    }

    [Fact]
    public async Task Dialog_PreviewRefused_ShowsTheReasonAndNoConfirm()
    {
        Ctx.Auth.SetAuthorized("ada");
        Ctx.Auth.SetPolicies(KosmosPolicies.Operate);
        Ctx.Executor.Preview = PreviewResult.Refused(ActionStatus.NotFound, "There is no deployment memory-agent in namespace kosmos.");
        var provider = Ctx.Render<MudDialogProvider>();
        var cut = Ctx.Render<AgentActions>(p => p.Add(a => a.Target, Agent));

        await cut.Find("[data-testid=action-restart]").ClickAsync(new());

        provider.WaitForAssertion(() => Assert.Equal("There is no deployment memory-agent in namespace kosmos.", provider.Find("[data-testid=action-error]").TextContent), Timeout);
        Assert.True(provider.Find("[data-testid=action-confirm]").HasAttribute("disabled"));
    }

    [Fact]
    public void RestartButton_Viewer_DisabledWithTheReason()
    {
        Ctx.Auth.SetAuthorized("victor");
        Ctx.Auth.SetRoles(KosmosRoles.Viewer);

        var cut = Ctx.Render<AgentActions>(p => p.Add(a => a.Target, Agent));

        Assert.True(cut.Find("[data-testid=action-restart]").HasAttribute("disabled"));
        Assert.Equal("Your role (Viewer) cannot run recovery actions (restart, set resources, set env, set image, export state, reset): that needs Operator or higher.", cut.Find("[data-testid=action-restart-disabled-reason]").TextContent);
    }

    [Fact]
    public void RestartButton_NotSignedIn_DisabledAskingToSignIn()
    {
        var cut = Ctx.Render<AgentActions>(p => p.Add(a => a.Target, Agent));

        Assert.True(cut.Find("[data-testid=action-restart]").HasAttribute("disabled"));
        Assert.Equal("Sign in as an Operator to run recovery actions (restart, set resources, set env, set image, export state, reset).", cut.Find("[data-testid=action-restart-disabled-reason]").TextContent);
    }

    [Fact]
    public async Task SetResourcesButton_OomAgent_PrefilledValidatedByTheServerPreviewedAndConfirmedAsPreviewed()
    {
        Ctx.Auth.SetAuthorized("ada");
        Ctx.Auth.SetRoles(KosmosRoles.Operator);
        Ctx.Auth.SetPolicies(KosmosPolicies.Operate);
        var detail = TestData.OomDetail();
        Ctx.Board.SetDetail(detail);
        Ctx.Executor.Validator = request => SetResourcesRules.Check(Agent, request, detail, ResourceBounds.Default).Validation;
        var plan = FakeActionHandler.PlanFor(Agent) with
        {
            Kind = ActionKind.SetResources,
            Changes = [new ChangeLine("spec.template.spec.containers[0].resources.limits.memory", "512Mi", "2Gi")],
            KubectlEquivalent = "kubectl set resources deployment memory-agent -n kosmos -c agent --limits=memory=2Gi --requests=memory=1Gi",
            Request = new SetResourcesRequest("agent", "2Gi", "1Gi", null, null).ToActionRequest(),
            Fingerprint = "sealed",
            Note = "No separate restart is needed.",
        };
        Ctx.Executor.Preview = PreviewResult.Ready(plan);
        var provider = Ctx.Render<MudDialogProvider>();
        var cut = Ctx.Render<AgentActions>(p => p.Add(a => a.Target, Agent));

        await cut.Find("[data-testid=action-set-resources]").ClickAsync(new());
        provider.WaitForAssertion(() => Assert.Equal("2Gi", provider.Find("input[data-testid=set-resources-limits-memory]").GetAttribute("value")), Timeout);
        Assert.Equal("1Gi", provider.Find("input[data-testid=set-resources-requests-memory]").GetAttribute("value"));
        Assert.Contains("was OOMKilled (pod memory-agent-", provider.Find("[data-testid=set-resources-prefill]").TextContent, StringComparison.Ordinal);
        Assert.Contains("512Mi", provider.Find("[data-testid=set-resources-container][data-container=agent]").TextContent, StringComparison.Ordinal);

        provider.Find("input[data-testid=set-resources-limits-memory]").Input("2Gx");
        provider.WaitForAssertion(() => Assert.StartsWith("memory limit '2Gx' is not a valid quantity", provider.Find("[data-testid=action-validation-error]").TextContent, StringComparison.Ordinal), Timeout);
        Assert.True(provider.Find("[data-testid=action-preview-values]").HasAttribute("disabled"));

        provider.Find("input[data-testid=set-resources-limits-memory]").Input("2Gi");
        provider.WaitForAssertion(() => Assert.Empty(provider.FindAll("[data-testid=action-validation-error]")), Timeout);
        Assert.Equal("kubectl set resources deployment memory-agent -n kosmos -c agent --limits=memory=2Gi --requests=memory=1Gi", provider.Find("[data-testid=action-kubectl]").TextContent);
        await provider.Find("[data-testid=action-preview-values]").ClickAsync(new());
        provider.WaitForAssertion(() => Assert.Single(provider.FindAll("[data-testid=action-change]")), Timeout);
        Assert.Equal("No separate restart is needed.", provider.Find("[data-testid=action-note]").TextContent);
        Assert.Equal(new SetResourcesRequest("agent", "2Gi", "1Gi", null, null).ToActionRequest(), Ctx.Executor.LastPreviewRequest);

        var confirm = provider.Find("[data-testid=action-confirm]").ClickAsync(new());
        provider.WaitForAssertion(() => Assert.Equal("Running", provider.Find("[data-testid=action-dialog]").GetAttribute("data-phase")), Timeout);
        Ctx.Executor.Completion.SetResult(FakeActionExecutor.Verified(Agent));
        await confirm.WaitAsync(Timeout);
        provider.WaitForAssertion(() => Assert.Equal("Verified", provider.Find("[data-testid=action-result]").GetAttribute("data-status")), Timeout);
        Assert.Equal(plan.Confirmation, Ctx.Executor.LastConfirmation);
    }
}

using Bunit;
using Kosmos.Dashboard.Components.Agent;
using Kosmos.Dashboard.Security;
using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Recovery.Actions;

namespace Kosmos.Dashboard.Tests.Components;

public sealed class VerifyAgainButtonTests : ComponentTest
{
    private static readonly AgentRef Agent = new(TestData.Ns, "memory-agent");

    [Fact]
    public void VerifyAgain_InterruptedAction_RunsItsVerificationAndShowsTheResult()
    {
        Ctx.Auth.SetAuthorized("ada");
        Ctx.Auth.SetRoles(KosmosRoles.Operator);
        Ctx.Auth.SetPolicies(KosmosPolicies.View, KosmosPolicies.Operate);
        var id = Interrupted();

        var cut = Ctx.Render<AgentActivity>(p => p.Add(a => a.Target, Agent));
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=agent-verify-again]").HasAttribute("disabled")), Timeout);
        cut.Find("[data-testid=agent-verify-again]").Click();

        cut.WaitForAssertion(() => Assert.Equal("Verified", cut.Find("[data-testid=agent-verify-again-result]").GetAttribute("data-status")), Timeout);
        Assert.Equal([id], Ctx.Executor.VerifiedAgain);
    }

    [Fact]
    public void VerifyAgain_Viewer_Disabled()
    {
        Ctx.Auth.SetAuthorized("victor");
        Ctx.Auth.SetRoles(KosmosRoles.Viewer);
        Ctx.Auth.SetPolicies(KosmosPolicies.View);
        Interrupted();

        var cut = Ctx.Render<AgentActivity>(p => p.Add(a => a.Target, Agent));

        cut.WaitForAssertion(() => Assert.True(cut.Find("[data-testid=agent-verify-again]").HasAttribute("disabled")), Timeout);
    }

    private Guid Interrupted()
    {
        var id = Guid.NewGuid();
        Ctx.Audit.Entries.Add(new AuditEntry(id, TestData.Now, "ada", "Operator", TestData.Ns, "memory-agent", "restart",
            "Interrupted", "", "", null, "The dashboard shut down during Verify.", TimeSpan.FromSeconds(3)));
        return id;
    }
}

using Bunit;
using Kosmos.Dashboard.Components.Agent;
using Kosmos.Dashboard.Security;
using Kosmos.Recovery.Actions;

namespace Kosmos.Dashboard.Tests.Components;

public sealed class ReadOnlyActionsTests : ComponentTest
{
    [Fact]
    public void Render_ReadOnlyOperator_NoButtonsAndTheReason()
    {
        Ctx.Options.ReadOnly = true;
        Ctx.Auth.SetAuthorized("ada");
        Ctx.Auth.SetRoles(KosmosRoles.Operator);
        Ctx.Auth.SetPolicies(KosmosPolicies.Operate);

        var cut = Ctx.Render<AgentActions>(p => p.Add(a => a.Target, new AgentRef("kosmos", "coder")));

        Assert.Empty(cut.FindAll("button"));
        Assert.Equal(ReadOnlyRequirement.Reason, cut.Find("[data-testid=action-read-only-reason]").TextContent);
    }

    [Fact]
    public void Render_NotReadOnlyOperator_Buttons()
    {
        Ctx.Auth.SetAuthorized("ada");
        Ctx.Auth.SetRoles(KosmosRoles.Operator);
        Ctx.Auth.SetPolicies(KosmosPolicies.Operate);

        var cut = Ctx.Render<AgentActions>(p => p.Add(a => a.Target, new AgentRef("kosmos", "coder")));

        Assert.NotEmpty(cut.FindAll("[data-testid=action-restart]"));
        Assert.Empty(cut.FindAll("[data-testid=action-read-only-reason]"));
    }
}

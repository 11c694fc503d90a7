using Bunit;
using Kosmos.Dashboard.Components.Board;
using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Health;

namespace Kosmos.Dashboard.Tests.Components;

/// <summary>The board row shows the action running on its agent live, with who acts and who approved, and drops it when it ends.</summary>
public sealed class AgentRowActivityTests : ComponentTest
{
    private static readonly AgentRef Agent = new(TestData.Ns, "memory-agent");

    [Fact]
    public void BoardRow_ActionRunsThenEnds_ProgressLiveThenGone()
    {
        Ctx.Board.Upsert(TestData.Agent("memory-agent", HealthState.OOMKilled), TestData.Agent("other-agent", HealthState.Healthy));
        var cut = Ctx.Render<AgentBoardView>();
        var id = Guid.NewGuid();

        Ctx.Activity.Publish(Running(id, "Waiting for the rollout: 1/2 new pods ready", 1, 2));

        cut.WaitForAssertion(() => Assert.Equal("Reset by ada (approved by cora) — Waiting for the rollout: 1/2 new pods ready",
            cut.Find("[data-testid=agent-row][data-agent=memory-agent] [data-testid=agent-row-activity]").TextContent.Trim()), Timeout);
        Assert.Empty(cut.FindAll("[data-testid=agent-row][data-agent=other-agent] [data-testid=agent-row-activity]"));

        Ctx.Activity.Publish(Running(id, "Waiting for the rollout: 2/2 new pods ready", 2, 2) with { Status = ActionStatus.Verified, Outcome = FakeActionExecutor.Verified(Agent) });

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=agent-row-activity]")), Timeout);
    }

    [Fact]
    public void BoardRow_OpenedWhileAnActionRuns_ShowsItAtOnce()
    {
        Ctx.Board.Upsert(TestData.Agent("memory-agent", HealthState.OOMKilled));
        Ctx.Activity.Publish(Running(Guid.NewGuid(), "Step 2/4: Delete claim memory-agent-state", null, null));

        var cut = Ctx.Render<AgentBoardView>();

        cut.WaitForAssertion(() => Assert.EndsWith("— Step 2/4: Delete claim memory-agent-state", cut.Find("[data-testid=agent-row-activity]").TextContent.Trim(), StringComparison.Ordinal), Timeout);
    }

    private static ActionActivity Running(Guid id, string message, int? ready, int? desired) =>
        new(id, ActionKind.Reset, Agent, new Actor("ada", "Operator"), new Actor("cora", "IncidentCommander"), TestData.Now, ActionStatus.Running,
            new ActionProgress(ActionStep.Verify, message, ready, desired), null);
}

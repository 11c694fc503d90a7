using Kosmos.Dashboard.Hubs;
using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Recovery.Live;

namespace Kosmos.Dashboard.Tests.Hubs;

public sealed class BoardMessageTests
{
    [Fact]
    public void From_Snapshot_EveryAgentNothingRemoved()
    {
        var message = BoardMessage.From(new BoardUpdate.Snapshot([TestData.Agent("a"), TestData.Agent("b")], AfterResync: true));

        Assert.Equal("snapshot", message.Type);
        Assert.Equal(["a", "b"], message.Agents.Select(a => a.Name));
        Assert.Empty(message.Removed);
    }

    [Fact]
    public void From_AgentRemovedThenBackInOneUpdate_SentAsUpsertOnly()
    {
        var back = TestData.Agent("a");
        var message = BoardMessage.From(new BoardUpdate.Changes([new BoardChange.Removed(back.Key), new BoardChange.Upsert(back)]));

        // Clients apply the agents, then the removals: sending both would lose the agent.
        Assert.Equal("changes", message.Type);
        Assert.Equal([back.Key], message.Agents.Select(a => a.Key));
        Assert.Empty(message.Removed);
    }

    [Fact]
    public void From_AgentChangedThenRemovedInOneUpdate_SentAsRemovalOnly()
    {
        var gone = TestData.Agent("a");
        var stays = TestData.Agent("b");
        var message = BoardMessage.From(new BoardUpdate.Changes([new BoardChange.Upsert(gone), new BoardChange.Upsert(stays), new BoardChange.Removed(gone.Key)]));

        Assert.Equal([stays.Key], message.Agents.Select(a => a.Key));
        Assert.Equal([gone.Key], message.Removed);
    }
}

using Kosmos.Recovery.Live;

namespace Kosmos.Recovery.Tests.Live;

public sealed class AgentSummaryTests
{
    [Fact]
    public void Key_ReadTwice_IsTheSameString()
    {
        var agent = Summary("kosmos", "planner");

        Assert.Equal("kosmos/planner", agent.Key);
        Assert.Same(agent.Key, agent.Key);
    }

    [Theory]
    [InlineData("other", "planner", "other/planner")]
    [InlineData("kosmos", "coder", "kosmos/coder")]
    public void Key_WithChangedNamespaceOrName_IsMadeAgain(string ns, string name, string key)
    {
        var agent = Summary("kosmos", "planner");

        var changed = agent with { Namespace = ns, Name = name };

        Assert.Equal(key, changed.Key);
        Assert.Equal("kosmos/planner", agent.Key);
    }

    [Fact]
    public void Equals_SameValuesBuiltApart_EqualWithEqualHashCodes()
    {
        var a = Summary("kosmos", "planner");
        var b = Summary("kosmos", "planner") with { Restarts = 0 };

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, a with { Name = "coder" });
    }

    private static AgentSummary Summary(string ns, string name) => new(ns, name, Health: null!, 1, 1, 0, null, [], HasDeployment: true);
}

using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Dashboard.ViewModels;
using Kosmos.Recovery.Health;
using Kosmos.Recovery.Live;

namespace Kosmos.Dashboard.Tests.ViewModels;

public sealed class BoardStateTests
{
    [Fact]
    public void Reset_UnsortedSnapshot_FailingFirstThenByName()
    {
        var state = new BoardState();

        state.Reset(TestData.OnePerState());

        Assert.Equal(
            ["delta-oom", "charlie-crash", "golf-imagepull", "echo-unresponsive", "hotel-degraded", "foxtrot-pending", "india-unknown", "juliet-recovered", "bravo-progressing", "alpha-healthy", "kilo-scaled"],
            state.All.Select(a => a.Name));
        Assert.All(Enum.GetValues<HealthState>(), s => Assert.Equal(1, state.CountOf(s)));
        Assert.Equal(7, state.FailingCount);
    }

    [Fact]
    public void Apply_UpsertChangesState_RowMovesAndCountsFollow()
    {
        var state = new BoardState();
        state.Reset([TestData.Agent("a"), TestData.Agent("b"), TestData.Agent("c")]);

        state.Apply([new BoardChange.Upsert(TestData.Agent("c", HealthState.OOMKilled))]);

        Assert.Equal(["c", "a", "b"], state.All.Select(a => a.Name));
        Assert.Equal(2, state.CountOf(HealthState.Healthy));
        Assert.Equal(1, state.CountOf(HealthState.OOMKilled));
    }

    [Fact]
    public void Apply_Removed_RowAndCountGoneAndUnknownKeyIgnored()
    {
        var state = new BoardState();
        state.Reset([TestData.Agent("a"), TestData.Agent("b", HealthState.Pending)]);

        state.Apply([new BoardChange.Removed(AgentKey.Of(TestData.Ns, "b")), new BoardChange.Removed("kosmos/never-there")]);

        Assert.Equal(["a"], state.All.Select(a => a.Name));
        Assert.Equal(0, state.CountOf(HealthState.Pending));
    }

    [Fact]
    public void Apply_SameNameInTwoNamespaces_OnlyTheKeyedOneChanges()
    {
        var state = new BoardState();
        var (here, there) = (TestData.Agent("same"), TestData.Agent("same") with { Namespace = "other" });
        state.Reset([here, there]);

        state.Apply([new BoardChange.Upsert(there with { Health = there.Health with { State = HealthState.CrashLoopBackOff } }), new BoardChange.Removed(here.Key)]);

        var left = Assert.Single(state.All);
        Assert.Equal(("other", HealthState.CrashLoopBackOff), (left.Namespace, left.Health.State));
        Assert.Same(left, state.Find(there.Key));
        Assert.Null(state.Find(here.Key));
    }

    [Fact]
    public void Apply_LargeBatch_SameOrderAsChangesOneByOne()
    {
        var random = new Random(7);
        var states = Enum.GetValues<HealthState>();
        var initial = Enumerable.Range(0, 300).Select(i => TestData.Agent($"agent-{i:D3}", states[random.Next(states.Length)])).ToArray();
        var changes = Enumerable.Range(0, 200)
            .Select(i => random.Next(5) == 0
                ? (BoardChange)new BoardChange.Removed(AgentKey.Of(TestData.Ns, $"agent-{random.Next(400):D3}"))
                : new BoardChange.Upsert(TestData.Agent($"agent-{random.Next(400):D3}", states[random.Next(states.Length)])))
            .ToList();
        var batched = new BoardState();
        var oneByOne = new BoardState();
        batched.Reset(initial);
        oneByOne.Reset(initial);

        batched.Apply(changes);
        foreach (var change in changes)
        {
            oneByOne.Apply([change]);
        }

        Assert.Equal(oneByOne.All, batched.All);
        Assert.All(states, s => Assert.Equal(oneByOne.CountOf(s), batched.CountOf(s)));
        Assert.Equal([.. oneByOne.All.Order(AgentOrder.Instance)], oneByOne.All);
    }

    public static TheoryData<HealthState[], string, string[]> Filters => new()
    {
        { [], "", ["delta-oom", "charlie-crash", "golf-imagepull", "echo-unresponsive", "hotel-degraded", "foxtrot-pending", "india-unknown", "juliet-recovered", "bravo-progressing", "alpha-healthy", "kilo-scaled"] },
        { [HealthState.OOMKilled], "", ["delta-oom"] },
        { [HealthState.Healthy, HealthState.CrashLoopBackOff], "", ["charlie-crash", "alpha-healthy"] },
        { [], "A-H", ["alpha-healthy"] },
        { [], "  echo ", ["echo-unresponsive"] },
        { [HealthState.Healthy], "crash", [] },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public void Visible_Filter_OnlyMatchingAgentsInBoardOrder(HealthState[] states, string search, string[] expected)
    {
        var state = new BoardState();
        state.Reset(TestData.OnePerState());

        state.Filter = new BoardFilter(states.ToHashSet(), search);

        Assert.Equal(expected, state.Visible.Select(a => a.Name));
    }

    [Fact]
    public void Visible_ChangeAfterFilter_Recomputed()
    {
        var state = new BoardState { Filter = BoardFilter.All.Toggle(HealthState.OOMKilled) };
        state.Reset([TestData.Agent("a")]);
        Assert.Empty(state.Visible);

        state.Apply([new BoardChange.Upsert(TestData.Agent("a", HealthState.OOMKilled))]);

        Assert.Equal(["a"], state.Visible.Select(a => a.Name));
    }

    [Fact]
    public void Toggle_Twice_StateRemoved()
    {
        var filter = BoardFilter.All.Toggle(HealthState.Pending).Toggle(HealthState.Pending);

        Assert.True(filter.IsEmpty);
    }
}

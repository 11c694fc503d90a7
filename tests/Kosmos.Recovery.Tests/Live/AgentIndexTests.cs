using Kosmos.Recovery.Live;
using Kosmos.Recovery.Tests.Builders;

namespace Kosmos.Recovery.Tests.Live;

public sealed class AgentIndexTests
{
    [Fact]
    public void MarkSliceDirty_RoundEverySlice_MarksEachAgentExactlyOnce()
    {
        var index = new AgentIndex();
        var agents = Enumerable.Range(0, 200).Select(i => $"agent-{i:000}").ToList();
        foreach (var agent in agents)
        {
            index.Upsert(PodBuilder.Pod($"{agent}-5d8f7c9b6d-x2x7q", agent).Build());
        }

        index.TakeDirty();

        var slices = Enumerable.Range(0, 10).Select(slice =>
        {
            index.MarkSliceDirty(slice, 10);
            return index.TakeDirty();
        }).ToList();

        Assert.Equal(agents.Select(a => AgentKey.Of("kosmos", a)).Order(), slices.SelectMany(s => s).Order());
        Assert.True(slices.Max(s => s.Count) < agents.Count / 2, "the agents are spread over the slices, not bunched in one");
    }

    [Fact]
    public void MarkSliceDirty_SameSliceAgain_MarksTheSameAgents()
    {
        var index = new AgentIndex();
        foreach (var i in Enumerable.Range(0, 30))
        {
            index.Upsert(PodBuilder.Pod($"a{i}-5d8f7c9b6d-x2x7q", $"a{i}").Build());
        }

        index.TakeDirty();

        index.MarkSliceDirty(3, 4);
        var first = index.TakeDirty().Order().ToList();
        index.MarkSliceDirty(3, 4);
        var second = index.TakeDirty().Order().ToList();

        Assert.Equal(first, second);
        Assert.All(first, key => Assert.Equal(3, AgentIndex.SliceOf(key, 4)));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(-1, 10)]
    [InlineData(10, 10)]
    public void MarkSliceDirty_SliceOutOfRange_Throws(int slice, int slices) =>
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => new AgentIndex().MarkSliceDirty(slice, slices));
}

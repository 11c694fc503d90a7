using Kosmos.Recovery.Model;
using Kosmos.Recovery.Tests.Builders;
using static Kosmos.Recovery.Tests.Builders.Containers;
using static Kosmos.Recovery.Tests.Builders.PodBuilder;

namespace Kosmos.Recovery.Tests.Model;

public sealed class ValueEqualityTests
{
    [Fact]
    public void PodSnapshot_BuiltTwiceFromSameData_IsEqualWithSameHash()
    {
        PodSnapshot Build() => Pod().Container(Running("agent").WithMemoryLimit("512Mi")).Ready().Build();

        var first = Build();
        var second = Build();

        Assert.NotSame(first, second);
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
    }

    [Fact]
    public void PodSnapshot_ContainerStateDiffers_IsNotEqual()
    {
        var running = Pod().Container(Running("agent")).Build();
        var crashing = Pod().Container(Waiting("agent", "CrashLoopBackOff")).Build();

        Assert.NotEqual(running, crashing);
    }

    [Fact]
    public void ValueList_SameItems_EqualAndDifferentOrder_NotEqual()
    {
        ValueList<string> a = ["x", "y"];
        ValueList<string> b = ["x", "y"];
        ValueList<string> reversed = ["y", "x"];

        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.True(a != reversed);
        Assert.Equal("[x, y]", a.ToString());
    }

    [Fact]
    public void ValueList_EmptyFromAnySource_IsTheSharedEmpty()
    {
        Assert.Same(ValueList<int>.Empty, ValueList.From<int>(null));
        Assert.Same(ValueList<int>.Empty, ValueList.From(Array.Empty<int>()));
    }

    [Fact]
    public void StringMap_InsertionOrderDiffers_EqualAndSortedByKey()
    {
        var a = StringMap.Of(("tier", "agents"), ("app", "planner"));
        var b = StringMap.Of(("app", "planner"), ("tier", "agents"));

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal(["app", "tier"], a.Keys);
        Assert.Equal("planner", a["app"]);
        Assert.False(a.ContainsKey("missing"));
        Assert.Throws<KeyNotFoundException>(() => a["missing"]);
    }

    [Fact]
    public void StringMap_RepeatedKey_LastValueWins()
    {
        var map = StringMap.Of(("app", "old"), ("app", "new"));

        Assert.Single(map);
        Assert.Equal("new", map["app"]);
    }

    [Fact]
    public void StringMap_ValueDiffers_IsNotEqual()
    {
        Assert.NotEqual(StringMap.Of(("app", "a")), StringMap.Of(("app", "b")));
    }

    [Fact]
    public void PodSnapshot_AgentName_IsTheAppLabel()
    {
        var pod = Pod(agent: "planner").Build();

        Assert.Equal("planner", pod.AgentName);
        Assert.Null((pod with { Labels = StringMap.Empty }).AgentName);
    }

    [Fact]
    public void PodTemplateSnapshot_RestartedAtAnnotation_IsParsed()
    {
        var template = new PodTemplateSnapshot
        {
            Annotations = StringMap.Of((WellKnownKeys.RestartedAtAnnotation, "2026-03-01T12:05:00Z")),
        };

        Assert.Equal(Clock.At(5), template.RestartedAt);
        Assert.Null((template with { Annotations = StringMap.Of((WellKnownKeys.RestartedAtAnnotation, "yesterday")) }).RestartedAt);
    }
}

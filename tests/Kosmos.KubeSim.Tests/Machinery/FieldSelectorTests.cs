using Kosmos.KubeSim.Machinery;

namespace Kosmos.KubeSim.Tests.Machinery;

public sealed class FieldSelectorTests
{
    [Theory]
    [InlineData("metadata.name=research-agent-7c9d-x2k4p", true)]
    [InlineData("metadata.name==research-agent-7c9d-x2k4p", true)]
    [InlineData("metadata.name=other", false)]
    [InlineData("metadata.name!=other", true)]
    [InlineData("metadata.name!=research-agent-7c9d-x2k4p", false)]
    [InlineData("metadata.namespace=kosmos,status.phase=Running", true)]
    [InlineData("metadata.namespace=kosmos,status.phase=Pending", false)]
    [InlineData("spec.nodeName=sim-node-1", true)]
    [InlineData("spec.serviceAccountName=", true)]
    [InlineData("spec.hostNetwork=false", true)]
    [InlineData("status.podIP=10.244.0.17", true)]
    [InlineData("", true)]
    public void Matches_PodSelector_ComparesDottedPaths(string selector, bool expected)
    {
        var pod = Fixtures.Parse(Fixtures.PodJson);

        Assert.Equal(expected, FieldSelector.Parse(selector).Matches(pod));
    }

    // The selectors `kubectl describe pod` sends for events.
    [Theory]
    [InlineData("involvedObject.uid=0f5e6a3c-1111-2222-3333-444455556666", true)]
    [InlineData("involvedObject.name=research-agent-7c9d-x2k4p,involvedObject.namespace=kosmos", true)]
    [InlineData("involvedObject.name=research-agent-7c9d-x2k4p,involvedObject.namespace=default", false)]
    [InlineData("involvedObject.kind=Pod", true)]
    [InlineData("type=Warning", true)]
    [InlineData("type=Normal", false)]
    [InlineData("reason=BackOff", true)]
    [InlineData("source=kubelet", true)]
    [InlineData("reportingComponent=kubelet", true)]
    public void Matches_EventSelector_ComparesInvolvedObjectFields(string selector, bool expected)
    {
        var evt = Fixtures.Parse(Fixtures.EventJson);

        Assert.Equal(expected, FieldSelector.Parse(selector).Matches(evt));
    }

    [Fact]
    public void Matches_EscapedCommaAndEquals_AreLiteralCharacters()
    {
        var obj = Fixtures.Parse("""{"metadata":{"name":"a,b=c"}}""");
        var selector = FieldSelector.Parse(@"metadata.name=a\,b\=c");

        Assert.Equal("a,b=c", selector.Requirements[0].Value);
        Assert.True(selector.Matches(obj));
        Assert.Equal(@"metadata.name=a\,b\=c", selector.ToString());
    }

    [Theory]
    [InlineData("metadata.name", "invalid selector: 'metadata.name'; can't understand 'metadata.name'")]
    [InlineData("status.phase=Running,oops", "invalid selector: 'status.phase=Running,oops'; can't understand 'oops'")]
    [InlineData(@"metadata.name=a\q", @"invalid field selector: invalid escape sequence: \q")]
    [InlineData("metadata.name=a=b", "invalid field selector: unescaped character '='")]
    public void TryParse_MalformedSelector_FailsWithServerMessage(string selector, string expectedMessage)
    {
        Assert.False(FieldSelector.TryParse(selector, out _, out var error));
        Assert.Equal(expectedMessage, error);
        Assert.Throws<FormatException>(() => FieldSelector.Parse(selector));
    }

    [Theory]
    [InlineData("Pod", "status.phase=Running,spec.nodeName=n", null)]
    [InlineData("Pod", "metadata.name=x,spec.foo=bar", "spec.foo")]
    [InlineData("Deployment", "metadata.name=x", null)]
    [InlineData("Deployment", "status.phase=Running", "status.phase")]
    [InlineData("Event", "involvedObject.uid=u,involvedObject.name=n,involvedObject.namespace=kosmos", null)]
    [InlineData("Event", "message=x", "message")]
    [InlineData("Secret", "type=Opaque", null)]
    [InlineData("Widget", "anything.at.all=x", null)]
    public void FirstUnsupportedField_PerKind_NamesTheFieldTheServerRefuses(string kind, string selector, string? expected)
    {
        Assert.Equal(expected, FieldSelector.Parse(selector).FirstUnsupportedField(kind));
    }
}

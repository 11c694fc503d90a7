using System.Text.Json.Nodes;
using Kosmos.KubeSim.Machinery;

namespace Kosmos.KubeSim.Tests.Machinery;

public sealed class LabelSelectorTests
{
    [Theory]
    [InlineData("app=agent", "app=agent", true)]
    [InlineData("app=agent", "app=other", false)]
    [InlineData("app=agent", "", false)]
    [InlineData("app==agent", "app=agent", true)]
    [InlineData("app!=agent", "app=other", true)]
    [InlineData("app!=agent", "", true)]
    [InlineData("app!=agent", "app=agent", false)]
    [InlineData("app in (agent,worker)", "app=worker", true)]
    [InlineData("app in (agent, worker)", "app=agent", true)]
    [InlineData("app in (agent,worker)", "app=other", false)]
    [InlineData("app in (agent,worker)", "", false)]
    [InlineData("app notin (agent,worker)", "app=other", true)]
    [InlineData("app notin (agent,worker)", "", true)]
    [InlineData("app notin (agent,worker)", "app=agent", false)]
    [InlineData("app", "app=", true)]
    [InlineData("app", "tier=x", false)]
    [InlineData("!app", "tier=x", true)]
    [InlineData("!app", "app=x", false)]
    [InlineData("app=", "app=", true)]
    [InlineData("app=", "app=x", false)]
    [InlineData("app=agent,tier=agents", "app=agent,tier=agents", true)]
    [InlineData("app=agent,tier=agents", "app=agent,tier=web", false)]
    [InlineData("app in (agent),!canary", "app=agent", true)]
    [InlineData("app in (agent),!canary", "app=agent,canary=true", false)]
    [InlineData("  app = agent  ", "app=agent", true)]
    [InlineData("replicas>2", "replicas=3", true)]
    [InlineData("replicas>2", "replicas=2", false)]
    [InlineData("replicas>2", "replicas=many", false)]
    [InlineData("replicas<2", "replicas=1", true)]
    [InlineData("in in (in)", "in=in", true)]
    [InlineData("app.kubernetes.io/name=kosmos", "app.kubernetes.io/name=kosmos", true)]
    [InlineData("", "app=anything", true)]
    [InlineData("", "", true)]
    public void Matches_SelectorAgainstLabels_FollowsKubernetesSemantics(string selector, string labels, bool expected)
    {
        var parsed = LabelSelector.Parse(selector);

        Assert.Equal(expected, parsed.Matches(Labels(labels)));
    }

    [Theory]
    [InlineData("app in (a", "unable to parse requirement: found '', expected: ',' or ')'")]
    [InlineData("app in a", "unable to parse requirement: found 'a' expected: '('")]
    [InlineData("=x", "found '=', expected: !, identifier, or 'end of string'")]
    [InlineData("app,,tier", "found ',', expected: identifier after ','")]
    [InlineData("app=a=b", "found '=', expected: ',' or 'end of string'")]
    [InlineData("app=a b", "found 'b', expected: ',' or 'end of string'")]
    [InlineData("!app=x", "found '=', expected: ',' or 'end of string'")]
    [InlineData("app ( x", "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt")]
    [InlineData("a/b/c=x", "unable to parse requirement: key: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters")]
    [InlineData("app=-bad", "unable to parse requirement: values[0][app]: Invalid value: \"-bad\": a valid label must be an empty string or consist of alphanumeric characters")]
    [InlineData("app>x", "unable to parse requirement: values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer")]
    public void TryParse_MalformedSelector_FailsWithParserMessage(string selector, string expectedMessage)
    {
        Assert.False(LabelSelector.TryParse(selector, out _, out var error));
        Assert.StartsWith(expectedMessage, error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => LabelSelector.Parse(selector));
    }

    [Fact]
    public void ToString_ParsedSelector_IsSortedCanonicalForm()
    {
        var selector = LabelSelector.Parse("tier in (b,a),app=x,!canary");

        Assert.Equal("app=x,!canary,tier in (a,b)", selector.ToString());
    }

    [Fact]
    public void FromJson_MatchLabelsAndExpressions_AreAnded()
    {
        var selector = LabelSelector.FromJson(JsonNode.Parse("""
            {"matchLabels":{"app":"research-agent"},
             "matchExpressions":[{"key":"tier","operator":"In","values":["agents","workers"]},{"key":"canary","operator":"DoesNotExist"}]}
            """));

        Assert.True(selector.Matches(Labels("app=research-agent,tier=agents")));
        Assert.False(selector.Matches(Labels("app=research-agent,tier=web")));
        Assert.False(selector.Matches(Labels("app=research-agent,tier=agents,canary=yes")));
        Assert.False(selector.Matches(Labels("app=other,tier=agents")));
    }

    [Fact]
    public void FromJson_NullSelector_MatchesNothing()
    {
        Assert.False(LabelSelector.FromJson(null).Matches(Labels("app=x")));
        Assert.False(LabelSelector.FromJson(null).Matches(Labels("")));
    }

    [Fact]
    public void FromJson_EmptySelector_MatchesEverything()
    {
        var selector = LabelSelector.FromJson(new JsonObject());

        Assert.True(selector.IsEverything);
        Assert.True(selector.Matches(Labels("app=x")));
    }

    [Theory]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"Foo","values":["x"]}]}""", "\"Foo\" is not a valid label selector operator")]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"In"}]}""", "for 'in', 'notin' operators, values set can't be empty")]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"Exists","values":["x"]}]}""", "values set must be empty for exists and does not exist")]
    [InlineData("""{"matchLabels":{"a b":"x"}}""", "key: Invalid value: \"a b\"")]
    public void FromJson_InvalidSelector_ThrowsFormatException(string json, string expectedMessage)
    {
        var error = Assert.Throws<FormatException>(() => LabelSelector.FromJson(JsonNode.Parse(json)));

        Assert.Contains(expectedMessage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MatchesObject_UsesMetadataLabels()
    {
        var pod = Fixtures.Parse(Fixtures.PodJson);

        Assert.True(LabelSelector.Parse("app=research-agent").MatchesObject(pod));
        Assert.False(LabelSelector.Parse("app=other").MatchesObject(pod));
        Assert.False(LabelSelector.Parse("app").MatchesObject(Fixtures.Parse("""{"metadata":{"name":"x"}}""")));
    }

    private static Dictionary<string, string> Labels(string pairs) =>
        pairs.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");

    [Theory]
    [InlineData("""{"matchLabels":{"app":"agent"}}""", """{"app":"agent","x":"y"}""", true)]
    [InlineData("""{"matchLabels":{"app":"agent"}}""", """{"app":"other"}""", false)]
    [InlineData("""{"matchLabels":{"app":"agent"}}""", null, false)]
    [InlineData("""{"matchExpressions":[{"key":"tier","operator":"In","values":["a","b"]}]}""", """{"tier":"b"}""", true)]
    [InlineData("""{"matchExpressions":[{"key":"tier","operator":"NotIn","values":["a","b"]}]}""", """{}""", true)]
    [InlineData("""{"matchExpressions":[{"key":"tier","operator":"Exists"}]}""", """{"tier":""}""", true)]
    [InlineData("""{"matchExpressions":[{"key":"tier","operator":"DoesNotExist"}]}""", """{"tier":"a"}""", false)]
    [InlineData("""{"matchExpressions":[{"key":"tier","operator":"Gt","values":["1"]}]}""", """{"tier":"2"}""", false)]
    [InlineData("""{}""", """{"app":"agent"}""", true)]
    [InlineData(null, """{"app":"agent"}""", false)]
    public void Matches_WorkloadSelectorJson_AsTheControllersDecide(string? selector, string? labels, bool expected)
    {
        var node = selector is null ? null : JsonNode.Parse(selector);
        var map = labels is null ? null : JsonNode.Parse(labels)!.AsObject();

        Assert.Equal(expected, LabelSelector.Matches(node, map));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("""{}""", true)]
    [InlineData("""{"matchLabels":{},"matchExpressions":[]}""", true)]
    [InlineData("""{"matchLabels":{"app":"agent"}}""", false)]
    [InlineData("""{"matchExpressions":[{"key":"tier","operator":"Exists"}]}""", false)]
    public void IsEmpty_WorkloadSelectorJson_NoRequirement(string? selector, bool expected)
    {
        Assert.Equal(expected, LabelSelector.IsEmpty(selector is null ? null : JsonNode.Parse(selector)));
    }
}

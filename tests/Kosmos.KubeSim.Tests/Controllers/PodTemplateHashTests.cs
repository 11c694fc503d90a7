using System.Text.Json.Nodes;
using Kosmos.KubeSim.Controllers;

namespace Kosmos.KubeSim.Tests.Controllers;

public sealed class PodTemplateHashTests
{
    private const string Template = """{"metadata":{"labels":{"app":"planner"}},"spec":{"containers":[{"name":"agent","image":"kosmos/planner:1.0"}]}}""";

    [Fact]
    public void Compute_SameTemplateAnyKeyOrder_SameSafeHash()
    {
        var reordered = """{"spec":{"containers":[{"image":"kosmos/planner:1.0","name":"agent"}]},"metadata":{"labels":{"app":"planner"}}}""";

        var hash = PodTemplateHash.Compute(JsonNode.Parse(Template), null);

        Assert.Equal(hash, PodTemplateHash.Compute(JsonNode.Parse(reordered), null));
        Assert.Matches("^[bcdfghjklmnpqrstvwxz2456789]{1,10}$", hash);
    }

    [Fact]
    public void Compute_ChangedTemplateOrCollisionCount_DifferentHash()
    {
        var hash = PodTemplateHash.Compute(JsonNode.Parse(Template), null);

        Assert.NotEqual(hash, PodTemplateHash.Compute(JsonNode.Parse(Template.Replace("1.0", "1.1", StringComparison.Ordinal)), null));
        Assert.NotEqual(hash, PodTemplateHash.Compute(JsonNode.Parse(Template), 1));
    }

    [Fact]
    public void EqualIgnoringHash_TemplateWithHashLabel_EqualsDeploymentTemplate()
    {
        var withHash = JsonNode.Parse(Template)!;
        withHash["metadata"]!["labels"]!["pod-template-hash"] = "5d8f7c9b4";

        Assert.True(PodTemplateHash.EqualIgnoringHash(withHash, JsonNode.Parse(Template)));
        Assert.False(PodTemplateHash.EqualIgnoringHash(withHash, JsonNode.Parse(Template.Replace("planner:1.0", "planner:2.0", StringComparison.Ordinal))));
    }
}

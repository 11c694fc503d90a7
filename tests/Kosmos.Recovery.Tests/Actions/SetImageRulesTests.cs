using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Tests.Actions;

public sealed class SetImageRulesTests
{
    private static readonly AgentRef Target = new("kosmos", "memory-agent");

    // The template's container runs registry.local/kosmos/memory-agent:1.1 (TestData.AgentContainer).
    private static PodTemplateSnapshot Template => new() { Containers = [TestData.AgentContainer()] };

    public static TheoryData<string, SetImageRequest, string[], string[]> Cases => new()
    {
        { "tag", new("agent", "registry.local/kosmos/memory-agent:1.0"), [], ["agent image: registry.local/kosmos/memory-agent:1.1 → registry.local/kosmos/memory-agent:1.0"] },
        { "registry with port", new(null, "localhost:5000/memory-agent:2.4.2"), [], ["agent image: registry.local/kosmos/memory-agent:1.1 → localhost:5000/memory-agent:2.4.2"] },
        { "digest", new("agent", "ghcr.io/x/y@sha256:" + new string('a', 64)), [], ["agent image: registry.local/kosmos/memory-agent:1.1 → ghcr.io/x/y@sha256:" + new string('a', 64)] },
        { "none", new("agent", null), ["Give the image to run (repository:tag, e.g. ghcr.io/kosmos-ai/vector-store:2.4.2)"], [] },
        { "upper case", new("agent", "Registry.local/Kosmos:1.0"), ["image 'Registry.local/Kosmos:1.0' is not a valid image reference: the repository 'Registry.local/Kosmos' must be lower-case path components (letters, digits, '.', '_', '-') separated by '/', optionally after a registry host[:port]"], [] },
        { "bad tag", new("agent", "kosmos/agent:-1"), ["image 'kosmos/agent:-1' is not a valid image reference: the tag '-1' must be 1-128 ASCII letters, digits, '_', '.' or '-', and not start with '.' or '-'"], [] },
        { "non-ASCII tag", new("agent", "kosmos/agent:v1é"), ["image 'kosmos/agent:v1é' is not a valid image reference: the tag 'v1é' must be 1-128 ASCII letters, digits, '_', '.' or '-', and not start with '.' or '-'"], [] },
        { "bad digest", new("agent", "kosmos/agent@sha256:xyz"), ["image 'kosmos/agent@sha256:xyz' is not a valid image reference: the digest 'sha256:xyz' is not sha256: followed by 64 lower-case hex digits"], [] },
        { "a line break inside", new("agent", "kosmos/\nagent:1.0"), ["image 'kosmos/\\nagent:1.0' is not a valid image reference: it contains whitespace"], [] },
        { "no such container", new("worker", "kosmos/agent:1.0"), ["Deployment kosmos/memory-agent has no container 'worker' (its containers: agent)"], [] },
        { "already so", new("agent", "registry.local/kosmos/memory-agent:1.1"), ["Nothing would change: container agent already runs registry.local/kosmos/memory-agent:1.1"], [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Check_Request_ErrorsAndChanges(string name, SetImageRequest request, string[] errors, string[] changes)
    {
        var check = SetImageRules.Check(Target, request, Template);

        Assert.True(errors.SequenceEqual(check.Validation.Errors), $"{name}: {string.Join(" | ", check.Validation.Errors)}");
        Assert.Equal(changes, check.Changes.Select(c => c.ToString()));
    }

    // The grammar's patterns end in \z: $ would also match before a final line break (the whitespace check catches it first).
    [Theory]
    [InlineData("kosmos/agent@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n")]
    [InlineData("kosmos/agent\n")]
    [InlineData("kosmos/agent:1.0\n")]
    public void ProblemWith_TrailingLineBreak_Refused(string image)
    {
        Assert.Equal("it contains whitespace", SetImageRules.ProblemWith(image));
    }

    [Fact]
    public void Request_RoundTripsThroughActionRequest_UnknownKeysNamed_Kubectl()
    {
        var request = new SetImageRequest("agent", "ghcr.io/kosmos-ai/vector-store:2.4.2");

        var back = SetImageRequest.From(request.ToActionRequest(), out var unknown);
        var withTag = SetImageRequest.From(new ActionRequest(StringMap.Of(("image", "a:1"), ("tag", "2"))), out var unknownKeys);
        var check = SetImageRules.Check(Target, withTag, Template, unknownKeys);

        Assert.Empty(unknown);
        Assert.Equal(request, back);
        Assert.Contains("'tag' is not a value set image takes (it takes: container, image)", check.Validation.Errors);
        Assert.Equal("kubectl set image deployment/memory-agent -n kosmos agent=ghcr.io/kosmos-ai/vector-store:2.4.2", request.Kubectl(Target));
    }
}

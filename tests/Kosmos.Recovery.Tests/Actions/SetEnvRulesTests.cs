using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Tests.Actions;

public sealed class SetEnvRulesTests
{
    private static readonly AgentRef Target = new("kosmos", "memory-agent");

    // The template's container has LOG_LEVEL=debug, LLM_API_KEY from secret kosmos-llm/api-key (TestData.AgentContainer).
    private static PodTemplateSnapshot Template => new() { Containers = [TestData.AgentContainer()] };

    public static TheoryData<string, SetEnvRequest, string[], string[]> Cases => new()
    {
        { "literal", Req(Set("KOSMOS_MODEL_ENDPOINT", EnvSourceKind.Literal, "http://model:8000")), [], ["agent env KOSMOS_MODEL_ENDPOINT: (none) → http://model:8000"] },
        { "from a configmap key", Req(Set("KOSMOS_MODEL_ENDPOINT", EnvSourceKind.ConfigMap, "cfg/KOSMOS_MODEL_URL")), [], ["agent env KOSMOS_MODEL_ENDPOINT: (none) → <from configmap cfg/KOSMOS_MODEL_URL>"] },
        { "remove", Req(remove: "LOG_LEVEL"), [], ["agent env LOG_LEVEL: debug → (none)"] },
        { "nothing", Req(), ["Give at least one variable to set or remove"], [] },
        { "bad name", Req(Set("1BAD", EnvSourceKind.Literal, "x")), ["'1BAD' is not a valid environment variable name: a valid name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit"], [] },
        { "a name ending in a line break", Req(Set("FOO\n", EnvSourceKind.Literal, "x")), ["'FOO\\n' is not a valid environment variable name: it contains a line break or another control character"], [] },
        { "removing a name ending in a line break", Req(remove: "LOG_LEVEL\n"), ["'LOG_LEVEL\\n' is not a valid environment variable name: it contains a line break or another control character"], [] },
        { "bad reference", Req(Set("A", EnvSourceKind.Secret, "just-a-name")), ["A: 'just-a-name' is not a secret/key reference (e.g. researcher-config/KOSMOS_MODEL_URL)"], [] },
        { "set and removed", new SetEnvRequest("agent", [Set("A", EnvSourceKind.Literal, "1")], ["A"]), ["A is both set and removed"], [] },
        { "no such container", new SetEnvRequest("worker", [Set("A", EnvSourceKind.Literal, "1")], []), ["Deployment kosmos/memory-agent has no container 'worker' (its containers: agent)"], [] },
        { "already so", Req(Set("LOG_LEVEL", EnvSourceKind.Literal, "debug")), ["Nothing would change: container agent already has LOG_LEVEL=debug"], [] },
        { "removing what is not there", Req(remove: "NOPE"), ["Nothing would change: container agent already has no NOPE"], [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Check_Request_ErrorsAndChanges(string name, SetEnvRequest request, string[] errors, string[] changes)
    {
        var check = SetEnvRules.Check(Target, request, Template);

        Assert.True(errors.SequenceEqual(check.Validation.Errors), $"{name}: {string.Join(" | ", check.Validation.Errors)}");
        Assert.Equal(changes, check.Changes.Select(c => c.ToString()));
    }

    [Fact]
    public void Request_RoundTripsThroughActionRequest_AndUnknownKeysAreNamed()
    {
        var request = new SetEnvRequest("agent", [Set("A", EnvSourceKind.Literal, "1"), Set("B", EnvSourceKind.ConfigMap, "cfg/b")], ["C"]);

        var back = SetEnvRequest.From(request.ToActionRequest(), out var unknown);
        SetEnvRequest.From(new ActionRequest(StringMap.Of(("limits.memory", "1Gi"))), out var bad);

        Assert.Empty(unknown);
        Assert.Equal(request.ToActionRequest(), back.ToActionRequest());
        Assert.Equal(["limits.memory"], bad);
    }

    [Fact]
    public void Kubectl_LiteralsAndRemovals_SetEnvCommand_ReferenceUnderAnotherName_None()
    {
        var plain = new SetEnvRequest("agent", [Set("A", EnvSourceKind.Literal, "two words")], ["C"]);
        var renamed = Req(Set("KOSMOS_MODEL_ENDPOINT", EnvSourceKind.ConfigMap, "cfg/KOSMOS_MODEL_URL"));

        Assert.Equal("kubectl set env deployment/memory-agent -n kosmos -c agent 'A=two words' C-", plain.Kubectl(Target));
        Assert.Null(renamed.Kubectl(Target));
    }

    private static EnvAssignment Set(string name, EnvSourceKind kind, string value) => new(name, kind, value);

    private static SetEnvRequest Req(EnvAssignment? set = null, string? remove = null) =>
        new("agent", set is null ? [] : [set], remove is null ? [] : [remove]);
}

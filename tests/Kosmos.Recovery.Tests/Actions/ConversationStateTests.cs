using System.Text;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;
using Kosmos.Recovery.Tests.Builders;

namespace Kosmos.Recovery.Tests.Actions;

/// <summary>The state document rules (import and export) and the choice of the pod a state tool runs in.</summary>
public sealed class ConversationStateTests
{
    private const string Valid = """{"agent":"planner","exportedAt":"2026-12-06T03:00:00.000Z","conversations":[{"id":"a","messages":[]},{"id":"b"}]}""";

    public static TheoryData<string, string, StateDocumentProblem, string> Documents => new()
    {
        { "valid", Valid, StateDocumentProblem.None, "" },
        { "empty conversations", """{"agent":"planner","exportedAt":"2026-12-06T03:00:00Z","conversations":[]}""", StateDocumentProblem.None, "" },
        { "not JSON", """{"agent": "planner", "conversations": [ {"id": """, StateDocumentProblem.NotJson, "The state document is not valid JSON: " },
        { "plain text", "hello", StateDocumentProblem.NotJson, "is not valid JSON" },
        { "array", "[1,2]", StateDocumentProblem.WrongShape, "must be a JSON object with agent, exportedAt and conversations (got a JSON array)" },
        { "no agent", """{"exportedAt":"2026-12-06T03:00:00Z","conversations":[]}""", StateDocumentProblem.WrongShape, "has no \"agent\"" },
        { "agent not a string", """{"agent":7,"exportedAt":"2026-12-06T03:00:00Z","conversations":[]}""", StateDocumentProblem.WrongShape, "has no \"agent\"" },
        { "no exportedAt", """{"agent":"planner","conversations":[]}""", StateDocumentProblem.WrongShape, "has no valid \"exportedAt\"" },
        { "exportedAt not a time", """{"agent":"planner","exportedAt":"yesterday","conversations":[]}""", StateDocumentProblem.WrongShape, "has no valid \"exportedAt\"" },
        { "no conversations", """{"agent":"planner","exportedAt":"2026-12-06T03:00:00Z"}""", StateDocumentProblem.WrongShape, "has no \"conversations\" array" },
        { "conversations an object", """{"agent":"planner","exportedAt":"2026-12-06T03:00:00Z","conversations":{}}""", StateDocumentProblem.WrongShape, "has no \"conversations\" array" },
        { "conversation a string", """{"agent":"planner","exportedAt":"2026-12-06T03:00:00Z","conversations":["a"]}""", StateDocumentProblem.WrongShape, "conversations[0] must be a JSON object (got a JSON string)" },
        { "conversation without id", """{"agent":"planner","exportedAt":"2026-12-06T03:00:00Z","conversations":[{"id":"a"},{"messages":[]}]}""", StateDocumentProblem.WrongShape, "conversations[1] has no \"id\"" },
        { "empty id", """{"agent":"planner","exportedAt":"2026-12-06T03:00:00Z","conversations":[{"id":""}]}""", StateDocumentProblem.WrongShape, "conversations[0] has no \"id\"" },
        { "duplicate id", """{"agent":"planner","exportedAt":"2026-12-06T03:00:00Z","conversations":[{"id":"a"},{"id":"a"}]}""", StateDocumentProblem.WrongShape, "conversations[1] repeats the id 'a'" },
        { "another agent", """{"agent":"archivist","exportedAt":"2026-12-06T03:00:00Z","conversations":[]}""", StateDocumentProblem.OtherAgent, "exported from agent 'archivist', not 'planner'" },
    };

    [Theory]
    [MemberData(nameof(Documents))]
    public void Check_Document_ProblemAndMessage(string name, string json, StateDocumentProblem problem, string message)
    {
        var check = StateDocument.Check(Encoding.UTF8.GetBytes(json), "planner", StateDocument.DefaultMaxBytes);

        Assert.True(problem == check.Problem, $"{name}: {check.Problem} {check.Error}");
        Assert.Equal(problem == StateDocumentProblem.None, check.IsValid);
        Assert.Contains(message, check.Error ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public void Check_Valid_ListsTheConversationIdsInOrder()
    {
        var check = StateDocument.Check(Encoding.UTF8.GetBytes(Valid), "planner", StateDocument.DefaultMaxBytes);

        Assert.Equal(["a", "b"], check.ConversationIds);
    }

    [Fact]
    public void Check_OneByteOverTheLimit_TooLargeBeforeParsing()
    {
        var bytes = Encoding.UTF8.GetBytes(Valid);

        var atLimit = StateDocument.Check(bytes, "planner", bytes.Length);
        var over = StateDocument.Check(bytes, "planner", bytes.Length - 1);

        Assert.True(atLimit.IsValid);
        Assert.Equal(StateDocumentProblem.TooLarge, over.Problem);
        Assert.Equal($"The state document is {bytes.Length} bytes, more than the {bytes.Length - 1} bytes this dashboard accepts (Kosmos:Actions:MaxStateBytes).", over.Error);
    }

    [Fact]
    public void Choose_NoPodRequested_TheLongestRunningReadyPod()
    {
        var detail = Detail(
            PodBuilder.Pod("planner-b").CreatedAt(Clock.At(5)).Ready().Build(),
            PodBuilder.Pod("planner-a").CreatedAt(Clock.At(1)).Ready(false).Build(),
            PodBuilder.Pod("planner-c").CreatedAt(Clock.At(2)).Ready().Build());

        var (pod, error) = StatePod.Choose(detail, null);

        Assert.Null(error);
        Assert.Equal("planner-c", pod!.Name);
    }

    public static TheoryData<string?, string> Refusals => new()
    {
        { "ghost", "Pod 'ghost' is not a pod of agent kosmos/planner (its pods: planner-a (not Ready), planner-t (Ready))." },
        { "planner-a", "Pod planner-a of agent kosmos/planner is not Ready: the tool runs only in a Ready pod." },
        { "planner-t", "Pod planner-t of agent kosmos/planner is not Ready (it is terminating)" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Choose_RequestedPodUnusable_SaysWhy(string? requested, string message)
    {
        var detail = Detail(
            PodBuilder.Pod("planner-a").Ready(false).Build(),
            PodBuilder.Pod("planner-t").Ready().DeletedAt(Clock.At(1)).Build());

        var (pod, error) = StatePod.Choose(detail, requested);

        Assert.Null(pod);
        Assert.StartsWith(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_NoReadyPod_NamesThePodsAndWhatToDo()
    {
        var (pod, error) = StatePod.Choose(Detail(PodBuilder.Pod("planner-a").Ready(false).Build()), null);

        Assert.Null(pod);
        Assert.Equal("Agent kosmos/planner has no Ready pod to run the state tool in (its pods: planner-a (not Ready)). Recover it first (e.g. Restart), then try again.", error);
    }

    [Fact]
    public void ExportStateRequest_RoundTripsThePod_AndNoPodIsNoValues()
    {
        Assert.True(new ExportStateRequest(" ").ToActionRequest().IsEmpty);
        Assert.Equal("planner-a", ExportStateRequest.From(new ExportStateRequest(" planner-a ").ToActionRequest()).Pod);
    }

    private static AgentDetail Detail(params PodSnapshot[] pods) => new(
        new AgentSummary("kosmos", "planner", null!, 0, 1, 0, null, [], HasDeployment: true),
        Workloads.Deployment(name: "planner"), [.. pods], [], [], [], []);
}

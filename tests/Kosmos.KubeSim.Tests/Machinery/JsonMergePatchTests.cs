using System.Text.Json.Nodes;
using Kosmos.KubeSim.Machinery;

namespace Kosmos.KubeSim.Tests.Machinery;

public sealed class JsonMergePatchTests
{
    // RFC 7386, Appendix A, every example.
    [Theory]
    [InlineData("""{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"a":null}""", """{}""")]
    [InlineData("""{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""")]
    [InlineData("""{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""")]
    [InlineData("""{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""")]
    [InlineData("""{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""")]
    [InlineData("""["a","b"]""", """["c","d"]""", """["c","d"]""")]
    [InlineData("""{"a":"b"}""", """["c"]""", """["c"]""")]
    [InlineData("""{"a":"foo"}""", "null", "null")]
    [InlineData("""{"a":"foo"}""", "\"bar\"", "\"bar\"")]
    [InlineData("""{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""")]
    [InlineData("""[1,2]""", """{"a":"b","c":null}""", """{"a":"b"}""")]
    [InlineData("""{}""", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""")]
    public void ApplyToDocument_Rfc7386Examples_GiveTheRfcResult(string target, string patch, string expected)
    {
        var result = JsonMergePatch.ApplyToDocument(JsonNode.Parse(target), JsonNode.Parse(patch));

        Fixtures.AssertJsonEqual(expected, result);
    }

    [Fact]
    public void Apply_ContainersList_ReplacesWholeListUnlikeStrategicMerge()
    {
        var patch = Fixtures.Node("""{"spec":{"template":{"spec":{"containers":[{"name":"agent","image":"new"}]}}}}""");

        var result = JsonMergePatch.Apply(Fixtures.Deployment(), patch);

        Fixtures.AssertJsonEqual("""[{"name":"agent","image":"new"}]""", Fixtures.At(result, "/spec/template/spec/containers"));
        Assert.Equal(2, Fixtures.At(result, "/spec/replicas")!.GetValue<int>());
    }

    [Fact]
    public void Apply_AnyPatch_DoesNotMutateInputs()
    {
        var original = Fixtures.Deployment();
        var patch = Fixtures.Node("""{"metadata":{"labels":{"tier":null,"team":"x"}}}""")!;
        var before = original.ToJsonString();
        var patchBefore = patch.ToJsonString();

        var result = JsonMergePatch.Apply(original, patch);

        Assert.Equal(before, original.ToJsonString());
        Assert.Equal(patchBefore, patch.ToJsonString());
        Fixtures.AssertJsonEqual("""{"app":"research-agent","team":"x"}""", Fixtures.At(result, "/metadata/labels"));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("null")]
    public void Apply_NonObjectPatchOnObject_ThrowsPatchException(string patch)
    {
        var error = Assert.Throws<PatchException>(() => JsonMergePatch.Apply(Fixtures.Deployment(), JsonNode.Parse(patch)));

        Assert.Contains("must be a JSON object", error.Message, StringComparison.Ordinal);
    }
}

using System.Text.Json.Nodes;
using Kosmos.KubeSim.Machinery;

namespace Kosmos.KubeSim.Tests.Machinery;

public sealed class JsonPatchTests
{
    // RFC 6902, Appendix A: the examples that succeed.
    [Theory]
    [InlineData("""{"foo":"bar"}""", """[{"op":"add","path":"/baz","value":"qux"}]""", """{"baz":"qux","foo":"bar"}""")]
    [InlineData("""{"foo":["bar","baz"]}""", """[{"op":"add","path":"/foo/1","value":"qux"}]""", """{"foo":["bar","qux","baz"]}""")]
    [InlineData("""{"baz":"qux","foo":"bar"}""", """[{"op":"remove","path":"/baz"}]""", """{"foo":"bar"}""")]
    [InlineData("""{"foo":["bar","qux","baz"]}""", """[{"op":"remove","path":"/foo/1"}]""", """{"foo":["bar","baz"]}""")]
    [InlineData("""{"baz":"qux","foo":"bar"}""", """[{"op":"replace","path":"/baz","value":"boo"}]""", """{"baz":"boo","foo":"bar"}""")]
    [InlineData("""{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}""", """[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]""", """{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}""")]
    [InlineData("""{"foo":["all","grass","cows","eat"]}""", """[{"op":"move","from":"/foo/1","path":"/foo/3"}]""", """{"foo":["all","cows","eat","grass"]}""")]
    [InlineData("""{"baz":"qux","foo":["a",2,"c"]}""", """[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]""", """{"baz":"qux","foo":["a",2,"c"]}""")]
    [InlineData("""{"foo":"bar"}""", """[{"op":"add","path":"/child","value":{"grandchild":{}}}]""", """{"foo":"bar","child":{"grandchild":{}}}""")]
    [InlineData("""{"foo":"bar"}""", """[{"op":"add","path":"/baz","value":"qux","xyz":123}]""", """{"foo":"bar","baz":"qux"}""")]
    [InlineData("""{"/":9,"~1":10}""", """[{"op":"test","path":"/~01","value":10}]""", """{"/":9,"~1":10}""")]
    [InlineData("""{"foo":["bar"]}""", """[{"op":"add","path":"/foo/-","value":["abc","def"]}]""", """{"foo":["bar",["abc","def"]]}""")]
    [InlineData("""{"a":{"b":1}}""", """[{"op":"copy","from":"/a","path":"/c"},{"op":"replace","path":"/c/b","value":2}]""", """{"a":{"b":1},"c":{"b":2}}""")]
    [InlineData("""{"a":1}""", """[{"op":"test","path":"/a","value":1.0}]""", """{"a":1}""")]
    [InlineData("""{"a":1}""", """[{"op":"replace","path":"","value":{"b":2}}]""", """{"b":2}""")]
    public void ApplyToDocument_ValidOperations_GiveExpectedDocument(string document, string patch, string expected)
    {
        var result = JsonPatch.ApplyToDocument(JsonNode.Parse(document), JsonNode.Parse(patch));

        Fixtures.AssertJsonEqual(expected, result);
    }

    [Theory]
    [InlineData("""{"baz":"qux"}""", """[{"op":"test","path":"/baz","value":"bar"}]""", "testing value /baz failed")]
    [InlineData("""{"/":9,"~1":10}""", """[{"op":"test","path":"/~01","value":"10"}]""", "testing value /~01 failed")]
    [InlineData("""{"foo":"bar"}""", """[{"op":"add","path":"/baz/bat","value":"qux"}]""", "add operation does not apply: doc is missing path: /baz/bat")]
    [InlineData("""{"foo":"bar"}""", """[{"op":"replace","path":"/nope","value":1}]""", "replace operation does not apply: doc is missing key: /nope")]
    [InlineData("""{"foo":"bar"}""", """[{"op":"remove","path":"/nope"}]""", "remove operation does not apply: doc is missing key: /nope")]
    [InlineData("""{"foo":[1]}""", """[{"op":"add","path":"/foo/5","value":2}]""", "index 5 is out of bounds in path /foo/5")]
    [InlineData("""{"foo":[1,2]}""", """[{"op":"remove","path":"/foo/01"}]""", "\"01\" is not an array index")]
    [InlineData("""{"foo":[1]}""", """[{"op":"remove","path":"/foo/-"}]""", "\"-\" is not an array index")]
    [InlineData("""{"foo":1}""", """[{"op":"add","path":"/a~2b","value":1}]""", "invalid escape")]
    [InlineData("""{"foo":1}""", """[{"op":"add","path":"foo","value":1}]""", "must start with '/'")]
    [InlineData("""{"foo":1}""", """[{"path":"/foo","value":1}]""", "missing a string \"op\"")]
    [InlineData("""{"foo":1}""", """[{"op":"add","path":"/foo"}]""", "(add) is missing \"value\"")]
    [InlineData("""{"foo":1}""", """[{"op":"copy","path":"/bar"}]""", "missing a string \"from\"")]
    [InlineData("""{"foo":1}""", """[{"op":"frobnicate","path":"/foo"}]""", "Unexpected kind: frobnicate")]
    [InlineData("""{"a":{"b":{}}}""", """[{"op":"move","from":"/a","path":"/a/b/c"}]""", "is a parent of")]
    [InlineData("""{"foo":1}""", """{"op":"add","path":"/foo","value":1}""", "must be a JSON array")]
    [InlineData("""{"foo":1}""", """["add"]""", "operation 0 must be a JSON object")]
    public void ApplyToDocument_InvalidOperation_ThrowsPatchExceptionNamingTheProblem(string document, string patch, string expectedMessage)
    {
        var error = Assert.Throws<PatchException>(() => JsonPatch.ApplyToDocument(JsonNode.Parse(document), JsonNode.Parse(patch)));

        Assert.Contains(expectedMessage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_KubernetesStylePatch_EscapesSlashInAnnotationKey()
    {
        var patch = Fixtures.Node("""
            [
              {"op":"test","path":"/spec/replicas","value":2},
              {"op":"replace","path":"/spec/replicas","value":4},
              {"op":"add","path":"/spec/template/metadata/annotations/kubectl.kubernetes.io~1restartedAt","value":"2025-12-13T10:15:00Z"},
              {"op":"remove","path":"/spec/template/spec/containers/1"}
            ]
            """);

        var result = JsonPatch.Apply(Fixtures.Deployment(), patch);

        Assert.Equal(4, Fixtures.At(result, "/spec/replicas")!.GetValue<int>());
        Assert.Equal("2025-12-13T10:15:00Z", result["spec"]!["template"]!["metadata"]!["annotations"]!["kubectl.kubernetes.io/restartedAt"]!.GetValue<string>());
        Assert.Single(Fixtures.At(result, "/spec/template/spec/containers")!.AsArray());
    }

    [Fact]
    public void Apply_FailingLaterOperation_LeavesOriginalUntouched()
    {
        var original = Fixtures.Deployment();
        var before = original.ToJsonString();
        var patch = Fixtures.Node("""[{"op":"replace","path":"/spec/replicas","value":9},{"op":"test","path":"/spec/replicas","value":2}]""");

        Assert.Throws<PatchException>(() => JsonPatch.Apply(original, patch));

        Assert.Equal(before, original.ToJsonString());
    }

    [Fact]
    public void Apply_RootReplacedByNonObject_ThrowsPatchException()
    {
        var error = Assert.Throws<PatchException>(() => JsonPatch.Apply(Fixtures.Deployment(), Fixtures.Node("""[{"op":"replace","path":"","value":[1]}]""")));

        Assert.Contains("must be a JSON object", error.Message, StringComparison.Ordinal);
    }
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kosmos.KubeSim.FileSystem;
using static Kosmos.KubeSim.Tests.Exec.ExecTestSupport;

namespace Kosmos.KubeSim.Tests.Exec.Commands;

public sealed class ConversationStateToolTests
{
    private static readonly string[] Export = ["python", "-m", "kosmos.tools.export_state", "--output", "/tmp/state.json"];
    private static readonly string[] Import = ["python", "-m", "kosmos.tools.import_state", "--input", "/tmp/state.json"];

    [Fact]
    public async Task Export_WritesOneDocumentWithAllConversations()
    {
        var context = CreateContext(StateVolume("c-2", "c-1", "c-3"), new RecordingAgentHook("alpha"));

        var result = await RunAsync(context, Export);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("exported 3 conversations to /tmp/state.json\n", result.Stdout);
        var document = JsonNode.Parse(context.FileSystem.ReadAllText("/tmp/state.json"))!;
        Assert.Equal("alpha", (string?)document["agent"]);
        Assert.Equal("2025-12-13T09:30:00.000Z", (string?)document["exportedAt"]);
        var conversations = document["conversations"]!.AsArray();
        Assert.Equal(["c-1", "c-2", "c-3"], conversations.Select(c => (string?)c!["id"]));
        Assert.Equal("hello from c-2", (string?)conversations[1]!["messages"]![0]!["content"]);
    }

    [Fact]
    public async Task Export_Python3AndEqualsSyntax_Work()
    {
        var context = CreateContext(StateVolume("only"));

        var result = await RunAsync(context, "python3", "-m", "kosmos.tools.export_state", "--output=/tmp/one.json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("exported 1 conversation to /tmp/one.json\n", result.Stdout);
    }

    [Fact]
    public async Task Export_WithoutOutput_WritesDocumentToStdout()
    {
        var context = CreateContext(StateVolume("a"));

        var result = await RunAsync(context, "python", "-m", "kosmos.tools.export_state");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("a", (string?)JsonNode.Parse(result.Stdout)!["conversations"]![0]!["id"]);
        Assert.Equal("exported 1 conversation to stdout\n", result.Stderr);
    }

    [Fact]
    public async Task Export_FileWithoutId_GetsIdFromFileName()
    {
        var volume = new VolumeData();
        volume.WriteFile("conversations/legacy-7.json", """{"title":"old"}"""u8, createParents: true);
        var context = CreateContext(volume);

        await RunAsync(context, Export);

        var conversation = JsonNode.Parse(context.FileSystem.ReadAllText("/tmp/state.json"))!["conversations"]![0]!;
        Assert.Equal(("legacy-7", "old"), ((string?)conversation["id"], (string?)conversation["title"]));
    }

    [Fact]
    public async Task Export_NoStateVolume_FailsWithTellingMessage()
    {
        var result = await RunAsync(CreateContext(state: null), Export);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("export_state: error: no persistent volume is mounted at /var/lib/kosmos", result.Stderr);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task ExportThenImport_IntoAnotherAgent_PreservesConversations()
    {
        var sourceVolume = StateVolume("c-1", "c-2", "c-3");
        var source = CreateContext(sourceVolume, new RecordingAgentHook("alpha"));
        var targetVolume = StateVolume("stale-1", "stale-2");
        var hook = new RecordingAgentHook("alpha");
        var target = CreateContext(targetVolume, hook, pod: "agent-alpha-new");

        Assert.Equal(0, (await RunAsync(source, Export)).ExitCode);
        target.FileSystem.WriteFile("/tmp/state.json", source.FileSystem.ReadFile("/tmp/state.json"));
        var result = await RunAsync(target, Import);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("imported 3 conversations from /tmp/state.json (replaced 2 conversations)\n", result.Stdout);
        Assert.Empty(result.Stderr);
        Assert.Equal(sourceVolume.EnumerateFiles(), targetVolume.EnumerateFiles());
        foreach (var path in sourceVolume.EnumerateFiles())
        {
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(sourceVolume.ReadFile(path)), JsonNode.Parse(targetVolume.ReadFile(path))), path);
        }

        Assert.Equal(["c-1", "c-2", "c-3"], Assert.Single(hook.Imports));
    }

    [Fact]
    public async Task Import_FromOtherAgent_WarnsButImports()
    {
        var context = CreateContext(new VolumeData(), new RecordingAgentHook("beta"));
        context.FileSystem.WriteAllText("/tmp/state.json", """{"agent":"alpha","exportedAt":"2025-12-13T09:30:00Z","conversations":[{"id":"x"}]}""");

        var result = await RunAsync(context, Import);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("import_state: warning: /tmp/state.json was exported from agent 'alpha'; importing into 'beta'\n", result.Stderr);
    }

    [Fact]
    public async Task Import_FromStdin_Works()
    {
        var volume = new VolumeData();
        var context = CreateContext(volume);

        var result = await RunAsync(context, ["python", "-m", "kosmos.tools.import_state", "--input", "-"], """{"conversations":[{"id":"s1"}]}"""u8.ToArray());

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["/conversations/s1.json"], volume.EnumerateFiles());
    }

    [Theory]
    [InlineData("{\"conversations\": [", "is not valid JSON")]
    [InlineData("not json at all", "is not valid JSON")]
    [InlineData("[]", "not a state export: expected an object")]
    [InlineData("{\"agent\":\"alpha\"}", "\"conversations\" is missing")]
    [InlineData("{\"conversations\":{}}", "\"conversations\" must be an array, found an object")]
    [InlineData("{\"conversations\":[42]}", "conversations[0] must be an object, found a number")]
    [InlineData("{\"conversations\":[{\"title\":\"no id\"}]}", "conversations[0]: \"id\" is missing or not a string")]
    [InlineData("{\"conversations\":[{\"id\":\"ok\"},{\"id\":\"../../etc/passwd\"}]}", "conversations[1]: \"id\" '../../etc/passwd' is not a valid conversation id")]
    [InlineData("{\"conversations\":[{\"id\":\"dup\"},{\"id\":\"dup\"}]}", "conversations[1]: duplicate conversation id 'dup'")]
    [InlineData("{\"agent\":7,\"conversations\":[]}", "\"agent\" must be a string, found a number")]
    public async Task Import_InvalidDocument_FailsAndWritesNothing(string document, string expectedError)
    {
        var volume = StateVolume("keep-1", "keep-2");
        var before = Snapshot(volume);
        var hook = new RecordingAgentHook("alpha");
        var context = CreateContext(volume, hook);
        context.FileSystem.WriteAllText("/tmp/state.json", document);

        var result = await RunAsync(context, Import);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("import_state: error: /tmp/state.json", result.Stderr);
        Assert.Contains(expectedError, result.Stderr);
        Assert.Empty(result.Stdout);
        Assert.Equal(before, Snapshot(volume));
        Assert.Empty(hook.Imports);
    }

    [Fact]
    public async Task Import_MissingFile_FailsAndWritesNothing()
    {
        var volume = StateVolume("keep");
        var before = Snapshot(volume);

        var result = await RunAsync(CreateContext(volume), Import);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("import_state: error: cannot read /tmp/state.json: No such file or directory\n", result.Stderr);
        Assert.Equal(before, Snapshot(volume));
    }

    [Fact]
    public async Task Import_WithoutInputArgument_IsArgparseUsageError()
    {
        var result = await RunAsync(CreateContext(new VolumeData()), "python", "-m", "kosmos.tools.import_state");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("usage: import_state.py [-h] --input INPUT\nimport_state.py: error: the following arguments are required: --input/-i\n", result.Stderr);
    }

    [Fact]
    public async Task Import_NoStateVolume_Fails()
    {
        var context = CreateContext(state: null);
        context.FileSystem.WriteAllText("/tmp/state.json", """{"conversations":[]}""");

        var result = await RunAsync(context, Import);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("import_state: error: no persistent volume is mounted at /var/lib/kosmos", result.Stderr);
    }

    [Fact]
    public async Task UnknownModule_FailsLikePython()
    {
        var result = await RunAsync(CreateContext(new VolumeData()), "python", "-m", "kosmos.tools.nope");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("/usr/local/bin/python: No module named kosmos.tools.nope\n", result.Stderr);
    }

    [Fact]
    public async Task ExportedDocument_IsIndentedUtf8Json()
    {
        var context = CreateContext(StateVolume("a"));

        await RunAsync(context, Export);

        var bytes = context.FileSystem.ReadFile("/tmp/state.json");
        using var document = JsonDocument.Parse(bytes);
        Assert.Contains("\n  \"conversations\": [", Encoding.UTF8.GetString(bytes));
    }
}

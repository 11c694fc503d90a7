using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kosmos.KubeSim.Exec.Shell;
using Kosmos.KubeSim.FileSystem;

namespace Kosmos.KubeSim.Exec.Commands;

/// <summary>
/// <c>python -m kosmos.tools.export_state [--output FILE]</c> and <c>python -m kosmos.tools.import_state --input FILE</c>
/// (FILE "-" is stdout/stdin). Conversations are the <c>*.json</c> files in <c>conversations/</c> on the volume
/// mounted at <see cref="ExecContext.AgentStateMountPath"/>, one JSON object per conversation, named by its "id".
/// The exported document is <c>{"agent": "...", "exportedAt": "...", "conversations": [ ... ]}</c>.
/// Import checks the whole document first and writes nothing when anything is wrong; then it replaces the
/// conversations in one atomic step.
/// </summary>
internal static partial class ConversationStateTool
{
    private const string ConversationsDirectory = "conversations";

    public static async Task<int> ExportAsync(CommandContext c, IReadOnlyList<string> args)
    {
        const string Usage = "usage: export_state.py [-h] [--output OUTPUT]";
        var parsed = ParseArguments(args, "--output", "-o");
        if (parsed.Help)
        {
            await c.OutLineAsync(Usage + "\n\nExport this agent's conversation state as one JSON document.\n\noptions:\n  -h, --help            show this help message and exit\n  --output OUTPUT, -o OUTPUT\n                        file to write (default: stdout)").ConfigureAwait(false);
            return 0;
        }

        if (parsed.Error is not null)
        {
            await c.ErrLineAsync($"{Usage}\nexport_state.py: error: {parsed.Error}").ConfigureAwait(false);
            return 2;
        }

        if (!TryGetVolume(c, out var volume))
        {
            return await NoVolumeAsync(c, "export_state").ConfigureAwait(false);
        }

        var conversations = new List<(string Id, JsonElement Body, bool HasId)>();
        var directory = volume.TryStat(ConversationsDirectory);
        foreach (var file in directory?.IsDirectory == true ? volume.List(ConversationsDirectory) : [])
        {
            if (!file.IsFile || !file.Name.EndsWith(".json", StringComparison.Ordinal))
            {
                continue;
            }

            var shown = ExecContext.AgentStateMountPath + file.Path;
            try
            {
                using var document = JsonDocument.Parse(volume.ReadFile(file.Path));
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return await FailAsync(c, "export_state", $"{shown}: a conversation must be a JSON object").ConfigureAwait(false);
                }

                var body = document.RootElement.Clone();
                var hasId = body.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String;
                conversations.Add((hasId ? idElement.GetString()! : file.Name[..^".json".Length], body, hasId));
            }
            catch (JsonException e)
            {
                return await FailAsync(c, "export_state", $"{shown} is not valid JSON: {e.Message}").ConfigureAwait(false);
            }
        }

        conversations.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("agent", AgentName(c));
            writer.WriteString("exportedAt", c.Exec.TimeProvider.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            writer.WriteStartArray("conversations");
            foreach (var (id, body, hasId) in conversations)
            {
                writer.WriteStartObject();
                if (!hasId)
                {
                    writer.WriteString("id", id);
                }

                foreach (var property in body.EnumerateObject())
                {
                    property.WriteTo(writer);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        var summary = $"exported {Count(conversations.Count)} to {(parsed.Path is null or "-" ? "stdout" : parsed.Path)}";
        if (parsed.Path is null or "-")
        {
            await c.Stdout.WriteAsync(buffer.ToArray(), c.CancellationToken).ConfigureAwait(false);
            await c.ErrLineAsync(summary).ConfigureAwait(false);
            return 0;
        }

        try
        {
            c.FileSystem.WriteFile(c.Resolve(parsed.Path), buffer.ToArray());
        }
        catch (FileSystemException e)
        {
            return await FailAsync(c, "export_state", $"cannot write {parsed.Path}: {e.Reason}").ConfigureAwait(false);
        }

        await c.OutLineAsync(summary).ConfigureAwait(false);
        return 0;
    }

    public static async Task<int> ImportAsync(CommandContext c, IReadOnlyList<string> args)
    {
        const string Usage = "usage: import_state.py [-h] --input INPUT";
        var parsed = ParseArguments(args, "--input", "-i");
        if (parsed.Help)
        {
            await c.OutLineAsync(Usage + "\n\nReplace this agent's conversations with those of an exported state document.\n\noptions:\n  -h, --help            show this help message and exit\n  --input INPUT, -i INPUT\n                        exported state document (- for stdin)").ConfigureAwait(false);
            return 0;
        }

        parsed = parsed with { Error = parsed.Error ?? (parsed.Path is null ? "the following arguments are required: --input/-i" : null) };
        if (parsed.Error is not null)
        {
            await c.ErrLineAsync($"{Usage}\nimport_state.py: error: {parsed.Error}").ConfigureAwait(false);
            return 2;
        }

        var source = parsed.Path!;
        if (!TryGetVolume(c, out var volume))
        {
            return await NoVolumeAsync(c, "import_state").ConfigureAwait(false);
        }

        byte[] input;
        try
        {
            input = source == "-" ? await c.Stdin.ReadToEndAsync(c.CancellationToken).ConfigureAwait(false) : c.FileSystem.ReadFile(c.Resolve(source));
        }
        catch (FileSystemException e)
        {
            return await FailAsync(c, "import_state", $"cannot read {source}: {e.Reason}").ConfigureAwait(false);
        }

        var shown = source == "-" ? "stdin" : source;
        Dictionary<string, byte[]> files;
        string? exportedBy;
        try
        {
            using var document = JsonDocument.Parse(input);
            (files, exportedBy) = Validate(document.RootElement, shown);
        }
        catch (JsonException e)
        {
            return await FailAsync(c, "import_state", $"{shown} is not valid JSON: {e.Message}").ConfigureAwait(false);
        }
        catch (InvalidStateDocumentException e)
        {
            return await FailAsync(c, "import_state", e.Message).ConfigureAwait(false);
        }

        var agent = AgentName(c);
        if (exportedBy is not null && exportedBy != agent)
        {
            await c.ErrLineAsync($"import_state: warning: {shown} was exported from agent '{exportedBy}'; importing into '{agent}'").ConfigureAwait(false);
        }

        var previous = volume.ReplaceFiles(ConversationsDirectory, files);
        var ids = files.Keys.Select(k => k[..^".json".Length]).Order(StringComparer.Ordinal).ToList();
        c.Exec.Agent?.OnConversationsImported(ids);
        await c.OutLineAsync($"imported {Count(ids.Count)} from {shown} (replaced {Count(previous)})").ConfigureAwait(false);
        return 0;
    }

    private static (Dictionary<string, byte[]> Files, string? Agent) Validate(JsonElement root, string shown)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidStateDocumentException($"{shown}: not a state export: expected an object with \"agent\", \"exportedAt\" and \"conversations\", found {Describe(root.ValueKind)}");
        }

        string? agent = null;
        if (root.TryGetProperty("agent", out var agentElement))
        {
            agent = agentElement.ValueKind == JsonValueKind.String
                ? agentElement.GetString()
                : throw new InvalidStateDocumentException($"{shown}: \"agent\" must be a string, found {Describe(agentElement.ValueKind)}");
        }

        if (root.TryGetProperty("exportedAt", out var exportedAt) && exportedAt.ValueKind != JsonValueKind.String)
        {
            throw new InvalidStateDocumentException($"{shown}: \"exportedAt\" must be a string, found {Describe(exportedAt.ValueKind)}");
        }

        if (!root.TryGetProperty("conversations", out var conversations))
        {
            throw new InvalidStateDocumentException($"{shown}: not a state export: \"conversations\" is missing");
        }

        if (conversations.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidStateDocumentException($"{shown}: \"conversations\" must be an array, found {Describe(conversations.ValueKind)}");
        }

        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var index = 0;
        foreach (var conversation in conversations.EnumerateArray())
        {
            var where = $"{shown}: conversations[{index}]";
            if (conversation.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidStateDocumentException($"{where} must be an object, found {Describe(conversation.ValueKind)}");
            }

            if (!conversation.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String)
            {
                throw new InvalidStateDocumentException($"{where}: \"id\" is missing or not a string");
            }

            var value = id.GetString()!;
            if (!ConversationId().IsMatch(value))
            {
                throw new InvalidStateDocumentException($"{where}: \"id\" '{value}' is not a valid conversation id (letters, digits, '.', '_', '-'; at most 128)");
            }

            if (!files.TryAdd(value + ".json", Compact(conversation)))
            {
                throw new InvalidStateDocumentException($"{where}: duplicate conversation id '{value}'");
            }

            index++;
        }

        return (files, agent);
    }

    // Stored one conversation per file, compact, whatever the export's indentation was.
    private static byte[] Compact(JsonElement conversation)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            conversation.WriteTo(writer);
        }

        return buffer.ToArray();
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };

    private static string Count(int n) => n == 1 ? "1 conversation" : $"{n.ToString(CultureInfo.InvariantCulture)} conversations";

    private static string AgentName(CommandContext c) =>
        c.Exec.Agent?.AgentName ?? c.Environment.GetValueOrDefault("KOSMOS_AGENT_NAME") ?? c.Exec.PodName;

    private static bool TryGetVolume(CommandContext c, out VolumeData volume)
    {
        var found = c.FileSystem.TryGetVolume(ExecContext.AgentStateMountPath, out var mounted);
        volume = mounted!;
        return found;
    }

    private static Task<int> NoVolumeAsync(CommandContext c, string tool) =>
        FailAsync(c, tool, $"no persistent volume is mounted at {ExecContext.AgentStateMountPath}: conversation state lives on the agent's PVC there (is this an agent pod with its state volume?)");

    private static async Task<int> FailAsync(CommandContext c, string tool, string message)
    {
        await c.ErrLineAsync($"{tool}: error: {message}").ConfigureAwait(false);
        return 1;
    }

    private static ParsedArguments ParseArguments(IReadOnlyList<string> args, string longName, string shortName)
    {
        string? path = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help")
            {
                return new ParsedArguments(null, true, null);
            }

            if (arg == longName || arg == shortName)
            {
                if (i + 1 >= args.Count)
                {
                    return new ParsedArguments(null, false, $"argument {longName}/{shortName}: expected one argument");
                }

                path = args[++i];
            }
            else if (arg.StartsWith(longName + "=", StringComparison.Ordinal))
            {
                path = arg[(longName.Length + 1)..];
            }
            else
            {
                return new ParsedArguments(null, false, $"unrecognized arguments: {string.Join(' ', args.Skip(i))}");
            }
        }

        return new ParsedArguments(path, false, null);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex ConversationId();

    private sealed record ParsedArguments(string? Path, bool Help, string? Error);

    private sealed class InvalidStateDocumentException(string message) : Exception(message);
}

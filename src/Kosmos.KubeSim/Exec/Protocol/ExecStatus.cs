using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Kosmos.KubeSim.Exec.Protocol;

/// <summary>The Kubernetes Status documents an exec ends with (status channel) or is refused with (HTTP body).</summary>
internal static class ExecStatus
{
    public static byte[] Success() => """{"metadata":{},"status":"Success"}"""u8.ToArray();

    /// <summary>What the kubelet reports for a non-zero exit; kubectl and the .NET client read the code from the ExitCode cause.</summary>
    public static byte[] NonZeroExit(IReadOnlyList<string> command, int exitCode)
    {
        var code = exitCode.ToString(CultureInfo.InvariantCulture);
        return Write(writer =>
        {
            writer.WriteStartObject("metadata");
            writer.WriteEndObject();
            writer.WriteString("status", "Failure");
            writer.WriteString("message", NonZeroExitMessage(command, exitCode));
            writer.WriteString("reason", "NonZeroExitCode");
            writer.WriteStartObject("details");
            writer.WriteStartArray("causes");
            writer.WriteStartObject();
            writer.WriteString("reason", "ExitCode");
            writer.WriteString("message", code);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    public static string NonZeroExitMessage(IReadOnlyList<string> command, int exitCode) =>
        string.Create(CultureInfo.InvariantCulture, $"command terminated with non-zero exit code: error executing command [{string.Join(' ', command)}], exit code {exitCode}");

    public static byte[] InternalError(string message) => Write(writer =>
    {
        writer.WriteStartObject("metadata");
        writer.WriteEndObject();
        writer.WriteString("status", "Failure");
        writer.WriteString("message", message);
        writer.WriteString("reason", "InternalError");
        writer.WriteNumber("code", 500);
    });

    /// <summary>A full Status object as an HTTP error body (<c>kind</c>, <c>apiVersion</c>, <c>code</c> included).</summary>
    public static byte[] HttpError(int code, string reason, string message) => Write(writer =>
    {
        writer.WriteString("kind", "Status");
        writer.WriteString("apiVersion", "v1");
        writer.WriteStartObject("metadata");
        writer.WriteEndObject();
        writer.WriteString("status", "Failure");
        writer.WriteString("message", message);
        writer.WriteString("reason", reason);
        writer.WriteNumber("code", code);
    });

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static byte[] Text(string message) => Encoding.UTF8.GetBytes(message);
}

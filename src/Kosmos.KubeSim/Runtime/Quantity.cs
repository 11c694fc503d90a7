using System.Globalization;
using System.Text.Json.Nodes;
using Kosmos.KubeSim.Store;

namespace Kosmos.KubeSim.Runtime;

/// <summary>
/// Kubernetes resource quantities ("500m", "2", "256Mi", "1G", "1e3") as plain numbers: CPU in millicores, memory in bytes.
/// Pure and thread-safe.
/// </summary>
public static class Quantity
{
    private static readonly (string Suffix, decimal Factor)[] Suffixes =
    [
        ("Ki", 1024m), ("Mi", 1024m * 1024), ("Gi", 1024m * 1024 * 1024), ("Ti", 1024m * 1024 * 1024 * 1024),
        ("Pi", 1024m * 1024 * 1024 * 1024 * 1024), ("Ei", 1024m * 1024 * 1024 * 1024 * 1024 * 1024),
        ("n", 0.000000001m), ("u", 0.000001m), ("m", 0.001m), ("k", 1000m), ("M", 1000_000m), ("G", 1000_000_000m),
        ("T", 1000_000_000_000m), ("P", 1000_000_000_000_000m), ("E", 1000_000_000_000_000_000m),
    ];

    /// <summary>The quantity's value in base units (cores, bytes), or null when it is not a valid quantity.</summary>
    public static decimal? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();
        foreach (var (suffix, factor) in Suffixes)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal) && text.Length > suffix.Length
                && decimal.TryParse(text[..^suffix.Length], NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            {
                return n * factor;
            }
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !double.IsNaN(d) && !double.IsInfinity(d)
            ? (decimal)d
            : null;
    }

    /// <summary>A quantity node (string or number) in base units.</summary>
    public static decimal? Parse(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? Parse(s) : JsonValues.Long(node);

    public static long? MilliCpu(JsonNode? node) => Parse(node) is { } cores ? (long)Math.Ceiling(cores * 1000) : null;

    public static long? Bytes(JsonNode? node) => Parse(node) is { } bytes ? (long)Math.Ceiling(bytes) : null;

    /// <summary>Bytes in the binary unit people read in logs: "700Mi", "1.5Gi".</summary>
    public static string FormatBytes(long bytes)
    {
        const long Mi = 1024 * 1024;
        const long Gi = Mi * 1024;
        return bytes >= Gi
            ? (bytes % Gi == 0 ? $"{bytes / Gi}Gi" : string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)Gi:0.#}Gi"))
            : $"{(bytes + Mi / 2) / Mi}Mi";
    }
}

using System.Globalization;
using Kosmos.Recovery.Quantities;

namespace Kosmos.Recovery.Quantities;

/// <summary>Kubernetes memory quantities (<c>512Mi</c>, <c>1Gi</c>, <c>500M</c>, <c>1e9</c>) in bytes, and a suggestion for a bigger limit.</summary>
public static class MemoryQuantity
{
    public const long Ki = 1024;
    public const long Mi = Ki * 1024;
    public const long Gi = Mi * 1024;

    /// <summary>
    /// Bytes (rounded up, as Kubernetes does), or null when the text is not a quantity or is negative. Reads with the one
    /// kubectl-conformant grammar, <see cref="Quantity"/>, trimmed as the API server's JSON decoder trims.
    /// </summary>
    public static long? Parse(string? text) => Quantity.Decode(text) is { Sign: >= 0 } quantity ? quantity.Value() : null;

    /// <summary>The shortest exact binary form: <c>2Gi</c>, <c>1536Mi</c>, <c>100Ki</c>, or plain bytes.</summary>
    public static string Format(long bytes) =>
        bytes != 0 && bytes % Gi == 0 ? Invariant($"{bytes / Gi}Gi")
        : bytes != 0 && bytes % Mi == 0 ? Invariant($"{bytes / Mi}Mi")
        : bytes != 0 && bytes % Ki == 0 ? Invariant($"{bytes / Ki}Ki")
        : Invariant($"{bytes}");

    /// <summary>
    /// A limit for a container that was OOM-killed at <paramref name="currentLimitBytes"/>: double it, rounded up to a
    /// number people write (a multiple of 64Mi below 1Gi, of 256Mi from there).
    /// </summary>
    public static long SuggestLimit(long currentLimitBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(currentLimitBytes);
        var doubled = currentLimitBytes * 2;
        var step = doubled < Gi ? 64 * Mi : 256 * Mi;
        return (doubled + step - 1) / step * step;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

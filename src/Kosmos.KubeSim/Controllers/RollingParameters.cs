using System.Globalization;
using System.Text.Json.Nodes;
using Kosmos.KubeSim.Store;

namespace Kosmos.KubeSim.Controllers;

/// <summary>
/// maxSurge / maxUnavailable resolved against a replica count like deploymentutil.ResolveFenceposts: percentages
/// round surge up and unavailable down; when both come out 0, unavailable becomes 1 so a rollout can proceed.
/// </summary>
internal static class RollingParameters
{
    public const string DefaultPercent = "25%";

    public static (int MaxSurge, int MaxUnavailable) Resolve(JsonNode? maxSurge, JsonNode? maxUnavailable, int replicas)
    {
        var surge = Scaled(maxSurge, replicas, roundUp: true);
        var unavailable = Scaled(maxUnavailable, replicas, roundUp: false);
        if (surge == 0 && unavailable == 0)
        {
            unavailable = 1;
        }

        return (surge, unavailable);
    }

    /// <summary>An IntOrString (absent = 25%) scaled to <paramref name="total"/>.</summary>
    public static int Scaled(JsonNode? value, int total, bool roundUp)
    {
        if (JsonValues.String(value) is not { } text)
        {
            return value is null ? Scaled(JsonValue.Create(DefaultPercent), total, roundUp) : (int)(JsonValues.Long(value) ?? 0);
        }

        text = text.Trim();
        if (!text.EndsWith('%'))
        {
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var plain)
                ? plain
                : throw new FormatException($"invalid value for IntOrString: invalid value \"{text}\": must be an integer or percentage (e.g '5%')");
        }

        if (!int.TryParse(text[..^1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var percent))
        {
            throw new FormatException($"invalid value for IntOrString: invalid value \"{text}\": must be an integer or percentage (e.g '5%')");
        }

        var product = (long)percent * total;
        return (int)(roundUp ? (product + 99) / 100 : product / 100);
    }
}

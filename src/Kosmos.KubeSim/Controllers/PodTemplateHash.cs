using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kosmos.KubeSim.Controllers;

/// <summary>
/// The <c>pod-template-hash</c> label value: FNV-32a over the pod template (plus the collision count, if any),
/// its decimal digits mapped to the "safe" alphabet without vowels — like controller.ComputeHash and
/// rand.SafeEncodeString, so names look like <c>planner-5d8f7c9b4</c>. The template is hashed as canonical
/// JSON (object keys sorted) so equal templates hash equally whatever order their fields arrived in.
/// </summary>
internal static class PodTemplateHash
{
    public const string Label = "pod-template-hash";
    private const string SafeAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string Compute(JsonNode? template, long? collisionCount)
    {
        const uint OffsetBasis = 2166136261;
        const uint Prime = 16777619;
        var hash = OffsetBasis;
        foreach (var b in Encoding.UTF8.GetBytes(Canonical(template)))
        {
            hash = (hash ^ b) * Prime;
        }

        if (collisionCount is { } c)
        {
            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, unchecked((uint)c));
            foreach (var b in bytes)
            {
                hash = (hash ^ b) * Prime;
            }
        }

        var digits = hash.ToString(CultureInfo.InvariantCulture);
        var encoded = new StringBuilder(digits.Length);
        foreach (var d in digits)
        {
            encoded.Append(SafeAlphabet[d % SafeAlphabet.Length]);
        }

        return encoded.ToString();
    }

    /// <summary>Whether two pod templates are equal once the pod-template-hash label is ignored (EqualIgnoreHash).</summary>
    public static bool EqualIgnoringHash(JsonNode? a, JsonNode? b) => Canonical(WithoutHash(a)) == Canonical(WithoutHash(b));

    /// <summary>JSON with object keys in ordinal order at every level.</summary>
    public static string Canonical(JsonNode? node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, node);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static JsonNode? WithoutHash(JsonNode? template)
    {
        if (template?.DeepClone() is not JsonObject copy)
        {
            return template;
        }

        if (copy["metadata"]?["labels"] is JsonObject labels)
        {
            labels.Remove(Label);
            if (labels.Count == 0)
            {
                ((JsonObject)copy["metadata"]!).Remove("labels");
            }
        }

        return copy;
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}

using System.Text;
using System.Text.Json.Nodes;
using Kosmos.KubeSim.Api;

namespace Kosmos.KubeSim.Auth;

/// <summary>
/// kubectl sends access reviews as protobuf (<c>application/vnd.kubernetes.protobuf</c>) and does not fall back to JSON: the
/// envelope is the magic <c>k8s\0</c> and a <c>runtime.Unknown</c> (1 typeMeta, 2 raw), raw is the review
/// (k8s.io/api/authorization/v1 generated.proto). Only the fields a review's spec carries are read; answers go back as JSON,
/// which every client-go accepts.
/// </summary>
internal static class AccessReviewProtobuf
{
    private static readonly byte[] Magic = "k8s\0"u8.ToArray();

    public static JsonObject Decode(ReadOnlySpan<byte> body)
    {
        if (!body.StartsWith(Magic))
        {
            throw ApiException.BadRequest("the protobuf body does not start with the Kubernetes magic number");
        }

        string? kind = null;
        byte[] raw = [];
        foreach (var (field, value) in Fields(body[Magic.Length..].ToArray()))
        {
            if (field == 1)
            {
                kind = Fields(value).Where(f => f.Field == 2).Select(f => Encoding.UTF8.GetString(f.Value)).FirstOrDefault();
            }
            else if (field == 2)
            {
                raw = value;
            }
        }

        var spec = new JsonObject();
        foreach (var (field, value) in Fields(raw).Where(f => f.Field == 2))
        {
            if (kind == "SelfSubjectRulesReview")
            {
                spec["namespace"] = Strings(value).GetValueOrDefault(1, "");
                continue;
            }

            foreach (var (attribute, content) in Fields(value))
            {
                var strings = Strings(content);
                spec[attribute == 1 ? "resourceAttributes" : "nonResourceAttributes"] = attribute == 1
                    ? new JsonObject
                    {
                        ["namespace"] = strings.GetValueOrDefault(1, ""),
                        ["verb"] = strings.GetValueOrDefault(2, ""),
                        ["group"] = strings.GetValueOrDefault(3, ""),
                        ["version"] = strings.GetValueOrDefault(4, ""),
                        ["resource"] = strings.GetValueOrDefault(5, ""),
                        ["subresource"] = strings.GetValueOrDefault(6, ""),
                        ["name"] = strings.GetValueOrDefault(7, ""),
                    }
                    : new JsonObject { ["path"] = strings.GetValueOrDefault(1, ""), ["verb"] = strings.GetValueOrDefault(2, "") };
            }
        }

        return new JsonObject { ["kind"] = kind, ["spec"] = spec };
    }

    private static Dictionary<int, string> Strings(byte[] message)
    {
        var strings = new Dictionary<int, string>();
        foreach (var (field, value) in Fields(message))
        {
            strings[field] = Encoding.UTF8.GetString(value);
        }

        return strings;
    }

    // Length-delimited fields only (every field read here is a string or a message); varints are skipped.
    private static List<(int Field, byte[] Value)> Fields(byte[] message)
    {
        var fields = new List<(int, byte[])>();
        var i = 0;
        while (i < message.Length)
        {
            var key = Varint(message, ref i);
            var wireType = (int)(key & 7);
            var field = (int)(key >> 3);
            switch (wireType)
            {
                case 0:
                    Varint(message, ref i);
                    break;
                case 2:
                    var length = (int)Varint(message, ref i);
                    if (length < 0 || i + length > message.Length)
                    {
                        throw ApiException.BadRequest("the protobuf body is truncated");
                    }

                    fields.Add((field, message[i..(i + length)]));
                    i += length;
                    break;
                case 1:
                    i += 8;
                    break;
                case 5:
                    i += 4;
                    break;
                default:
                    throw ApiException.BadRequest($"the protobuf body has an unsupported wire type {wireType}");
            }
        }

        return fields;
    }

    private static ulong Varint(byte[] message, ref int i)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (i >= message.Length)
            {
                throw ApiException.BadRequest("the protobuf body is truncated");
            }

            var b = message[i++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw ApiException.BadRequest("the protobuf body has a malformed varint");
    }
}

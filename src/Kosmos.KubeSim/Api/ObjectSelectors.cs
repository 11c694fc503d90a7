using System.Text.Json.Nodes;
using Kosmos.KubeSim.Machinery;
using Kosmos.KubeSim.Store;

namespace Kosmos.KubeSim.Api;

/// <summary>The label and field selectors of one list or watch request; malformed ones are a 400, as on a real server.</summary>
public sealed class ObjectSelectors
{
    private readonly LabelSelector _labels;
    private readonly FieldSelector _fields;

    private ObjectSelectors(LabelSelector labels, FieldSelector fields)
    {
        _labels = labels;
        _fields = fields;
    }

    public static ObjectSelectors Parse(ResourceKind kind, string? labelSelector, string? fieldSelector)
    {
        if (!LabelSelector.TryParse(labelSelector, out var labels, out var labelError))
        {
            throw ApiException.BadRequest($"unable to parse requirement: {labelError}");
        }

        if (!FieldSelector.TryParse(fieldSelector, out var fields, out var fieldError))
        {
            throw ApiException.BadRequest(fieldError);
        }

        if (fields.FirstUnsupportedField(kind.Kind) is { } unsupported)
        {
            throw ApiException.BadRequest($"field label not supported: {unsupported}");
        }

        return new ObjectSelectors(labels, fields);
    }

    public bool Matches(JsonObject obj) => _labels.MatchesObject(obj) && _fields.Matches(obj);
}

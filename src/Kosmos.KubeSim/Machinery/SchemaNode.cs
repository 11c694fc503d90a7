namespace Kosmos.KubeSim.Machinery;

/// <summary>The shape of one field in a <see cref="ResourceSchema"/>.</summary>
public enum SchemaType
{
    /// <summary>A struct with known <see cref="SchemaNode.Properties"/>; other members are unknown fields.</summary>
    Object,

    /// <summary>A string-keyed map (<c>labels</c>, <c>resources.limits</c>, <c>data</c>) whose values follow <see cref="SchemaNode.Values"/>.</summary>
    Map,

    /// <summary>A list whose items follow <see cref="SchemaNode.Items"/>.</summary>
    Array,

    String,

    Integer,

    Number,

    Boolean,

    /// <summary>A resource quantity: a string such as <c>2Gi</c> (a JSON number is accepted too).</summary>
    Quantity,

    /// <summary>An integer or a string (<c>port: 8080</c> or <c>port: http</c>, <c>maxSurge: 25%</c>).</summary>
    IntOrString,

    /// <summary>Anything goes; nothing below is checked.</summary>
    FreeForm,
}

/// <summary>
/// One node of a compact Kubernetes type tree: enough to detect unknown fields, check JSON types, drive strategic
/// merge (merge keys and patch strategies, exactly as the Go struct tags declare them) and emit OpenAPI.
/// Immutable; the built-in trees are created once and shared.
/// </summary>
public sealed class SchemaNode
{
    private static readonly OrderedDictionary<string, SchemaNode> NoProperties = new();

    private SchemaNode(SchemaType type)
    {
        Type = type;
        Properties = NoProperties;
    }

    public SchemaType Type { get; private init; }

    /// <summary>The OpenAPI component name for struct types, e.g. <c>io.k8s.api.core.v1.Container</c>; null for inline objects.</summary>
    public string? Definition { get; private init; }

    /// <summary>OpenAPI format: <c>int32</c>, <c>int64</c>, <c>double</c>, <c>date-time</c>, <c>byte</c>.</summary>
    public string? Format { get; private init; }

    /// <summary>Known members of an <see cref="SchemaType.Object"/>, in declaration order.</summary>
    public IReadOnlyDictionary<string, SchemaNode> Properties { get; private init; }

    /// <summary>Item schema of an <see cref="SchemaType.Array"/>.</summary>
    public SchemaNode? Items { get; private init; }

    /// <summary>Value schema of a <see cref="SchemaType.Map"/>.</summary>
    public SchemaNode? Values { get; private init; }

    /// <summary>The strategic-merge key of a list of objects (<c>patchMergeKey</c>), e.g. <c>name</c> for containers.</summary>
    public string? MergeKey { get; private init; }

    /// <summary>Strategic merge merges this list (by <see cref="MergeKey"/>, or as a set for primitives) instead of replacing it.</summary>
    public bool MergesList { get; private init; }

    /// <summary>The <c>retainKeys</c> patch strategy (Deployment <c>strategy</c>, pod <c>volumes</c> items).</summary>
    public bool RetainKeys { get; private init; }

    /// <summary>The Go <c>patchStrategy</c> tag: <c>merge</c>, <c>retainKeys</c>, <c>merge,retainKeys</c> or empty.</summary>
    public string PatchStrategy => (MergesList, RetainKeys) switch
    {
        (true, true) => "merge,retainKeys",
        (true, false) => "merge",
        (false, true) => "retainKeys",
        _ => "",
    };

    /// <summary>The member schema, or null when the field is unknown (or this node is not an object).</summary>
    public SchemaNode? Property(string name) => Properties.GetValueOrDefault(name);

    internal static SchemaNode Primitive(SchemaType type, string? format = null) => new(type) { Format = format };

    internal static SchemaNode Object(string? definition, params (string Name, SchemaNode Node)[] properties)
    {
        var map = new OrderedDictionary<string, SchemaNode>(StringComparer.Ordinal);
        foreach (var (name, node) in properties)
        {
            map.Add(name, node);
        }

        return new SchemaNode(SchemaType.Object) { Definition = definition, Properties = map };
    }

    internal static SchemaNode Map(SchemaNode values) => new(SchemaType.Map) { Values = values };

    /// <summary>An atomic list: a patch replaces it whole.</summary>
    internal static SchemaNode List(SchemaNode items) => new(SchemaType.Array) { Items = items };

    /// <summary>A list of objects merged by <paramref name="mergeKey"/>.</summary>
    internal static SchemaNode MergeList(SchemaNode items, string mergeKey, bool retainKeys = false) =>
        new(SchemaType.Array) { Items = items, MergeKey = mergeKey, MergesList = true, RetainKeys = retainKeys };

    /// <summary>A list of primitives merged as a set (<c>finalizers</c>).</summary>
    internal static SchemaNode SetList(SchemaNode items) => new(SchemaType.Array) { Items = items, MergesList = true };

    internal SchemaNode WithRetainKeys() => new(Type)
    {
        Definition = Definition,
        Format = Format,
        Properties = Properties,
        Items = Items,
        Values = Values,
        MergeKey = MergeKey,
        MergesList = MergesList,
        RetainKeys = true,
    };

    /// <summary>The Go type name used in decode errors, e.g. <c>v1.Container</c>, <c>[]string</c>, <c>int32</c>.</summary>
    internal string GoTypeName => Type switch
    {
        SchemaType.Object when Definition is not null => string.Join('.', Definition.Split('.')[^2..]),
        SchemaType.Object => "map[string]interface {}",
        SchemaType.Map => "map[string]" + (Values?.GoTypeName ?? "interface {}"),
        SchemaType.Array => "[]" + (Items?.GoTypeName ?? "interface {}"),
        SchemaType.String => Format == "byte" ? "[]uint8" : Format == "date-time" ? "v1.Time" : "string",
        SchemaType.Integer => Format ?? "int64",
        SchemaType.Number => "float64",
        SchemaType.Boolean => "bool",
        SchemaType.Quantity => "resource.Quantity",
        SchemaType.IntOrString => "intstr.IntOrString",
        _ => "interface {}",
    };

    /// <summary>The Go struct name used in decode errors, e.g. <c>Container</c>.</summary>
    internal string? GoStructName => Type == SchemaType.Object && Definition is not null ? Definition.Split('.')[^1] : null;
}

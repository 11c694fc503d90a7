using System.Text.Json.Nodes;

namespace Kosmos.KubeSim.Store;

public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
}

/// <summary>One change to one object. <see cref="Object"/> is a frozen snapshot: never mutate it.</summary>
public sealed record WatchEvent(WatchEventType Type, ResourceKind Kind, string Namespace, string Name, long ResourceVersion, JsonObject Object)
{
    public string WireType => Type switch
    {
        WatchEventType.Added => "ADDED",
        WatchEventType.Modified => "MODIFIED",
        _ => "DELETED",
    };
}

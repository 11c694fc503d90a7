using k8s.Models;
using Kosmos.Recovery.Model;

namespace Kosmos.Cluster.Mapping;

public static partial class KubernetesModelMapper
{
    /// <summary>
    /// Maps a core/v1 Event. Events written through the newer events API carry <c>eventTime</c> and a series
    /// instead of first/last timestamps and a count; both shapes end up in the same fields.
    /// </summary>
    public static EventSnapshot ToEventSnapshot(Corev1Event e)
    {
        ArgumentNullException.ThrowIfNull(e);

        var meta = e.Metadata ?? new V1ObjectMeta();
        var involved = e.InvolvedObject ?? new V1ObjectReference();
        var first = ToTime(e.FirstTimestamp) ?? ToTime(e.EventTime) ?? ToTime(meta.CreationTimestamp);
        return new EventSnapshot
        {
            Uid = meta.Uid ?? "",
            Namespace = meta.NamespaceProperty ?? involved.NamespaceProperty ?? "",
            Name = meta.Name ?? "",
            InvolvedObject = new ObjectReferenceSnapshot(
                involved.Kind ?? "",
                involved.Name ?? "",
                NullIfEmpty(involved.NamespaceProperty),
                NullIfEmpty(involved.Uid),
                NullIfEmpty(involved.FieldPath)),
            Type = string.IsNullOrEmpty(e.Type) ? "Normal" : e.Type,
            Reason = e.Reason ?? "",
            Message = e.Message ?? "",
            Count = e.Count is > 0 ? e.Count.Value : e.Series?.Count is > 0 ? e.Series.Count.Value : 1,
            FirstTimestamp = first,
            LastTimestamp = ToTime(e.Series?.LastObservedTime) ?? ToTime(e.LastTimestamp) ?? ToTime(e.EventTime) ?? first,
            SourceComponent = NullIfEmpty(e.Source?.Component) ?? NullIfEmpty(e.ReportingComponent),
            SourceHost = NullIfEmpty(e.Source?.Host) ?? NullIfEmpty(e.ReportingInstance),
        };
    }
}

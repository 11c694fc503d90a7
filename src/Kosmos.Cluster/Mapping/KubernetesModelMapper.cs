using System.Globalization;
using k8s.Models;
using Kosmos.Recovery.Model;

namespace Kosmos.Cluster.Mapping;

/// <summary>
/// Turns KubernetesClient objects into the domain's immutable snapshots, the only place where the two meet.
/// Pure and thread-safe. Values that come from Secrets are never copied: environment variables keep only the
/// reference, and the <c>last-applied-configuration</c> annotation (a copy of the spec with literal values of
/// any field) is dropped.
/// </summary>
public static partial class KubernetesModelMapper
{
    private const string LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration";

    internal static DateTimeOffset? ToTime(DateTime? time)
    {
        if (time is not { } value)
        {
            return null;
        }

        // KubernetesJson yields UTC; an unspecified kind can only come from hand-built objects and means UTC too.
        var utc = value.Kind switch
        {
            DateTimeKind.Utc => value,
            DateTimeKind.Local => value.ToUniversalTime(),
            _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
        };
        return new DateTimeOffset(utc, TimeSpan.Zero);
    }

    internal static StringMap Labels(IDictionary<string, string>? labels) => StringMap.From(labels);

    internal static StringMap Annotations(IDictionary<string, string>? annotations) =>
        StringMap.From(annotations?.Where(a => a.Key != LastAppliedAnnotation));

    internal static StringMap Quantities(IDictionary<string, ResourceQuantity>? quantities) =>
        StringMap.From(quantities?
            .Where(q => q.Value is not null)
            .Select(q => KeyValuePair.Create(q.Key, q.Value.ToString())));

    internal static string? Quantity(IDictionary<string, ResourceQuantity>? quantities, string name) =>
        quantities is not null && quantities.TryGetValue(name, out var quantity) && quantity is not null ? quantity.ToString() : null;

    internal static ConditionStatus ParseStatus(string? status) => status switch
    {
        "True" => ConditionStatus.True,
        "False" => ConditionStatus.False,
        _ => ConditionStatus.Unknown,
    };

    internal static long? ParseRevision(IDictionary<string, string>? annotations) =>
        annotations is not null
        && annotations.TryGetValue(WellKnownKeys.DeploymentRevisionAnnotation, out var text)
        && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var revision)
            ? revision
            : null;

    internal static OwnerSnapshot? ControllerOwner(IList<V1OwnerReference>? owners)
    {
        var owner = owners?.FirstOrDefault(o => o.Controller == true) ?? owners?.FirstOrDefault();
        return owner is null ? null : new OwnerSnapshot(owner.Kind ?? "", owner.Name ?? "", NullIfEmpty(owner.Uid));
    }

    internal static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}

using System.Globalization;
using k8s.Models;
using Kosmos.Recovery.Model;

namespace Kosmos.Cluster.Mapping;

public static partial class KubernetesModelMapper
{
    public static PodSnapshot ToPodSnapshot(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);

        var meta = pod.Metadata ?? new V1ObjectMeta();
        var spec = pod.Spec;
        var status = pod.Status;
        var name = meta.Name ?? "";
        return new PodSnapshot
        {
            Namespace = meta.NamespaceProperty ?? "",
            Name = name,
            Uid = meta.Uid ?? "",
            ResourceVersion = meta.ResourceVersion ?? "",
            Labels = Labels(meta.Labels),
            Annotations = Annotations(meta.Annotations),
            Phase = ParsePhase(status?.Phase),
            Reason = NullIfEmpty(status?.Reason),
            Message = NullIfEmpty(status?.Message),
            NodeName = NullIfEmpty(spec?.NodeName),
            HostIP = NullIfEmpty(status?.HostIP),
            PodIP = NullIfEmpty(status?.PodIP),
            PodIPs = status?.PodIPs?.Select(ip => ip.Ip).Where(ip => !string.IsNullOrEmpty(ip)).ToValueList() ?? ValueList<string>.Empty,
            CreationTimestamp = ToTime(meta.CreationTimestamp),
            StartTime = ToTime(status?.StartTime),
            DeletionTimestamp = ToTime(meta.DeletionTimestamp),
            DeletionGracePeriodSeconds = meta.DeletionGracePeriodSeconds,
            Conditions = status?.Conditions?
                .Select(c => new ConditionSnapshot(c.Type ?? "", ParseStatus(c.Status), NullIfEmpty(c.Reason), NullIfEmpty(c.Message), ToTime(c.LastTransitionTime)))
                .ToValueList() ?? ValueList<ConditionSnapshot>.Empty,
            Owner = ControllerOwner(meta.OwnerReferences),
            InitContainers = MergeContainers(spec?.InitContainers, status?.InitContainerStatuses),
            Containers = MergeContainers(spec?.Containers, status?.ContainerStatuses),
            Volumes = spec?.Volumes?.Select(v => ToVolume(v, name)).ToValueList() ?? ValueList<PodVolumeSnapshot>.Empty,
            RestartPolicy = NullIfEmpty(spec?.RestartPolicy),
            QosClass = NullIfEmpty(status?.QosClass),
            ServiceAccountName = NullIfEmpty(spec?.ServiceAccountName),
        };
    }

    public static PodTemplateSnapshot ToPodTemplateSnapshot(V1PodTemplateSpec? template)
    {
        if (template is null)
        {
            return PodTemplateSnapshot.Empty;
        }

        var spec = template.Spec;
        return new PodTemplateSnapshot
        {
            Labels = Labels(template.Metadata?.Labels),
            Annotations = Annotations(template.Metadata?.Annotations),
            InitContainers = MergeContainers(spec?.InitContainers, null),
            Containers = MergeContainers(spec?.Containers, null),

            // The claim behind an ephemeral volume is named after the pod, which a template does not have yet.
            Volumes = spec?.Volumes?.Select(v => ToVolume(v, podName: null)).ToValueList() ?? ValueList<PodVolumeSnapshot>.Empty,
            RestartPolicy = NullIfEmpty(spec?.RestartPolicy),
        };
    }

    private static PodPhase ParsePhase(string? phase) => phase switch
    {
        "Pending" => PodPhase.Pending,
        "Running" => PodPhase.Running,
        "Succeeded" => PodPhase.Succeeded,
        "Failed" => PodPhase.Failed,
        _ => PodPhase.Unknown,
    };

    private static ValueList<ContainerSnapshot> MergeContainers(IList<V1Container>? specs, IList<V1ContainerStatus>? statuses)
    {
        if (specs is null)
        {
            return ValueList<ContainerSnapshot>.Empty;
        }

        // Status order is kept (kubelet sorts regular containers by name) because kubectl's STATUS depends on it.
        var byName = new Dictionary<string, (V1ContainerStatus Status, int Index)>(StringComparer.Ordinal);
        for (var i = 0; i < (statuses?.Count ?? 0); i++)
        {
            var status = statuses![i];
            if (status?.Name is { } name)
            {
                byName.TryAdd(name, (status, i));
            }
        }

        return specs.Where(c => c is not null).Select(c =>
        {
            var container = ToContainerSpec(c);
            return byName.TryGetValue(container.Name, out var found)
                ? container with
                {
                    StatusIndex = found.Index,
                    Ready = found.Status.Ready,
                    Started = found.Status.Started,
                    RestartCount = found.Status.RestartCount,
                    State = ToState(found.Status.State),
                    LastState = ToState(found.Status.LastState),
                    ImageId = NullIfEmpty(found.Status.ImageID),
                    ContainerId = NullIfEmpty(found.Status.ContainerID),
                }
                : container;
        }).ToValueList();
    }

    private static ContainerSnapshot ToContainerSpec(V1Container c) => new()
    {
        Name = c.Name ?? "",
        Image = c.Image ?? "",
        Command = c.Command.ToValueList(),
        Args = c.Args.ToValueList(),
        Ports = c.Ports?
            .Select(p => new ContainerPortSnapshot(p.ContainerPort, string.IsNullOrEmpty(p.Protocol) ? "TCP" : p.Protocol, NullIfEmpty(p.Name)))
            .ToValueList() ?? ValueList<ContainerPortSnapshot>.Empty,
        RestartPolicy = NullIfEmpty(c.RestartPolicy),
        Resources = new ContainerResources(Quantities(c.Resources?.Requests), Quantities(c.Resources?.Limits)),
        Env = c.Env?.Where(e => e is not null).Select(ToEnvVar).ToValueList() ?? ValueList<EnvVarSnapshot>.Empty,
        EnvFrom = c.EnvFrom?.Select(ToEnvFrom).OfType<EnvFromSnapshot>().ToValueList() ?? ValueList<EnvFromSnapshot>.Empty,
        LivenessProbe = ToProbe(c.LivenessProbe),
        ReadinessProbe = ToProbe(c.ReadinessProbe),
        StartupProbe = ToProbe(c.StartupProbe),
        VolumeMounts = c.VolumeMounts?
            .Select(m => new VolumeMountSnapshot(m.Name ?? "", m.MountPath ?? "", m.ReadOnlyProperty ?? false, NullIfEmpty(m.SubPath)))
            .ToValueList() ?? ValueList<VolumeMountSnapshot>.Empty,
    };

    private static ContainerState? ToState(V1ContainerState? state) => state switch
    {
        { Waiting: { } w } => new ContainerState.Waiting(NullIfEmpty(w.Reason), NullIfEmpty(w.Message)),
        { Terminated: { } t } => new ContainerState.Terminated(
            NullIfEmpty(t.Reason),
            NullIfEmpty(t.Message),
            t.ExitCode,
            t.Signal is null or 0 ? null : t.Signal,
            ToTime(t.StartedAt),
            ToTime(t.FinishedAt)),
        { Running: { } r } => new ContainerState.Running(ToTime(r.StartedAt)),
        _ => null,
    };

    private static EnvVarSnapshot ToEnvVar(V1EnvVar env)
    {
        var name = env.Name ?? "";
        return env.ValueFrom switch
        {
            null => EnvVarSnapshot.Literal(name, env.Value),
            { SecretKeyRef: { } s } => EnvVarSnapshot.FromSecret(name, s.Name ?? "", s.Key ?? "", s.Optional ?? false),
            { ConfigMapKeyRef: { } c } => EnvVarSnapshot.FromConfigMap(name, c.Name ?? "", c.Key ?? "", c.Optional ?? false),
            { FieldRef: { } f } => EnvVarSnapshot.FromField(name, f.FieldPath ?? ""),
            { ResourceFieldRef: { } r } => EnvVarSnapshot.FromResource(name, r.Resource ?? "", NullIfEmpty(r.ContainerName)),
            { FileKeyRef: { } k } => EnvVarSnapshot.FromFile(name, k.VolumeName ?? "", k.Path ?? "", k.Key ?? "", k.Optional ?? false),
            _ => EnvVarSnapshot.FromOther(name, "unsupported source"),
        };
    }

    private static EnvFromSnapshot? ToEnvFrom(V1EnvFromSource? source) => source switch
    {
        { SecretRef: { } s } => new EnvFromSnapshot(EnvVarSourceKind.Secret, s.Name ?? "", NullIfEmpty(source.Prefix), s.Optional ?? false),
        { ConfigMapRef: { } c } => new EnvFromSnapshot(EnvVarSourceKind.ConfigMap, c.Name ?? "", NullIfEmpty(source.Prefix), c.Optional ?? false),
        _ => null,
    };

    private static ProbeSnapshot? ToProbe(V1Probe? probe)
    {
        if (probe is null)
        {
            return null;
        }

        // Targets are written the way kubectl describe writes them.
        var (kind, target) = probe switch
        {
            { HttpGet: { } http } => (ProbeKind.Http, $"{(http.Scheme ?? "HTTP").ToLowerInvariant()}://{http.Host}:{http.Port?.Value}{http.Path}"),
            { TcpSocket: { } tcp } => (ProbeKind.Tcp, $"{tcp.Host}:{tcp.Port?.Value}"),
            { Exec: { } exec } => (ProbeKind.Exec, $"[{string.Join(' ', exec.Command ?? [])}]"),
            { Grpc: { } grpc } => (ProbeKind.Grpc, string.Create(CultureInfo.InvariantCulture, $"<pod>:{grpc.Port} {grpc.Service}").TrimEnd()),
            _ => (ProbeKind.Exec, "[]"),
        };
        return new ProbeSnapshot(
            kind,
            target,
            probe.InitialDelaySeconds ?? 0,
            probe.PeriodSeconds ?? 10,
            probe.TimeoutSeconds ?? 1,
            probe.SuccessThreshold ?? 1,
            probe.FailureThreshold ?? 3);
    }

    private static PodVolumeSnapshot ToVolume(V1Volume volume, string? podName)
    {
        var name = volume.Name ?? "";
        return volume switch
        {
            { PersistentVolumeClaim: { } pvc } => new(name, "PersistentVolumeClaim", pvc.ClaimName, pvc.ClaimName),
            { Ephemeral: not null } => new(name, "Ephemeral", null, podName is null ? null : $"{podName}-{name}"),
            { ConfigMap: { } cm } => new(name, "ConfigMap", cm.Name),
            { Secret: { } secret } => new(name, "Secret", secret.SecretName),
            { EmptyDir: { } emptyDir } => new(name, "EmptyDir", NullIfEmpty(emptyDir.Medium)),
            { Projected: not null } => new(name, "Projected"),
            { DownwardAPI: not null } => new(name, "DownwardAPI"),
            { HostPath: { } hostPath } => new(name, "HostPath", hostPath.Path),
            { Csi: { } csi } => new(name, "CSI", csi.Driver),
            { Nfs: { } nfs } => new(name, "NFS", $"{nfs.Server}:{nfs.Path}"),
            { Image: { } image } => new(name, "Image", image.Reference),
            _ => new(name, "Other"),
        };
    }
}

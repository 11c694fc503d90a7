using k8s;
using k8s.Models;
using Kosmos.Recovery.Actions;

namespace Kosmos.Cluster.Actions;

/// <summary>
/// Writes an action's Kubernetes Event on the agent's Deployment (type Normal, reason <see cref="IActionEvents.Reason"/>,
/// source <c>kosmos-dashboard</c>), as <c>kubectl describe deployment</c> lists them. A singleton; thread-safe.
/// </summary>
public sealed class KubernetesActionEvents(IKubernetes client, TimeProvider time) : IActionEvents
{
    public const string Component = "kosmos-dashboard";

    public async Task RecordAsync(AgentRef target, string message, CancellationToken cancellationToken)
    {
        var deployment = await client.AppsV1.ReadNamespacedDeploymentAsync(target.Name, target.Namespace, cancellationToken: cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var @event = new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = $"{target.Name}.kosmos-{Guid.NewGuid():N}"[..Math.Min(target.Name.Length + 23, 253)], NamespaceProperty = target.Namespace },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = "apps/v1",
                Kind = "Deployment",
                Name = target.Name,
                NamespaceProperty = target.Namespace,
                Uid = deployment.Metadata.Uid,
                ResourceVersion = deployment.Metadata.ResourceVersion,
            },
            Type = "Normal",
            Reason = IActionEvents.Reason,
            Message = message,
            Source = new V1EventSource { Component = Component },
            ReportingComponent = Component,
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
        };
        await client.CoreV1.CreateNamespacedEventAsync(@event, target.Namespace, cancellationToken: cancellationToken);
    }
}

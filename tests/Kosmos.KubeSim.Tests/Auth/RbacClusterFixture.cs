using k8s;
using Kosmos.TestSupport;

namespace Kosmos.KubeSim.Tests.Auth;

[CollectionDefinition(Name)]
public sealed class RbacCollection : ICollectionFixture<RbacClusterFixture>
{
    public const string Name = "rbac";
}

/// <summary>
/// A simulator enforcing RBAC over https, with namespaces <c>kosmos</c> and <c>other</c>, one running Deployment <c>web</c> in
/// kosmos, two ConfigMaps, and the roles under test (applied with the admin's kubectl, as a person would):
/// <list type="bullet">
/// <item>the dashboard's service account: Role <c>reader</c> (pods, pods/log, deployments read; deployments/scale get only;
/// pods/exec create+get) and Role <c>one-config</c> (get one ConfigMap by resourceNames), bound without a subject namespace;</item>
/// <item>group <c>ops</c> (user ada): ClusterRole <c>status-reader</c> (<c>*/status</c> in every group) bound in kosmos only,
/// and ClusterRole <c>namespace-lister</c> bound cluster-wide;</item>
/// <item>user bob: Role <c>exec-get-only</c> (pods and pods/exec get, not create).</item>
/// </list>
/// </summary>
public sealed class RbacClusterFixture : RbacSimulatorFixture, IAsyncLifetime
{
    public const string Namespace = "kosmos";

    public const string Policy = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: kosmos}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: other}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: allowed-config, namespace: kosmos}
        data: {mode: demo}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: private-config, namespace: kosmos}
        data: {mode: hidden}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: reader, namespace: kosmos}
        rules:
          - apiGroups: [""]
            resources: [pods, pods/log]
            verbs: [get, list, watch]
          - apiGroups: [apps]
            resources: [deployments]
            verbs: [get, list, watch]
          - apiGroups: [apps]
            resources: [deployments/scale]
            verbs: [get]
          - apiGroups: [""]
            resources: [pods/exec]
            verbs: [create, get]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: reader, namespace: kosmos}
        subjects: [{kind: ServiceAccount, name: kosmos-dashboard}]
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: one-config, namespace: kosmos}
        rules:
          - apiGroups: [""]
            resources: [configmaps]
            resourceNames: [allowed-config]
            verbs: [get, list, watch]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: one-config, namespace: kosmos}
        subjects: [{kind: ServiceAccount, name: kosmos-dashboard, namespace: kosmos}]
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: one-config}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: status-reader}
        rules:
          - apiGroups: ["*"]
            resources: ["*/status"]
            verbs: [get]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: ops-status, namespace: kosmos}
        subjects: [{kind: Group, apiGroup: rbac.authorization.k8s.io, name: ops}]
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: status-reader}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: namespace-lister}
        rules:
          - apiGroups: [""]
            resources: [namespaces]
            verbs: [get, list]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: ops-namespaces}
        subjects: [{kind: Group, apiGroup: rbac.authorization.k8s.io, name: ops}]
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: namespace-lister}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: exec-get-only, namespace: kosmos}
        rules:
          - apiGroups: [""]
            resources: [pods, pods/exec]
            verbs: [get]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: bob-exec-get-only, namespace: kosmos}
        subjects: [{kind: User, apiGroup: rbac.authorization.k8s.io, name: bob}]
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: exec-get-only}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: kosmos}
        spec:
          replicas: 1
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              terminationGracePeriodSeconds: 1
              containers: [{name: web, image: kosmos/web:1.0}]
        """;

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>The running pod of Deployment web.</summary>
    public string WebPod { get; private set; } = "";

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Kubectl.RunAsync(["apply", "-f", "-"], Policy, Timeout).ContinueWith(t => t.Result.EnsureSuccess(), TaskScheduler.Default);
        WebPod = await Eventually.Until(async () =>
        {
            var pods = await Client.CoreV1.ListNamespacedPodAsync(Namespace, labelSelector: "app=web");
            return pods.Items.FirstOrDefault(p => p.Status?.Phase == "Running")?.Metadata.Name;
        }, name => name is not null, Timeout, "a running pod of web") ?? "";
    }

    public new Task DisposeAsync() => base.DisposeAsync();
}

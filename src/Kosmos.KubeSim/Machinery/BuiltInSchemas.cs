namespace Kosmos.KubeSim.Machinery;

/// <summary>
/// The type trees of the kinds the simulator serves, transcribed from k8s.io/api (core/v1, apps/v1) and the
/// external-snapshotter CRD, including the Go struct tags <c>patchStrategy</c>/<c>patchMergeKey</c>.
/// Fields that real manifests and real server output carry are covered; exotic volume sources are not.
/// </summary>
internal static class BuiltInSchemas
{
    public const string SnapshotGroup = "snapshot.storage.k8s.io";

    private const string Core = "io.k8s.api.core.v1.";
    private const string Apps = "io.k8s.api.apps.v1.";
    private const string Meta = "io.k8s.apimachinery.pkg.apis.meta.v1.";
    private const string Snapshot = "io.k8s.storage.snapshot.v1.";
    private const string Rbac = "io.k8s.api.rbac.v1.";
    private const string Networking = "io.k8s.api.networking.v1.";
    private const string Policy = "io.k8s.api.policy.v1.";

    private static readonly SchemaNode Str = SchemaNode.Primitive(SchemaType.String);
    private static readonly SchemaNode Int32 = SchemaNode.Primitive(SchemaType.Integer, "int32");
    private static readonly SchemaNode Int64 = SchemaNode.Primitive(SchemaType.Integer, "int64");
    private static readonly SchemaNode Bool = SchemaNode.Primitive(SchemaType.Boolean);
    private static readonly SchemaNode Time = SchemaNode.Primitive(SchemaType.String, "date-time");
    private static readonly SchemaNode Bytes = SchemaNode.Primitive(SchemaType.String, "byte");
    private static readonly SchemaNode Quantity = SchemaNode.Primitive(SchemaType.Quantity);
    private static readonly SchemaNode IntOrString = SchemaNode.Primitive(SchemaType.IntOrString);
    private static readonly SchemaNode FreeForm = SchemaNode.Primitive(SchemaType.FreeForm);
    private static readonly SchemaNode StringMap = SchemaNode.Map(Str);
    private static readonly SchemaNode QuantityMap = SchemaNode.Map(Quantity);
    private static readonly SchemaNode StringList = SchemaNode.List(Str);

    private static readonly (IReadOnlyList<ResourceSchema> All, IReadOnlyDictionary<string, ResourceSchema> ByKind) Built = Build();

    public static IReadOnlyList<ResourceSchema> All => Built.All;

    public static IReadOnlyDictionary<string, ResourceSchema> ByKind => Built.ByKind;

    public static ResourceSchema Generic { get; } =
        new("", "v1", "Object", "objects", namespaced: true, SchemaNode.Primitive(SchemaType.FreeForm), []);

    private static (IReadOnlyList<ResourceSchema>, IReadOnlyDictionary<string, ResourceSchema>) Build()
    {
        var objectMeta = ObjectMeta();
        var labelSelector = SchemaNode.Object(Meta + "LabelSelector",
            ("matchLabels", StringMap),
            ("matchExpressions", SchemaNode.List(SchemaNode.Object(Meta + "LabelSelectorRequirement",
                ("key", Str), ("operator", Str), ("values", StringList)))));
        var podSpec = PodSpec(labelSelector, objectMeta);
        var podTemplate = SchemaNode.Object(Core + "PodTemplateSpec", ("metadata", objectMeta), ("spec", podSpec));
        var objectReference = ObjectReference();

        var all = new List<ResourceSchema>
        {
            Kind("", "v1", "Namespace", "namespaces", namespaced: false, ["status"], objectMeta,
                ("spec", SchemaNode.Object(Core + "NamespaceSpec", ("finalizers", StringList))),
                ("status", SchemaNode.Object(Core + "NamespaceStatus",
                    ("phase", Str),
                    ("conditions", SchemaNode.MergeList(Condition(Core + "NamespaceCondition", lastProbe: false, lastUpdate: false), "type"))))),
            Kind("", "v1", "Pod", "pods", namespaced: true, ["status"], objectMeta,
                ("spec", podSpec),
                ("status", PodStatus())),
            Kind("", "v1", "Event", "events", namespaced: true, [], objectMeta,
                ("involvedObject", objectReference),
                ("reason", Str),
                ("message", Str),
                ("source", SchemaNode.Object(Core + "EventSource", ("component", Str), ("host", Str))),
                ("firstTimestamp", Time),
                ("lastTimestamp", Time),
                ("count", Int32),
                ("type", Str),
                ("eventTime", Time),
                ("series", SchemaNode.Object(Core + "EventSeries", ("count", Int32), ("lastObservedTime", Time))),
                ("action", Str),
                ("related", objectReference),
                ("reportingComponent", Str),
                ("reportingInstance", Str)),
            Kind("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", namespaced: true, ["status"], objectMeta,
                ("spec", PvcSpec(labelSelector)),
                ("status", SchemaNode.Object(Core + "PersistentVolumeClaimStatus",
                    ("phase", Str),
                    ("accessModes", StringList),
                    ("capacity", QuantityMap),
                    ("conditions", SchemaNode.MergeList(Condition(Core + "PersistentVolumeClaimCondition", lastProbe: true, lastUpdate: false), "type")),
                    ("allocatedResources", QuantityMap),
                    ("allocatedResourceStatuses", StringMap),
                    ("currentVolumeAttributesClassName", Str),
                    ("modifyVolumeStatus", SchemaNode.Object(Core + "ModifyVolumeStatus", ("targetVolumeAttributesClassName", Str), ("status", Str)))))),
            Kind("", "v1", "ConfigMap", "configmaps", namespaced: true, [], objectMeta,
                ("data", StringMap),
                ("binaryData", SchemaNode.Map(Bytes)),
                ("immutable", Bool)),
            Kind("", "v1", "Secret", "secrets", namespaced: true, [], objectMeta,
                ("data", SchemaNode.Map(Bytes)),
                ("stringData", StringMap),
                ("type", Str),
                ("immutable", Bool)),
            Kind("apps", "v1", "Deployment", "deployments", namespaced: true, ["status", "scale"], objectMeta,
                ("spec", SchemaNode.Object(Apps + "DeploymentSpec",
                    ("replicas", Int32),
                    ("selector", labelSelector),
                    ("template", podTemplate),
                    ("strategy", SchemaNode.Object(Apps + "DeploymentStrategy",
                        ("type", Str),
                        ("rollingUpdate", SchemaNode.Object(Apps + "RollingUpdateDeployment", ("maxUnavailable", IntOrString), ("maxSurge", IntOrString)))).WithRetainKeys()),
                    ("minReadySeconds", Int32),
                    ("revisionHistoryLimit", Int32),
                    ("paused", Bool),
                    ("progressDeadlineSeconds", Int32))),
                ("status", SchemaNode.Object(Apps + "DeploymentStatus",
                    ("observedGeneration", Int64),
                    ("replicas", Int32),
                    ("updatedReplicas", Int32),
                    ("readyReplicas", Int32),
                    ("availableReplicas", Int32),
                    ("unavailableReplicas", Int32),
                    ("terminatingReplicas", Int32),
                    ("conditions", SchemaNode.MergeList(Condition(Apps + "DeploymentCondition", lastProbe: false, lastUpdate: true), "type")),
                    ("collisionCount", Int32)))),
            Kind("apps", "v1", "ReplicaSet", "replicasets", namespaced: true, ["status", "scale"], objectMeta,
                ("spec", SchemaNode.Object(Apps + "ReplicaSetSpec",
                    ("replicas", Int32),
                    ("minReadySeconds", Int32),
                    ("selector", labelSelector),
                    ("template", podTemplate))),
                ("status", SchemaNode.Object(Apps + "ReplicaSetStatus",
                    ("replicas", Int32),
                    ("fullyLabeledReplicas", Int32),
                    ("readyReplicas", Int32),
                    ("availableReplicas", Int32),
                    ("terminatingReplicas", Int32),
                    ("observedGeneration", Int64),
                    ("conditions", SchemaNode.MergeList(Condition(Apps + "ReplicaSetCondition", lastProbe: false, lastUpdate: false), "type"))))),
            Kind(SnapshotGroup, "v1", "VolumeSnapshot", "volumesnapshots", namespaced: true, ["status"], objectMeta,
                ("spec", SchemaNode.Object(null,
                    ("source", SchemaNode.Object(null, ("persistentVolumeClaimName", Str), ("volumeSnapshotContentName", Str))),
                    ("volumeSnapshotClassName", Str))),
                ("status", SchemaNode.Object(null,
                    ("boundVolumeSnapshotContentName", Str),
                    ("creationTime", Time),
                    ("readyToUse", Bool),
                    ("restoreSize", Quantity),
                    ("error", SchemaNode.Object(null, ("message", Str), ("time", Time))),
                    ("volumeGroupSnapshotName", Str)))),
            Kind("", "v1", "ServiceAccount", "serviceaccounts", namespaced: true, [], objectMeta,
                ("secrets", SchemaNode.MergeList(objectReference, "name")),
                ("imagePullSecrets", SchemaNode.List(SchemaNode.Object(Core + "LocalObjectReference", ("name", Str)))),
                ("automountServiceAccountToken", Bool)),
            Kind("", "v1", "Service", "services", namespaced: true, ["status"], objectMeta,
                ("spec", ServiceSpec()),
                ("status", SchemaNode.Object(Core + "ServiceStatus",
                    ("loadBalancer", FreeForm),
                    ("conditions", SchemaNode.MergeList(Condition(Meta + "Condition", lastProbe: false, lastUpdate: false), "type"))))),
        };
        all.AddRange(RbacKinds(objectMeta, labelSelector));
        all.AddRange(PolicyKinds(objectMeta, labelSelector));

        return (all, all.ToDictionary(s => s.Kind, StringComparer.Ordinal));
    }

    private static ResourceSchema Kind(string group, string version, string kind, string plural, bool namespaced,
        IReadOnlyList<string> subresources, SchemaNode objectMeta, params (string Name, SchemaNode Node)[] fields)
    {
        var prefix = group switch
        {
            "" => Core,
            "apps" => Apps,
            "rbac.authorization.k8s.io" => Rbac,
            "networking.k8s.io" => Networking,
            "policy" => Policy,
            _ => Snapshot,
        };
        var properties = new List<(string, SchemaNode)> { ("apiVersion", Str), ("kind", Str), ("metadata", objectMeta) };
        properties.AddRange(fields);
        return new ResourceSchema(group, version, kind, plural, namespaced, SchemaNode.Object(prefix + kind, [.. properties]), subresources);
    }

    // rbac.authorization.k8s.io/v1: what the RBAC authorizer evaluates (PolicyRule, Subject, RoleRef).
    private static IEnumerable<ResourceSchema> RbacKinds(SchemaNode objectMeta, SchemaNode labelSelector)
    {
        var rules = SchemaNode.List(SchemaNode.Object(Rbac + "PolicyRule",
            ("verbs", StringList),
            ("apiGroups", StringList),
            ("resources", StringList),
            ("resourceNames", StringList),
            ("nonResourceURLs", StringList)));
        var subjects = SchemaNode.List(SchemaNode.Object(Rbac + "Subject", ("kind", Str), ("apiGroup", Str), ("name", Str), ("namespace", Str)));
        var roleRef = SchemaNode.Object(Rbac + "RoleRef", ("apiGroup", Str), ("kind", Str), ("name", Str));
        const string group = "rbac.authorization.k8s.io";
        yield return Kind(group, "v1", "Role", "roles", namespaced: true, [], objectMeta, ("rules", rules));
        yield return Kind(group, "v1", "ClusterRole", "clusterroles", namespaced: false, [], objectMeta, ("rules", rules),
            ("aggregationRule", SchemaNode.Object(Rbac + "AggregationRule", ("clusterRoleSelectors", SchemaNode.List(labelSelector)))));
        yield return Kind(group, "v1", "RoleBinding", "rolebindings", namespaced: true, [], objectMeta, ("subjects", subjects), ("roleRef", roleRef));
        yield return Kind(group, "v1", "ClusterRoleBinding", "clusterrolebindings", namespaced: false, [], objectMeta, ("subjects", subjects), ("roleRef", roleRef));
    }

    // networking.k8s.io/v1 NetworkPolicy and policy/v1 PodDisruptionBudget: stored and printed, not enforced (no network, no evictions).
    private static IEnumerable<ResourceSchema> PolicyKinds(SchemaNode objectMeta, SchemaNode labelSelector)
    {
        var ports = SchemaNode.List(SchemaNode.Object(Networking + "NetworkPolicyPort", ("protocol", Str), ("port", IntOrString), ("endPort", Int32)));
        var peers = SchemaNode.List(SchemaNode.Object(Networking + "NetworkPolicyPeer",
            ("podSelector", labelSelector),
            ("namespaceSelector", labelSelector),
            ("ipBlock", SchemaNode.Object(Networking + "IPBlock", ("cidr", Str), ("except", StringList)))));
        yield return Kind("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", namespaced: true, [], objectMeta,
            ("spec", SchemaNode.Object(Networking + "NetworkPolicySpec",
                ("podSelector", labelSelector),
                ("ingress", SchemaNode.List(SchemaNode.Object(Networking + "NetworkPolicyIngressRule", ("ports", ports), ("from", peers)))),
                ("egress", SchemaNode.List(SchemaNode.Object(Networking + "NetworkPolicyEgressRule", ("ports", ports), ("to", peers)))),
                ("policyTypes", StringList))));
        yield return Kind("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", namespaced: true, ["status"], objectMeta,
            ("spec", SchemaNode.Object(Policy + "PodDisruptionBudgetSpec",
                ("minAvailable", IntOrString),
                ("maxUnavailable", IntOrString),
                ("selector", labelSelector),
                ("unhealthyPodEvictionPolicy", Str))),
            ("status", SchemaNode.Object(Policy + "PodDisruptionBudgetStatus",
                ("observedGeneration", Int64),
                ("disruptedPods", SchemaNode.Map(Time)),
                ("disruptionsAllowed", Int32),
                ("currentHealthy", Int32),
                ("desiredHealthy", Int32),
                ("expectedPods", Int32),
                ("conditions", SchemaNode.MergeList(Condition(Meta + "Condition", lastProbe: false, lastUpdate: false), "type")))));
    }

    private static SchemaNode ServiceSpec() => SchemaNode.Object(Core + "ServiceSpec",
        ("ports", SchemaNode.MergeList(SchemaNode.Object(Core + "ServicePort",
            ("name", Str),
            ("protocol", Str),
            ("appProtocol", Str),
            ("port", Int32),
            ("targetPort", IntOrString),
            ("nodePort", Int32)), "port")),
        ("selector", StringMap),
        ("clusterIP", Str),
        ("clusterIPs", StringList),
        ("type", Str),
        ("externalIPs", StringList),
        ("sessionAffinity", Str),
        ("loadBalancerIP", Str),
        ("loadBalancerSourceRanges", StringList),
        ("externalName", Str),
        ("externalTrafficPolicy", Str),
        ("healthCheckNodePort", Int32),
        ("publishNotReadyAddresses", Bool),
        ("sessionAffinityConfig", FreeForm),
        ("ipFamilies", StringList),
        ("ipFamilyPolicy", Str),
        ("allocateLoadBalancerNodePorts", Bool),
        ("loadBalancerClass", Str),
        ("internalTrafficPolicy", Str),
        ("trafficDistribution", Str));

    private static SchemaNode ObjectMeta() => SchemaNode.Object(Meta + "ObjectMeta",
        ("name", Str),
        ("generateName", Str),
        ("namespace", Str),
        ("selfLink", Str),
        ("uid", Str),
        ("resourceVersion", Str),
        ("generation", Int64),
        ("creationTimestamp", Time),
        ("deletionTimestamp", Time),
        ("deletionGracePeriodSeconds", Int64),
        ("labels", StringMap),
        ("annotations", StringMap),
        ("ownerReferences", SchemaNode.MergeList(SchemaNode.Object(Meta + "OwnerReference",
            ("apiVersion", Str),
            ("kind", Str),
            ("name", Str),
            ("uid", Str),
            ("controller", Bool),
            ("blockOwnerDeletion", Bool)), "uid")),
        ("finalizers", SchemaNode.SetList(Str)),
        ("managedFields", SchemaNode.List(SchemaNode.Object(Meta + "ManagedFieldsEntry",
            ("manager", Str),
            ("operation", Str),
            ("apiVersion", Str),
            ("time", Time),
            ("fieldsType", Str),
            ("fieldsV1", FreeForm),
            ("subresource", Str)))));

    private static SchemaNode ObjectReference() => SchemaNode.Object(Core + "ObjectReference",
        ("kind", Str),
        ("namespace", Str),
        ("name", Str),
        ("uid", Str),
        ("apiVersion", Str),
        ("resourceVersion", Str),
        ("fieldPath", Str));

    private static SchemaNode Condition(string definition, bool lastProbe, bool lastUpdate)
    {
        var properties = new List<(string, SchemaNode)> { ("type", Str), ("status", Str) };
        if (lastProbe)
        {
            properties.Add(("lastProbeTime", Time));
        }

        if (lastUpdate)
        {
            properties.Add(("lastUpdateTime", Time));
        }

        properties.Add(("lastTransitionTime", Time));
        properties.Add(("reason", Str));
        properties.Add(("message", Str));
        return SchemaNode.Object(definition, [.. properties]);
    }

    private static SchemaNode PvcSpec(SchemaNode labelSelector) => SchemaNode.Object(Core + "PersistentVolumeClaimSpec",
        ("accessModes", StringList),
        ("selector", labelSelector),
        ("resources", SchemaNode.Object(Core + "VolumeResourceRequirements", ("limits", QuantityMap), ("requests", QuantityMap))),
        ("volumeName", Str),
        ("storageClassName", Str),
        ("volumeMode", Str),
        ("dataSource", SchemaNode.Object(Core + "TypedLocalObjectReference", ("apiGroup", Str), ("kind", Str), ("name", Str))),
        ("dataSourceRef", SchemaNode.Object(Core + "TypedObjectReference", ("apiGroup", Str), ("kind", Str), ("name", Str), ("namespace", Str))),
        ("volumeAttributesClassName", Str));

    private static SchemaNode PodSpec(SchemaNode labelSelector, SchemaNode objectMeta)
    {
        var container = Container(ephemeral: false);
        var localObjectReference = SchemaNode.Object(Core + "LocalObjectReference", ("name", Str));
        var nodeSelectorRequirement = SchemaNode.Object(Core + "NodeSelectorRequirement", ("key", Str), ("operator", Str), ("values", StringList));
        var nodeSelectorTerm = SchemaNode.Object(Core + "NodeSelectorTerm",
            ("matchExpressions", SchemaNode.List(nodeSelectorRequirement)),
            ("matchFields", SchemaNode.List(nodeSelectorRequirement)));
        var podAffinityTerm = SchemaNode.Object(Core + "PodAffinityTerm",
            ("labelSelector", labelSelector),
            ("namespaces", StringList),
            ("topologyKey", Str),
            ("namespaceSelector", labelSelector),
            ("matchLabelKeys", StringList),
            ("mismatchLabelKeys", StringList));
        var weightedPodAffinityTerm = SchemaNode.Object(Core + "WeightedPodAffinityTerm", ("weight", Int32), ("podAffinityTerm", podAffinityTerm));

        return SchemaNode.Object(Core + "PodSpec",
            ("volumes", SchemaNode.MergeList(Volume(objectMeta, labelSelector), "name", retainKeys: true)),
            ("initContainers", SchemaNode.MergeList(container, "name")),
            ("containers", SchemaNode.MergeList(container, "name")),
            ("ephemeralContainers", SchemaNode.MergeList(Container(ephemeral: true), "name")),
            ("restartPolicy", Str),
            ("terminationGracePeriodSeconds", Int64),
            ("activeDeadlineSeconds", Int64),
            ("dnsPolicy", Str),
            ("nodeSelector", StringMap),
            ("serviceAccountName", Str),
            ("serviceAccount", Str),
            ("automountServiceAccountToken", Bool),
            ("nodeName", Str),
            ("hostNetwork", Bool),
            ("hostPID", Bool),
            ("hostIPC", Bool),
            ("shareProcessNamespace", Bool),
            ("securityContext", SchemaNode.Object(Core + "PodSecurityContext",
                ("seLinuxOptions", SeLinuxOptions()),
                ("windowsOptions", WindowsOptions()),
                ("runAsUser", Int64),
                ("runAsGroup", Int64),
                ("runAsNonRoot", Bool),
                ("supplementalGroups", SchemaNode.List(Int64)),
                ("supplementalGroupsPolicy", Str),
                ("fsGroup", Int64),
                ("sysctls", SchemaNode.List(SchemaNode.Object(Core + "Sysctl", ("name", Str), ("value", Str)))),
                ("fsGroupChangePolicy", Str),
                ("seccompProfile", Profile(Core + "SeccompProfile")),
                ("appArmorProfile", Profile(Core + "AppArmorProfile")),
                ("seLinuxChangePolicy", Str))),
            ("imagePullSecrets", SchemaNode.MergeList(localObjectReference, "name")),
            ("hostname", Str),
            ("subdomain", Str),
            ("affinity", SchemaNode.Object(Core + "Affinity",
                ("nodeAffinity", SchemaNode.Object(Core + "NodeAffinity",
                    ("requiredDuringSchedulingIgnoredDuringExecution", SchemaNode.Object(Core + "NodeSelector", ("nodeSelectorTerms", SchemaNode.List(nodeSelectorTerm)))),
                    ("preferredDuringSchedulingIgnoredDuringExecution", SchemaNode.List(SchemaNode.Object(Core + "PreferredSchedulingTerm",
                        ("weight", Int32), ("preference", nodeSelectorTerm)))))),
                ("podAffinity", SchemaNode.Object(Core + "PodAffinity",
                    ("requiredDuringSchedulingIgnoredDuringExecution", SchemaNode.List(podAffinityTerm)),
                    ("preferredDuringSchedulingIgnoredDuringExecution", SchemaNode.List(weightedPodAffinityTerm)))),
                ("podAntiAffinity", SchemaNode.Object(Core + "PodAntiAffinity",
                    ("requiredDuringSchedulingIgnoredDuringExecution", SchemaNode.List(podAffinityTerm)),
                    ("preferredDuringSchedulingIgnoredDuringExecution", SchemaNode.List(weightedPodAffinityTerm)))))),
            ("schedulerName", Str),
            ("tolerations", SchemaNode.List(SchemaNode.Object(Core + "Toleration",
                ("key", Str), ("operator", Str), ("value", Str), ("effect", Str), ("tolerationSeconds", Int64)))),
            ("hostAliases", SchemaNode.MergeList(SchemaNode.Object(Core + "HostAlias", ("ip", Str), ("hostnames", StringList)), "ip")),
            ("priorityClassName", Str),
            ("priority", Int32),
            ("dnsConfig", SchemaNode.Object(Core + "PodDNSConfig",
                ("nameservers", StringList),
                ("searches", StringList),
                ("options", SchemaNode.List(SchemaNode.Object(Core + "PodDNSConfigOption", ("name", Str), ("value", Str)))))),
            ("readinessGates", SchemaNode.List(SchemaNode.Object(Core + "PodReadinessGate", ("conditionType", Str)))),
            ("runtimeClassName", Str),
            ("enableServiceLinks", Bool),
            ("preemptionPolicy", Str),
            ("overhead", QuantityMap),
            ("topologySpreadConstraints", SchemaNode.MergeList(SchemaNode.Object(Core + "TopologySpreadConstraint",
                ("maxSkew", Int32),
                ("topologyKey", Str),
                ("whenUnsatisfiable", Str),
                ("labelSelector", labelSelector),
                ("minDomains", Int32),
                ("nodeAffinityPolicy", Str),
                ("nodeTaintsPolicy", Str),
                ("matchLabelKeys", StringList)), "topologyKey")),
            ("setHostnameAsFQDN", Bool),
            ("os", SchemaNode.Object(Core + "PodOS", ("name", Str))),
            ("hostUsers", Bool),
            ("schedulingGates", SchemaNode.MergeList(SchemaNode.Object(Core + "PodSchedulingGate", ("name", Str)), "name")),
            ("resourceClaims", SchemaNode.MergeList(SchemaNode.Object(Core + "PodResourceClaim",
                ("name", Str), ("resourceClaimName", Str), ("resourceClaimTemplateName", Str)), "name", retainKeys: true)),
            ("resources", ResourceRequirements()));
    }

    private static SchemaNode Container(bool ephemeral)
    {
        var httpGet = SchemaNode.Object(Core + "HTTPGetAction",
            ("path", Str),
            ("port", IntOrString),
            ("host", Str),
            ("scheme", Str),
            ("httpHeaders", SchemaNode.List(SchemaNode.Object(Core + "HTTPHeader", ("name", Str), ("value", Str)))));
        var exec = SchemaNode.Object(Core + "ExecAction", ("command", StringList));
        var tcpSocket = SchemaNode.Object(Core + "TCPSocketAction", ("port", IntOrString), ("host", Str));
        var probe = SchemaNode.Object(Core + "Probe",
            ("exec", exec),
            ("httpGet", httpGet),
            ("tcpSocket", tcpSocket),
            ("grpc", SchemaNode.Object(Core + "GRPCAction", ("port", Int32), ("service", Str))),
            ("initialDelaySeconds", Int32),
            ("timeoutSeconds", Int32),
            ("periodSeconds", Int32),
            ("successThreshold", Int32),
            ("failureThreshold", Int32),
            ("terminationGracePeriodSeconds", Int64));
        var handler = SchemaNode.Object(Core + "LifecycleHandler",
            ("exec", exec),
            ("httpGet", httpGet),
            ("tcpSocket", tcpSocket),
            ("sleep", SchemaNode.Object(Core + "SleepAction", ("seconds", Int64))));

        var properties = new List<(string, SchemaNode)>
        {
            ("name", Str),
            ("image", Str),
            ("command", StringList),
            ("args", StringList),
            ("workingDir", Str),
            ("ports", SchemaNode.MergeList(SchemaNode.Object(Core + "ContainerPort",
                ("name", Str), ("hostPort", Int32), ("containerPort", Int32), ("protocol", Str), ("hostIP", Str)), "containerPort")),
            ("envFrom", SchemaNode.List(SchemaNode.Object(Core + "EnvFromSource",
                ("prefix", Str),
                ("configMapRef", SchemaNode.Object(Core + "ConfigMapEnvSource", ("name", Str), ("optional", Bool))),
                ("secretRef", SchemaNode.Object(Core + "SecretEnvSource", ("name", Str), ("optional", Bool)))))),
            ("env", SchemaNode.MergeList(SchemaNode.Object(Core + "EnvVar",
                ("name", Str),
                ("value", Str),
                ("valueFrom", SchemaNode.Object(Core + "EnvVarSource",
                    ("fieldRef", ObjectFieldSelector()),
                    ("resourceFieldRef", ResourceFieldSelector()),
                    ("configMapKeyRef", SchemaNode.Object(Core + "ConfigMapKeySelector", ("name", Str), ("key", Str), ("optional", Bool))),
                    ("secretKeyRef", SchemaNode.Object(Core + "SecretKeySelector", ("name", Str), ("key", Str), ("optional", Bool)))))), "name")),
            ("resources", ResourceRequirements()),
            ("resizePolicy", SchemaNode.List(SchemaNode.Object(Core + "ContainerResizePolicy", ("resourceName", Str), ("restartPolicy", Str)))),
            ("restartPolicy", Str),
            ("volumeMounts", SchemaNode.MergeList(SchemaNode.Object(Core + "VolumeMount",
                ("name", Str),
                ("readOnly", Bool),
                ("recursiveReadOnly", Str),
                ("mountPath", Str),
                ("subPath", Str),
                ("mountPropagation", Str),
                ("subPathExpr", Str)), "mountPath")),
            ("volumeDevices", SchemaNode.MergeList(SchemaNode.Object(Core + "VolumeDevice", ("name", Str), ("devicePath", Str)), "devicePath")),
            ("livenessProbe", probe),
            ("readinessProbe", probe),
            ("startupProbe", probe),
            ("lifecycle", SchemaNode.Object(Core + "Lifecycle", ("postStart", handler), ("preStop", handler), ("stopSignal", Str))),
            ("terminationMessagePath", Str),
            ("terminationMessagePolicy", Str),
            ("imagePullPolicy", Str),
            ("securityContext", SchemaNode.Object(Core + "SecurityContext",
                ("capabilities", SchemaNode.Object(Core + "Capabilities", ("add", StringList), ("drop", StringList))),
                ("privileged", Bool),
                ("seLinuxOptions", SeLinuxOptions()),
                ("windowsOptions", WindowsOptions()),
                ("runAsUser", Int64),
                ("runAsGroup", Int64),
                ("runAsNonRoot", Bool),
                ("readOnlyRootFilesystem", Bool),
                ("allowPrivilegeEscalation", Bool),
                ("procMount", Str),
                ("seccompProfile", Profile(Core + "SeccompProfile")),
                ("appArmorProfile", Profile(Core + "AppArmorProfile")))),
            ("stdin", Bool),
            ("stdinOnce", Bool),
            ("tty", Bool),
        };
        if (ephemeral)
        {
            properties.Add(("targetContainerName", Str));
        }

        return SchemaNode.Object(Core + (ephemeral ? "EphemeralContainer" : "Container"), [.. properties]);
    }

    private static SchemaNode ResourceRequirements() => SchemaNode.Object(Core + "ResourceRequirements",
        ("limits", QuantityMap),
        ("requests", QuantityMap),
        ("claims", SchemaNode.MergeList(SchemaNode.Object(Core + "ResourceClaim", ("name", Str), ("request", Str)), "name")));

    private static SchemaNode ObjectFieldSelector() => SchemaNode.Object(Core + "ObjectFieldSelector", ("apiVersion", Str), ("fieldPath", Str));

    private static SchemaNode ResourceFieldSelector() => SchemaNode.Object(Core + "ResourceFieldSelector",
        ("containerName", Str), ("resource", Str), ("divisor", Quantity));

    private static SchemaNode SeLinuxOptions() => SchemaNode.Object(Core + "SELinuxOptions", ("user", Str), ("role", Str), ("type", Str), ("level", Str));

    private static SchemaNode WindowsOptions() => SchemaNode.Object(Core + "WindowsSecurityContextOptions",
        ("gmsaCredentialSpecName", Str), ("gmsaCredentialSpec", Str), ("runAsUserName", Str), ("hostProcess", Bool));

    private static SchemaNode Profile(string definition) => SchemaNode.Object(definition, ("type", Str), ("localhostProfile", Str));

    private static SchemaNode Volume(SchemaNode objectMeta, SchemaNode labelSelector)
    {
        var keyToPath = SchemaNode.List(SchemaNode.Object(Core + "KeyToPath", ("key", Str), ("path", Str), ("mode", Int32)));
        var downwardApiFiles = SchemaNode.List(SchemaNode.Object(Core + "DownwardAPIVolumeFile",
            ("path", Str), ("fieldRef", ObjectFieldSelector()), ("resourceFieldRef", ResourceFieldSelector()), ("mode", Int32)));
        return SchemaNode.Object(Core + "Volume",
            ("name", Str),
            ("persistentVolumeClaim", SchemaNode.Object(Core + "PersistentVolumeClaimVolumeSource", ("claimName", Str), ("readOnly", Bool))),
            ("configMap", SchemaNode.Object(Core + "ConfigMapVolumeSource", ("name", Str), ("items", keyToPath), ("defaultMode", Int32), ("optional", Bool))),
            ("secret", SchemaNode.Object(Core + "SecretVolumeSource", ("secretName", Str), ("items", keyToPath), ("defaultMode", Int32), ("optional", Bool))),
            ("emptyDir", SchemaNode.Object(Core + "EmptyDirVolumeSource", ("medium", Str), ("sizeLimit", Quantity))),
            ("hostPath", SchemaNode.Object(Core + "HostPathVolumeSource", ("path", Str), ("type", Str))),
            ("projected", SchemaNode.Object(Core + "ProjectedVolumeSource",
                ("sources", SchemaNode.List(SchemaNode.Object(Core + "VolumeProjection",
                    ("secret", SchemaNode.Object(Core + "SecretProjection", ("name", Str), ("items", keyToPath), ("optional", Bool))),
                    ("downwardAPI", SchemaNode.Object(Core + "DownwardAPIProjection", ("items", downwardApiFiles))),
                    ("configMap", SchemaNode.Object(Core + "ConfigMapProjection", ("name", Str), ("items", keyToPath), ("optional", Bool))),
                    ("serviceAccountToken", SchemaNode.Object(Core + "ServiceAccountTokenProjection",
                        ("audience", Str), ("expirationSeconds", Int64), ("path", Str))),
                    ("clusterTrustBundle", FreeForm)))),
                ("defaultMode", Int32))),
            ("downwardAPI", SchemaNode.Object(Core + "DownwardAPIVolumeSource", ("items", downwardApiFiles), ("defaultMode", Int32))),
            ("csi", SchemaNode.Object(Core + "CSIVolumeSource",
                ("driver", Str),
                ("readOnly", Bool),
                ("fsType", Str),
                ("volumeAttributes", StringMap),
                ("nodePublishSecretRef", SchemaNode.Object(Core + "LocalObjectReference", ("name", Str))))),
            ("ephemeral", SchemaNode.Object(Core + "EphemeralVolumeSource",
                ("volumeClaimTemplate", SchemaNode.Object(Core + "PersistentVolumeClaimTemplate",
                    ("metadata", objectMeta),
                    ("spec", PvcSpec(labelSelector)))))),
            ("nfs", SchemaNode.Object(Core + "NFSVolumeSource", ("server", Str), ("path", Str), ("readOnly", Bool))),
            ("image", SchemaNode.Object(Core + "ImageVolumeSource", ("reference", Str), ("pullPolicy", Str))));
    }

    private static SchemaNode PodStatus()
    {
        var containerState = SchemaNode.Object(Core + "ContainerState",
            ("waiting", SchemaNode.Object(Core + "ContainerStateWaiting", ("reason", Str), ("message", Str))),
            ("running", SchemaNode.Object(Core + "ContainerStateRunning", ("startedAt", Time))),
            ("terminated", SchemaNode.Object(Core + "ContainerStateTerminated",
                ("exitCode", Int32),
                ("signal", Int32),
                ("reason", Str),
                ("message", Str),
                ("startedAt", Time),
                ("finishedAt", Time),
                ("containerID", Str))));
        var containerStatus = SchemaNode.Object(Core + "ContainerStatus",
            ("name", Str),
            ("state", containerState),
            ("lastState", containerState),
            ("ready", Bool),
            ("restartCount", Int32),
            ("image", Str),
            ("imageID", Str),
            ("containerID", Str),
            ("started", Bool),
            ("allocatedResources", QuantityMap),
            ("resources", ResourceRequirements()),
            ("volumeMounts", SchemaNode.List(SchemaNode.Object(Core + "VolumeMountStatus",
                ("name", Str), ("mountPath", Str), ("readOnly", Bool), ("recursiveReadOnly", Str)))),
            ("user", FreeForm),
            ("allocatedResourcesStatus", SchemaNode.List(FreeForm)),
            ("stopSignal", Str));
        var statuses = SchemaNode.List(containerStatus);
        return SchemaNode.Object(Core + "PodStatus",
            ("observedGeneration", Int64),
            ("phase", Str),
            ("conditions", SchemaNode.MergeList(SchemaNode.Object(Core + "PodCondition",
                ("type", Str),
                ("observedGeneration", Int64),
                ("status", Str),
                ("lastProbeTime", Time),
                ("lastTransitionTime", Time),
                ("reason", Str),
                ("message", Str)), "type")),
            ("message", Str),
            ("reason", Str),
            ("nominatedNodeName", Str),
            ("hostIP", Str),
            ("hostIPs", SchemaNode.MergeList(SchemaNode.Object(Core + "HostIP", ("ip", Str)), "ip")),
            ("podIP", Str),
            ("podIPs", SchemaNode.MergeList(SchemaNode.Object(Core + "PodIP", ("ip", Str)), "ip")),
            ("startTime", Time),
            ("initContainerStatuses", statuses),
            ("containerStatuses", statuses),
            ("qosClass", Str),
            ("ephemeralContainerStatuses", statuses),
            ("resize", Str),
            ("resourceClaimStatuses", SchemaNode.MergeList(SchemaNode.Object(Core + "PodResourceClaimStatus",
                ("name", Str), ("resourceClaimName", Str)), "name", retainKeys: true)));
    }
}

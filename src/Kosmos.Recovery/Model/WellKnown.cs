namespace Kosmos.Recovery.Model;

/// <summary>Label and annotation keys the dashboard reads from Kubernetes objects.</summary>
public static class WellKnownKeys
{
    /// <summary>Pods of an agent carry <c>app=&lt;agent name&gt;</c>.</summary>
    public const string AgentLabel = "app";

    public const string PodTemplateHashLabel = "pod-template-hash";

    public const string DeploymentRevisionAnnotation = "deployment.kubernetes.io/revision";

    /// <summary>Set on the pod template by <c>kubectl rollout restart</c>; changing it is what rolls the pods.</summary>
    public const string RestartedAtAnnotation = "kubectl.kubernetes.io/restartedAt";
}

/// <summary>Condition types of pods and deployments.</summary>
public static class ConditionTypes
{
    public const string PodScheduled = "PodScheduled";
    public const string Initialized = "Initialized";
    public const string ContainersReady = "ContainersReady";
    public const string Ready = "Ready";
    public const string PodReadyToStartContainers = "PodReadyToStartContainers";

    public const string Available = "Available";
    public const string Progressing = "Progressing";
    public const string ReplicaFailure = "ReplicaFailure";
}

/// <summary>Reasons Kubernetes writes into pod, container and deployment status.</summary>
public static class KubeReasons
{
    public const string CrashLoopBackOff = "CrashLoopBackOff";
    public const string OomKilled = "OOMKilled";
    public const string Completed = "Completed";
    public const string Error = "Error";
    public const string ContainerCreating = "ContainerCreating";
    public const string PodInitializing = "PodInitializing";
    public const string ErrImagePull = "ErrImagePull";
    public const string ImagePullBackOff = "ImagePullBackOff";
    public const string InvalidImageName = "InvalidImageName";
    public const string ErrImageNeverPull = "ErrImageNeverPull";
    public const string CreateContainerConfigError = "CreateContainerConfigError";
    public const string CreateContainerError = "CreateContainerError";
    public const string RunContainerError = "RunContainerError";
    public const string Unschedulable = "Unschedulable";
    public const string SchedulingGated = "SchedulingGated";
    public const string Evicted = "Evicted";

    /// <summary>The node controller's reason for pods on a node that stopped reporting (kubectl shows "Unknown").</summary>
    public const string NodeLost = "NodeLost";

    public const string ProgressDeadlineExceeded = "ProgressDeadlineExceeded";
    public const string NewReplicaSetAvailable = "NewReplicaSetAvailable";
}

/// <summary>Exit codes the runbook and the classifier read.</summary>
public static class ExitCodes
{
    /// <summary>128 + SIGKILL (9): the OOM killer's signal, and the kubelet's after a grace period (runbook: "Exit code 137").</summary>
    public const int SigKill = 137;

    /// <summary>128 + SIGTERM (15): a container stopped by the kubelet that exited on the signal.</summary>
    public const int SigTerm = 143;
}

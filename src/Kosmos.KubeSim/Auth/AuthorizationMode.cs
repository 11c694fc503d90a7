namespace Kosmos.KubeSim.Auth;

/// <summary>How the simulator authorises API requests (kube-apiserver's <c>--authorization-mode</c>).</summary>
public enum AuthorizationMode
{
    /// <summary>Every request is allowed and tokens are not checked (the default: local demos and most tests).</summary>
    AlwaysAllow,

    /// <summary>Bearer tokens name users; Roles, ClusterRoles and their bindings decide, as the RBAC authorizer does.</summary>
    Rbac,
}

namespace Kosmos.KubeSim.Auth;

/// <summary>Who made a request, as kube-apiserver's authenticators describe a user: a name and the groups it belongs to.</summary>
public sealed record UserInfo(string Name, IReadOnlyList<string> Groups)
{
    public const string Masters = "system:masters";
    public const string Authenticated = "system:authenticated";
    public const string ServiceAccountPrefix = "system:serviceaccount:";

    /// <summary>A request without a token: the kubeconfig-less admin of a local cluster, so kubectl demos keep working.</summary>
    public static UserInfo Admin { get; } = new("system:admin", [Masters, Authenticated]);

    /// <summary>Members of <c>system:masters</c> bypass RBAC, as on a real API server.</summary>
    public bool IsSuperUser => Groups.Contains(Masters);

    /// <summary>
    /// The user a token names: <c>system:serviceaccount:NS:NAME</c> gets the groups a service account token carries
    /// (<c>system:serviceaccounts</c>, <c>system:serviceaccounts:NS</c>); any other name is a plain user. Extra groups follow the name.
    /// </summary>
    public static UserInfo Parse(string name, IEnumerable<string> extraGroups)
    {
        var groups = new List<string>();
        if (name.StartsWith(ServiceAccountPrefix, StringComparison.Ordinal) && name[ServiceAccountPrefix.Length..].Split(':') is [var ns, var sa] && ns.Length > 0 && sa.Length > 0)
        {
            groups.Add("system:serviceaccounts");
            groups.Add("system:serviceaccounts:" + ns);
        }

        groups.AddRange(extraGroups.Where(g => !groups.Contains(g)));
        if (!groups.Contains(Authenticated))
        {
            groups.Add(Authenticated);
        }

        return new UserInfo(name, groups);
    }
}

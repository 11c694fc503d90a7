using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Kosmos.KubeSim.Auth.Rbac;

namespace Kosmos.KubeSim.Auth;

/// <summary>One kind of decision: who asked for what, whether it was allowed, and by which rule (binding, role, rule index).</summary>
public sealed record AuthorizationRecord(string User, string Verb, string ApiGroup, string Resource, string Namespace, bool Allowed,
    string? Binding, string? Role, int? Rule)
{
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["user"] = User,
            ["verb"] = Verb,
            ["apiGroup"] = ApiGroup,
            ["resource"] = Resource,
            ["namespace"] = Namespace,
            ["allowed"] = Allowed,
        };
        if (Binding is not null)
        {
            json["binding"] = Binding;
            json["role"] = Role;
            json["rule"] = Rule;
        }

        return json;
    }
}

/// <summary>
/// Counts every authorisation decision on the API (not /sim/), so a test can show which (verb, resource) pairs a service
/// account needed and which rule of its Role granted each: least privilege, checked. Read at <c>GET /sim/authorizations</c>.
/// Thread-safe.
/// </summary>
public sealed class AuthorizationLog
{
    private readonly ConcurrentDictionary<AuthorizationRecord, long> _records = new();

    public void Record(RequestAttributes request, AuthorizationDecision decision)
    {
        if (!request.IsResourceRequest || request.User.IsSuperUser)
        {
            // The admin's and discovery's decisions say nothing about a role.
            return;
        }

        var record = new AuthorizationRecord(request.User.Name, request.Verb, request.ApiGroup, request.CombinedResource, request.Namespace, decision.Allowed,
            decision.Source?.Binding, decision.Source?.Role, decision.Source?.RuleIndex);
        _records.AddOrUpdate(record, 1, (_, n) => n + 1);
    }

    /// <summary>Every distinct decision so far with how often it was made; <paramref name="user"/> null = everyone's.</summary>
    public IReadOnlyList<(AuthorizationRecord Record, long Count)> Snapshot(string? user = null) =>
        _records.Where(p => user is null || p.Key.User == user)
            .Select(p => (p.Key, p.Value))
            .OrderBy(p => p.Key.User, StringComparer.Ordinal).ThenBy(p => p.Key.Resource, StringComparer.Ordinal).ThenBy(p => p.Key.Verb, StringComparer.Ordinal)
            .ToList();

    public void Reset() => _records.Clear();

    public JsonObject ToJson(string? user)
    {
        var items = new JsonArray();
        foreach (var (record, count) in Snapshot(user))
        {
            var json = record.ToJson();
            json["count"] = count;
            items.Add(json);
        }

        return new JsonObject { ["decisions"] = items };
    }
}

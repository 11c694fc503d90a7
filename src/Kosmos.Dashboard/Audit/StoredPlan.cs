using System.Text.Json;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Model;

namespace Kosmos.Dashboard.Audit;

/// <summary>
/// An <see cref="ActionPlan"/> as the audit database keeps it (JSON): everything needed to verify it again after a restart,
/// or to apply it once an approval arrives. The fingerprint is kept too; it only matches in the process that sealed it.
/// </summary>
public sealed record StoredPlan(
    string Kind,
    string Namespace,
    string Name,
    string ResourceVersion,
    long? Generation,
    IReadOnlyList<ChangeLine> Changes,
    string Kubectl,
    IReadOnlyDictionary<string, string> Parameters,
    DateTimeOffset PreparedAt,
    IReadOnlyDictionary<string, string> Values,
    string? Fingerprint,
    IReadOnlyList<string> Warnings,
    string? Note,
    IReadOnlyList<string> Steps,
    IReadOnlyList<string> Losses,
    IReadOnlyList<string>? Touches = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Serialize(ActionPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var stored = new StoredPlan(plan.Kind.ToString(), plan.Target.Namespace, plan.Target.Name, plan.Precondition.ResourceVersion,
            plan.Precondition.Generation, [.. plan.Changes], plan.KubectlEquivalent, plan.Parameters.ToDictionary(), plan.PreparedAt,
            plan.Request.Values.ToDictionary(), plan.Fingerprint, [.. plan.Warnings], plan.Note, [.. plan.Steps], [.. plan.Losses], [.. plan.Touches]);
        return JsonSerializer.Serialize(stored, Json);
    }

    /// <summary>The plan, or null when the text is not one (a kind this version does not know, or damaged JSON).</summary>
    public static ActionPlan? Deserialize(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            var s = JsonSerializer.Deserialize<StoredPlan>(json, Json);
            if (s is null || !Enum.TryParse<ActionKind>(s.Kind, out var kind))
            {
                return null;
            }

            return new ActionPlan(kind, new AgentRef(s.Namespace, s.Name), new Precondition(s.ResourceVersion, s.Generation), [.. s.Changes],
                s.Kubectl, StringMap.From(s.Parameters), s.PreparedAt)
            {
                Request = new ActionRequest(StringMap.From(s.Values)),
                Fingerprint = s.Fingerprint,
                Warnings = [.. s.Warnings ?? []],
                Note = s.Note,
                Steps = [.. s.Steps ?? []],
                Losses = [.. s.Losses ?? []],
                Touches = [.. s.Touches ?? []],
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

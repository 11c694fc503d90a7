using Kosmos.Dashboard.Incidents;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Approvals;
using Kosmos.Recovery.Incidents;
using Kosmos.Recovery.Model;

namespace Kosmos.Dashboard.Tests.Incidents;

public sealed class ApprovalTimelineFeedTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 4, 0, 0, TimeSpan.Zero);
    private static readonly Actor Ada = new("ada", "Operator");
    private static readonly Actor Cora = new("cora", "IncidentCommander");

    private static ApprovalRequest Request(ApprovalStatus status) => new(
        Guid.Parse("00000000-0000-0000-0000-0000000000aa"),
        new ActionPlan(ActionKind.Reset, new AgentRef("kosmos", "planner"), new Precondition("42", 3), ValueList<ChangeLine>.Empty, "kubectl …", StringMap.Empty, At),
        Ada,
        At,
        At.AddMinutes(15),
        status)
    {
        DecidedBy = status is ApprovalStatus.Pending ? null : Cora,
        DecidedAt = status is ApprovalStatus.Pending ? null : At.AddMinutes(2),
        Reason = status is ApprovalStatus.Rejected ? "not during the demo" : null,
    };

    [Theory]
    [InlineData(ApprovalStatus.Pending, ApprovalDecision.Requested, "ada", 0, null)]
    [InlineData(ApprovalStatus.Approved, ApprovalDecision.Approved, "cora", 2, null)]
    [InlineData(ApprovalStatus.Rejected, ApprovalDecision.Rejected, "cora", 2, "not during the demo")]
    public void ToNotice_RequestedApprovedRejected_NameWhoAndWhen(ApprovalStatus status, ApprovalDecision decision, string by, int minutes, string? reason)
    {
        var notice = ApprovalTimelineFeed.ToNotice(Request(status));

        Assert.Equal(new ApprovalNotice(Request(status).Id, decision, ActionKind.Reset, new AgentRef("kosmos", "planner"),
            by == "ada" ? Ada : Cora, At.AddMinutes(minutes), reason), notice);
    }

    [Theory]
    [InlineData(ApprovalStatus.Expired)]
    [InlineData(ApprovalStatus.Cancelled)]
    [InlineData(ApprovalStatus.Void)]
    public void ToNotice_EndedWithoutADecision_NotOnTheTimeline(ApprovalStatus status) =>
        Assert.Null(ApprovalTimelineFeed.ToNotice(Request(status)));
}

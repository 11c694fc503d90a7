using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Dashboard.ViewModels;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Health;
using Kosmos.Recovery.Incidents;

namespace Kosmos.Dashboard.Tests.ViewModels;

public sealed class IncidentViewsTests
{
    private static readonly Incident OpenOom = Incident("memory-agent", HealthState.OOMKilled, 0);
    private static readonly Incident OpenCrash = Incident("chat-agent", HealthState.CrashLoopBackOff, 5);
    private static readonly Incident ResolvedOom = IncidentRules.Resolve(Incident("memory-agent", HealthState.OOMKilled, -60), "leak", "ada", TestData.Now).Incident!;

    // (status, agent text, failure mode) → agents in order (open first, newest detection first)
    [Theory]
    [InlineData("Open", null, null, "chat-agent,memory-agent")]
    [InlineData("Resolved", null, null, "memory-agent")]
    [InlineData(null, null, null, "chat-agent,memory-agent,memory-agent")]
    [InlineData(null, "MEMORY", null, "memory-agent,memory-agent")]
    [InlineData(null, "kosmos/chat", null, "chat-agent")]
    [InlineData("Open", null, "OOMKilled", "memory-agent")]
    [InlineData("Open", null, "ImagePull", "")]
    public void IncidentFilter_Table(string? status, string? agent, string? mode, string expected)
    {
        var filter = new IncidentFilter(status is null ? null : Enum.Parse<IncidentStatus>(status), agent, mode is null ? null : Enum.Parse<HealthState>(mode));

        Assert.Equal(expected, string.Join(',', filter.Apply([ResolvedOom, OpenOom, OpenCrash]).Select(i => i.Agent)));
    }

    [Fact]
    public void TimelineLook_EveryKindHasALookAndACategory() =>
        Assert.All(Enum.GetValues<TimelineKind>(), kind =>
        {
            Assert.NotEmpty(TimelineLook.Of(kind).Label);
            _ = TimelineCategories.Of(kind);
        });

    [Theory]
    [InlineData(TimelineKind.Crash, TimelineCategory.Evidence, "error")]
    [InlineData(TimelineKind.LogsCaptured, TimelineCategory.Evidence, "default")]
    [InlineData(TimelineKind.KubernetesEvent, TimelineCategory.Events, "warning")]
    [InlineData(TimelineKind.ActionRequested, TimelineCategory.Actions, "primary")]
    [InlineData(TimelineKind.Approved, TimelineCategory.Actions, "success")]
    [InlineData(TimelineKind.Rejected, TimelineCategory.Actions, "error")]
    [InlineData(TimelineKind.Verified, TimelineCategory.Health, "success")]
    [InlineData(TimelineKind.ChecklistTicked, TimelineCategory.Checklist, "success")]
    public void TimelineLook_Table(TimelineKind kind, TimelineCategory category, string colour)
    {
        Assert.Equal(category, TimelineCategories.Of(kind));
        Assert.Equal(colour, TimelineLook.Of(kind).Colour);
    }

    [Fact]
    public void Visible_OnlyShownCategoriesNewestFirst()
    {
        var incident = IncidentRules.Tick(OpenOom, ChecklistItem.ConductPostMortem, "ada", TestData.Now.AddMinutes(1), TimeSpan.FromMinutes(2)).Incident!;

        Assert.Equal([TimelineKind.ChecklistTicked, TimelineKind.Opened], TimelineLook.Visible(incident, new HashSet<TimelineCategory>(Enum.GetValues<TimelineCategory>())).Select(e => e.Kind));
        Assert.Equal([TimelineKind.Opened], TimelineLook.Visible(incident, new HashSet<TimelineCategory> { TimelineCategory.Health }).Select(e => e.Kind));
    }

    [Fact]
    public void WallIncident_OpenOnesOldestFirstWithActionsStillRunning()
    {
        var target = new AgentRef(TestData.Ns, "memory-agent");
        var running = IncidentRules.ActionStarted(OpenOom, new ActionStart(Guid.NewGuid(), ActionKind.Restart, target, new Actor("ada", "Operator"), ActionRequest.None, TestData.Now));

        var wall = WallIncident.From([ResolvedOom, OpenCrash, running], TestData.Now.AddMinutes(10));

        Assert.Equal(["kosmos/memory-agent", "kosmos/chat-agent"], wall.Select(w => w.Agent));
        Assert.Equal(["Restart requested by ada (Operator)"], wall[0].Running);
        Assert.Empty(wall[1].Running);
        Assert.Equal("10m", wall[0].Age);
    }

    private static Incident Incident(string agent, HealthState state, int minutes) =>
        IncidentRules.Open(Guid.NewGuid(), TestData.Agent(agent, state), Checklist.Dashboard, null, TestData.Now.AddMinutes(minutes));
}

using Bunit;
using Bunit.TestDoubles;
using Kosmos.Dashboard.Configuration;
using Kosmos.Dashboard.Incidents;
using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Recovery.Incidents;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;

namespace Kosmos.Dashboard.Tests.Components;

/// <summary>
/// A bUnit context with MudBlazor and the fakes registered. Held in a field and disposed asynchronously: MudBlazor's
/// popover service is only IAsyncDisposable, so a synchronous dispose (a test class inheriting BunitContext) throws.
/// </summary>
public sealed class DashboardContext : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public DashboardContext(FakeAgentBoard? board = null)
    {
        Board = board ?? new FakeAgentBoard();
        Bunit.JSInterop.Mode = JSRuntimeMode.Loose;
        Bunit.Services.AddMudServices();
        Bunit.Services.AddSingleton<IAgentBoard>(Board);
        Bunit.Services.AddSingleton<IPodLogs>(Logs);
        Bunit.Services.AddSingleton<IAgentConfiguration>(Configuration);
        Bunit.Services.AddSingleton<TimeProvider>(Time);
        Bunit.Services.AddSingleton<IActionExecutor>(Executor);
        Bunit.Services.AddSingleton<IVerifyAgain>(Executor);
        Bunit.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(Options));

        // The incident service itself, not started: components read its incidents and follow its changes.
        Bunit.Services.AddSingleton<IIncidentStore>(new InMemoryIncidentStore());
        Bunit.Services.AddSingleton<ILogger<IncidentService>>(NullLogger<IncidentService>.Instance);
        Bunit.Services.AddSingleton<IncidentService>();

        Bunit.Services.AddSingleton<IStateExports>(Exports);
        Bunit.Services.AddSingleton(new Kosmos.Dashboard.Terminal.TerminalPolicy(Enabled: true, TimeSpan.FromMinutes(15)));

        Bunit.Services.AddSingleton<IActionActivity>(Activity);
        Bunit.Services.AddSingleton<Kosmos.Recovery.Approvals.IApprovals>(Approvals);
        Bunit.Services.AddSingleton<Kosmos.Dashboard.Approvals.IApprovalDecisions>(Approvals);
        Bunit.Services.AddSingleton<IAuditLog>(Audit);
        Auth = Bunit.AddAuthorization();
    }

    /// <summary>Who is signed in (nobody until a test says so) and which policies they satisfy.</summary>
    public BunitAuthorizationContext Auth { get; }

    public FakeActionExecutor Executor { get; } = new();

    /// <summary>The dashboard's settings as components see them (<c>IOptions&lt;KosmosOptions&gt;</c>); change before rendering.</summary>
    public Kosmos.Dashboard.Configuration.KosmosOptions Options { get; } = new();

    public FakeStateExports Exports { get; } = new();

    public BunitContext Bunit { get; } = new();

    public FakeAgentBoard Board { get; }

    public Kosmos.Dashboard.Actions.ActionActivityHub Activity { get; } = new();

    public FakeAuditLog Audit { get; } = new();

    /// <summary>Approval requests (filed and decided by the test) and the requester's cancel.</summary>
    public FakeApprovals Approvals { get; } = new();

    public FakePodLogs Logs { get; } = new();

    /// <summary>The ConfigMaps the describe tab's Configuration section reads (planted by the test).</summary>
    public FakeAgentConfiguration Configuration { get; } = new();

    /// <summary>The components' clock: stands at <see cref="TestData.Now"/> so "5m ago" texts are exact; timers (age refresh) tick only if a test advances it.</summary>
    public FakeTimeProvider Time { get; } = new(TestData.Now);

    public IRenderedComponent<T> Render<T>(Action<ComponentParameterCollectionBuilder<T>>? parameters = null)
        where T : IComponent =>
        Bunit.Render(parameters ?? (_ => { }));

    public ValueTask DisposeAsync() => Bunit.DisposeAsync();
}

/// <summary>Base for component tests: one <see cref="DashboardContext"/> per test, disposed asynchronously.</summary>
public abstract class ComponentTest : IAsyncLifetime
{
    protected DashboardContext Ctx { get; } = new();

    protected static TimeSpan Timeout => DashboardContext.Timeout;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Ctx.DisposeAsync();
}

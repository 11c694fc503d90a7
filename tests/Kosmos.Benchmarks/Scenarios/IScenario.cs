using Kosmos.Benchmarks.Harness;
using Kosmos.Benchmarks.Report;

namespace Kosmos.Benchmarks.Scenarios;

/// <summary>
/// One benchmark, selectable by <see cref="Name"/>. A class implementing it with a parameterless constructor is found by
/// <see cref="ScenarioCatalog"/>: adding a scenario is adding one file. It starts what it needs (a <see cref="BenchCluster"/>,
/// the browser from <see cref="BenchContext.GetBrowserAsync"/>), bounds every wait, and stops it all before returning.
/// </summary>
public interface IScenario
{
    /// <summary>The command-line name, e.g. <c>latency</c>.</summary>
    string Name { get; }

    string Title { get; }

    /// <summary>Where it comes in the report and in a run of all scenarios.</summary>
    int Order { get; }

    Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken ct);
}

/// <summary>Every scenario in this assembly, in order.</summary>
public static class ScenarioCatalog
{
    public static IReadOnlyList<IScenario> All { get; } =
    [
        .. typeof(IScenario).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IScenario).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (IScenario)Activator.CreateInstance(t)!)
            .OrderBy(s => s.Order),
    ];

    /// <summary>The scenarios named (all when none is); throws with the known names for an unknown one.</summary>
    public static IReadOnlyList<IScenario> Select(IReadOnlyList<string> names)
    {
        if (names.Count == 0)
        {
            return All;
        }

        var unknown = names.Where(n => All.All(s => s.Name != n)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"unknown scenario {string.Join(", ", unknown)}; known: {string.Join(", ", All.Select(s => s.Name))}");
        }

        return [.. All.Where(s => names.Contains(s.Name))];
    }
}

/// <summary>What a scenario gets: the settings of the run, a log, and the run's one browser (launched on first use).</summary>
public sealed class BenchContext(BenchSettings settings, TextWriter log) : IAsyncDisposable
{
    /// <summary>A generous bound for anything that crosses the simulator, the dashboard and a client on a loaded machine.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private Browser? _browser;

    public BenchSettings Settings { get; } = settings;

    public void Log(string message) => log.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");

    public async Task<Browser> GetBrowserAsync() => _browser ??= await Browser.LaunchAsync();

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
    }
}

using System.Globalization;

namespace Kosmos.Benchmarks;

/// <summary>
/// What a run measures: the sizes, viewer counts and durations of every scenario. <see cref="Full"/> is the set;
/// <see cref="Quick"/> is small enough to run in about a minute. Command-line overrides (<see cref="Parse"/>) apply on top.
/// </summary>
public sealed record BenchSettings
{
    public bool IsQuick { get; init; }

    /// <summary>Pods per simulated agent: a fleet of N pods has N / 10 agents on the board.</summary>
    public int PodsPerAgent { get; init; } = 10;

    public IReadOnlyList<int> LatencyPods { get; init; } = [2_000, 20_000];

    public IReadOnlyList<int> LatencyViewers { get; init; } = [1, 100];

    public int LoadPods { get; init; } = 2_000;

    public IReadOnlyList<int> LoadViewers { get; init; } = [1, 10, 100];

    public IReadOnlyList<int> ScalePods { get; init; } = [20_000, 50_000, 100_000];

    public int CircuitPods { get; init; } = 20_000;

    /// <summary>Board pages open beyond the warm-up at each step of circuit-memory.</summary>
    public IReadOnlyList<int> CircuitPages { get; init; } = [0, 10, 20, 30];

    /// <summary>The least time circuit-memory lets the process shrink before its first step (pools keep start-up buffers for a minute).</summary>
    public TimeSpan CircuitSettleAtLeast { get; init; } = TimeSpan.FromSeconds(75);

    /// <summary>Board pages opened (and kept open) before circuit-memory's first step, so one-time costs are not charged per viewer.</summary>
    public int CircuitWarmupPages { get; init; } = 2;

    /// <summary>Agents restarted through the browser in the action scenario (one more warms the path up first).</summary>
    public int ActionRestarts { get; init; } = 10;

    /// <summary>Simulated seconds per real second in the action scenario: the rollout's probes and delays shrink by this much.</summary>
    public double ActionTimeScale { get; init; } = 10;

    /// <summary>The static bulk fleet beside the action scenario's agents, so the board and the caches are not empty.</summary>
    public int ActionPods { get; init; } = 2_000;

    /// <summary>How long each measured phase runs its change stream.</summary>
    public TimeSpan Phase { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Pod changes per second applied at the simulator during a phase.</summary>
    public double ChangesPerSecond { get; init; } = 20;

    /// <summary>The polling baseline's refresh period (the retired Kubernetes Dashboard re-listed every 5 s).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The most polling viewers actually run; more are extrapolated from this many (their lists and bytes are N times one
    /// viewer's by construction). A hundred viewers re-listing 2,000 pods every 5 s is ~100 MB/s of JSON to write and read:
    /// on a 2-core machine that runs simulator and clients in one process, measuring it only measures the machine's collapse.
    /// </summary>
    public int MaxPollers { get; init; } = 10;

    /// <summary>Measure in a browser (Chromium via Playwright) too.</summary>
    public bool Browser { get; init; } = true;

    /// <summary>Scenario names to run; empty: all.</summary>
    public IReadOnlyList<string> Scenarios { get; init; } = [];

    /// <summary>Where the Markdown report goes (the JSON goes next to it); null: docs/benchmarks.md (docs/benchmarks-quick.md with --quick).</summary>
    public string? Output { get; init; }

    public bool ListOnly { get; init; }

    /// <summary>The arguments as given, for the report's command line.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    public static BenchSettings Full { get; } = new();

    public static BenchSettings Quick { get; } = new()
    {
        IsQuick = true,
        LatencyPods = [500],
        LatencyViewers = [1, 10],
        LoadPods = 500,
        LoadViewers = [1, 5],
        ScalePods = [2_000, 5_000, 10_000],
        CircuitPods = 500,
        CircuitPages = [0, 4, 8],
        CircuitSettleAtLeast = TimeSpan.FromSeconds(20),
        ActionRestarts = 3,
        ActionPods = 500,
        Phase = TimeSpan.FromSeconds(4),
        ChangesPerSecond = 10,
        PollInterval = TimeSpan.FromSeconds(2),
    };

    public const string Usage = """
        Kosmos.Benchmarks: measures the dashboard against the simulator and writes docs/benchmarks.md (+ .json).

          dotnet run -c Release --project tests/Kosmos.Benchmarks -- [--quick] [scenario ...] [options]

          --quick               small sizes, a few seconds per phase (writes docs/benchmarks-quick.md unless --out says otherwise)
          scenario ...          names to run (default: all); --list shows them
          --out FILE.md         where the report goes; the raw JSON goes next to it (FILE.json)
          --pods N[,N...]       fleet sizes in pods for every selected scenario (10 pods per agent)
          --viewers N[,N...]    viewer counts (latency and api-load)
          --pages N[,N...]      browser pages for circuit-memory beyond 2 warm-up pages, e.g. 0,10,20,30
          --duration SECONDS    length of each measured phase
          --rate N              pod changes per second
          --poll-interval S     the polling baseline's refresh period (default 5)
          --restarts N          restarts timed by the action scenario (after one warm-up restart)
          --time-scale X        simulated seconds per real second in the action scenario (default 10)
          --no-browser          skip the Playwright measurements
        """;

    /// <summary>Reads the command line; throws <see cref="ArgumentException"/> with the offending argument.</summary>
    public static BenchSettings Parse(IReadOnlyList<string> args)
    {
        var settings = args.Contains("--quick") ? Quick : Full;
        var scenarios = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{arg} needs a value");
            switch (arg)
            {
                case "--quick":
                    break;
                case "--list":
                    settings = settings with { ListOnly = true };
                    break;
                case "--no-browser":
                    settings = settings with { Browser = false };
                    break;
                case "--out":
                    settings = settings with { Output = Value() };
                    break;
                case "--pods":
                    var pods = Ints(arg, Value());
                    settings = settings with { LatencyPods = pods, LoadPods = pods[0], ScalePods = pods, CircuitPods = pods[0], ActionPods = pods[0] };
                    break;
                case "--viewers":
                    var viewers = Ints(arg, Value());
                    settings = settings with { LatencyViewers = viewers, LoadViewers = viewers };
                    break;
                case "--pages":
                    settings = settings with { CircuitPages = Ints(arg, Value()) };
                    break;
                case "--duration":
                    settings = settings with { Phase = TimeSpan.FromSeconds(Number(arg, Value())) };
                    break;
                case "--restarts":
                    settings = settings with { ActionRestarts = Ints(arg, Value())[0] };
                    break;
                case "--time-scale":
                    settings = settings with { ActionTimeScale = Number(arg, Value()) };
                    break;
                case "--rate":
                    settings = settings with { ChangesPerSecond = Number(arg, Value()) };
                    break;
                case "--poll-interval":
                    settings = settings with { PollInterval = TimeSpan.FromSeconds(Number(arg, Value())) };
                    break;
                case var name when !name.StartsWith('-'):
                    scenarios.Add(name);
                    break;
                default:
                    throw new ArgumentException($"unknown option {arg}");
            }
        }

        return settings with { Scenarios = scenarios, Arguments = [.. args] };
    }

    private static int[] Ints(string option, string value)
    {
        var parts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var numbers = parts.Select(p => int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : -1).ToArray();
        return numbers.Length > 0 && numbers.All(n => n >= 0)
            ? numbers
            : throw new ArgumentException($"{option} wants non-negative whole numbers separated by commas, got '{value}'");
    }

    private static double Number(string option, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{option} wants a positive number, got '{value}'");
}

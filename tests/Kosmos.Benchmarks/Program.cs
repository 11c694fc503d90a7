namespace Kosmos.Benchmarks;

// Not top-level statements: those would declare a global Program and hide the dashboard's, which the harness hosts.
internal static class EntryPoint
{
    public static async Task<int> Main(string[] args)
    {
        // Ctrl+C stops the run at the next cancellable point; the scenarios stop what they started.
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        return await BenchmarkProgram.RunAsync(args, Console.Out, cancel.Token);
    }
}

using System.Runtime;

namespace Kosmos.Benchmarks.Harness;

/// <summary>
/// The live managed heap of this process: bytes still reachable after forced, blocking, compacting full collections (twice,
/// with finalizers run between, so objects freed by finalizers go too). Everything (simulator, dashboard, clients) shares
/// the process, so figures are differences between two moments with one thing changed.
/// </summary>
public static class ManagedHeap
{
    public static long SettledBytes()
    {
        for (var i = 0; i < 2; i++)
        {
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: false);
    }

    /// <summary>
    /// Takes <see cref="SettledBytes"/> until, at least <paramref name="atLeast"/> after the start, <paramref name="readings"/> in
    /// a row, <paramref name="every"/> apart, lie within <paramref name="tolerance"/> bytes, or <paramref name="timeout"/> passes;
    /// returns whether they did and how long it took.
    /// A process that has just listed a large cluster keeps shrinking for a minute or two after its last full collection:
    /// the shared array pools drop buffers unused for a minute (in steps of several MB: readings can look stable for a while
    /// before the next drop, hence <paramref name="atLeast"/>), Kestrel's memory pool evicts idle blocks. A slope taken
    /// while that happens mixes the shrinking into the cost of what is added.
    /// </summary>
    public static async Task<(bool Settled, TimeSpan Took)> WaitUntilStableAsync(long tolerance, int readings, TimeSpan every, TimeSpan atLeast, TimeSpan timeout, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var window = new Queue<long>();
        while (true)
        {
            window.Enqueue(SettledBytes());
            if (window.Count > readings)
            {
                window.Dequeue();
            }

            if (clock.Elapsed >= atLeast && window.Count == readings && window.Max() - window.Min() <= tolerance)
            {
                return (true, clock.Elapsed);
            }

            if (clock.Elapsed >= timeout)
            {
                return (false, clock.Elapsed);
            }

            await Task.Delay(every, ct);
        }
    }

    public static double ToMiB(long bytes) => bytes / 1024.0 / 1024.0;
}

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

    public static double ToMiB(long bytes) => bytes / 1024.0 / 1024.0;
}

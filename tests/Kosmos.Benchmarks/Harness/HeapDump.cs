using System.Diagnostics;
using Kosmos.Benchmarks.Scenarios;

namespace Kosmos.Benchmarks.Harness;

/// <summary>
/// The profile behind a memory figure: when KOSMOS_BENCH_GCDUMP_DIR names a folder, a heap dump of this process is written
/// there at each measured step by <c>dotnet-gcdump</c> (a dotnet global tool; not run when it is not installed). Compare two
/// steps' dumps with <c>dotnet-gcdump report</c> to see which types an added viewer costs.
/// </summary>
public static class HeapDump
{
    public static async Task TakeAsync(string name, BenchContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Environment.GetEnvironmentVariable("KOSMOS_BENCH_GCDUMP_DIR") is not { Length: > 0 } folder)
        {
            return;
        }

        var tool = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-gcdump");
        if (!File.Exists(tool))
        {
            context.Log($"heap dump {name}: {tool} is not installed; skipped");
            return;
        }

        Directory.CreateDirectory(folder);
        var output = Path.Combine(folder, name + ".gcdump");
        using var process = Process.Start(new ProcessStartInfo(tool, ["collect", "-p", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", output])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        await process.WaitForExitAsync(ct);
        context.Log($"heap dump {name}: {(process.ExitCode == 0 ? output : "failed: " + await process.StandardError.ReadToEndAsync(ct))}");
    }
}

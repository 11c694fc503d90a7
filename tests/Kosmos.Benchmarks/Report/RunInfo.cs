using System.Diagnostics;

namespace Kosmos.Benchmarks.Report;

/// <summary>What a report says about its run: when, how it was started, on which commit and machine, under what load.</summary>
public sealed record RunInfo(
    DateTimeOffset StartedUtc,
    TimeSpan Duration,
    string Command,
    string Mode,
    string Commit,
    MachineInfo Machine,
    double? LoadAtStart,
    double? LoadAtEnd)
{
    public static string CommandLine(IEnumerable<string> args) =>
        "dotnet run -c Release --project tests/Kosmos.Benchmarks --" + string.Concat(args.Select(a => " " + (a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a)));

    /// <summary><c>git rev-parse --short HEAD</c> (+ "with uncommitted changes"), or "unknown" outside a checkout.</summary>
    public static async Task<string> GitCommitAsync(string repository)
    {
        var head = await GitAsync(repository, "rev-parse", "--short", "HEAD");
        if (head is null)
        {
            return "unknown";
        }

        var dirty = await GitAsync(repository, "status", "--porcelain", "--untracked-files=no");
        return string.IsNullOrWhiteSpace(dirty) ? head : $"{head} with uncommitted changes";
    }

    private static async Task<string?> GitAsync(string repository, params string[] args)
    {
        try
        {
            var start = new ProcessStartInfo("git") { WorkingDirectory = repository, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var output = await process.StandardOutput.ReadToEndAsync(deadline.Token);
            await process.WaitForExitAsync(deadline.Token);
            return process.ExitCode == 0 ? output.Trim() : null;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or OperationCanceledException or InvalidOperationException)
        {
            return null;
        }
    }
}

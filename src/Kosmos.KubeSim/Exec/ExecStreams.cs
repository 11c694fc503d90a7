using Microsoft.AspNetCore.Http;

namespace Kosmos.KubeSim.Exec;

/// <summary>Which streams an exec request attached (the <c>stdin</c>, <c>stdout</c>, <c>stderr</c>, <c>tty</c> query parameters).</summary>
public sealed record ExecStreams(bool Stdin, bool Stdout, bool Stderr, bool Tty)
{
    /// <summary>True when at least one stream is attached; the API server refuses an exec without any.</summary>
    public bool AnyAttached => Stdin || Stdout || Stderr;

    /// <summary>
    /// Reads the query of <c>GET .../pods/P/exec</c>. Clients spell booleans differently (kubectl "true",
    /// the .NET client "1"); a missing parameter is false.
    /// </summary>
    public static ExecStreams FromQuery(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return new ExecStreams(
            Stdin: IsTrue(query, "stdin"),
            Stdout: IsTrue(query, "stdout"),
            Stderr: IsTrue(query, "stderr"),
            Tty: IsTrue(query, "tty"));
    }

    /// <summary>The repeated <c>command</c> parameters, in order.</summary>
    public static IReadOnlyList<string> CommandFromQuery(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return [.. query["command"].Where(c => c is not null).Select(c => c!)];
    }

    private static bool IsTrue(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count > 0 &&
        (string.Equals(values[^1], "true", StringComparison.OrdinalIgnoreCase) || values[^1] == "1");
}

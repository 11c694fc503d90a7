namespace Kosmos.TestSupport;

/// <summary>
/// Pods exactly as real clusters returned them: the JSON files in real-pods/ (a byte-for-byte copy of the project's shared
/// real-pods ground truth; provenance in each *.source.md), copied to every test project's output that references this one.
/// The copy lives in the repository so a clone tests on its own; <c>RealPodFilesTests</c> checks it against the shared
/// folder when that is beside the clone.
/// </summary>
public static class RealPodFiles
{
    /// <summary>The folder the files are read from (in the test's output directory).</summary>
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "real-pods");

    /// <summary>Every fixture's name (the file name without <c>.json</c>), sorted.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [.. System.IO.Directory.GetFiles(Directory, "*.json").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal)];

    /// <summary>The pod's JSON as the server sent it.</summary>
    public static string Json(string name) => File.ReadAllText(Path.Combine(Directory, name + ".json"));
}

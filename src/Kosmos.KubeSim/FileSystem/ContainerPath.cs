namespace Kosmos.KubeSim.FileSystem;

/// <summary>POSIX path arithmetic for container paths (always '/', no symlinks). Pure functions.</summary>
public static class ContainerPath
{
    /// <summary>
    /// Resolves <paramref name="path"/> against <paramref name="workingDirectory"/> and normalises it:
    /// an absolute result without ".", "..", empty segments or a trailing slash. ".." at the root stays at the root.
    /// </summary>
    public static string Resolve(string workingDirectory, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var combined = path.StartsWith('/') ? path : (workingDirectory ?? "/") + "/" + path;
        return "/" + string.Join('/', Segments(combined));
    }

    /// <summary>Normalises an absolute path, or a relative one taken against "/".</summary>
    public static string Normalize(string path) => Resolve("/", path);

    /// <summary>The normalised path's segments; empty for the root.</summary>
    public static IReadOnlyList<string> Segments(string path)
    {
        var result = new List<string>();
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (result.Count > 0)
                {
                    result.RemoveAt(result.Count - 1);
                }

                continue;
            }

            result.Add(segment);
        }

        return result;
    }

    /// <summary>The parent of a normalised absolute path ("/" for "/" itself).</summary>
    public static string GetParent(string normalizedPath)
    {
        var index = normalizedPath.LastIndexOf('/');
        return index <= 0 ? "/" : normalizedPath[..index];
    }

    /// <summary>The last segment of a path ("/" for the root).</summary>
    public static string GetFileName(string path)
    {
        var trimmed = path.TrimEnd('/');
        if (trimmed.Length == 0)
        {
            return "/";
        }

        var index = trimmed.LastIndexOf('/');
        return index < 0 ? trimmed : trimmed[(index + 1)..];
    }

    /// <summary>Joins a normalised directory and a child name.</summary>
    public static string Join(string directory, string name) => directory == "/" ? "/" + name : directory + "/" + name;
}

namespace Kosmos.Dashboard.Security;

/// <summary>Links to the sign-in page that bring the person back to where they were.</summary>
public static class SignInLinks
{
    /// <summary>
    /// /signin with <paramref name="relativePath"/> (as NavigationManager.ToBaseRelativePath gives it, no leading slash) as
    /// its return path; no return path from the sign-in page itself, which would only send the person back to the form.
    /// </summary>
    public static string SignIn(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var path = "/" + relativePath.TrimStart('/');
        var withoutQuery = path.Split('?', '#')[0];
        return withoutQuery is "/" or "/signin" or "/denied" ? "/signin" : "/signin?returnUrl=" + Uri.EscapeDataString(path);
    }
}

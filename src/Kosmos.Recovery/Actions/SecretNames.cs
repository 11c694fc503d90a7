using System.Text.RegularExpressions;

namespace Kosmos.Recovery.Actions;

/// <summary>
/// Whether a setting's name looks like it holds a secret (<c>DB_PASSWORD</c>, <c>apiKey</c>, <c>tls.key</c>,
/// <c>SLACK_TOKEN</c>, <c>client-secret</c>, <c>aws_credentials</c>): its value is then shown as <see cref="Hidden"/>
/// wherever others may read it, even when it sits in a ConfigMap. A name wrongly taken for a secret only hides a value; one
/// wrongly missed shows it, so the test leans towards hiding. Pure.
/// </summary>
public static partial class SecretNames
{
    /// <summary>What is shown instead of a value whose name looks secret.</summary>
    public const string Hidden = "(hidden)";

    private static readonly string[] Words = ["password", "passwd", "secret", "token", "credential"];

    /// <summary>
    /// True when a part of <paramref name="name"/> (split at <c>_ - .</c> and lower→upper case changes) contains password,
    /// passwd, secret, token or credential, is <c>pwd</c>, or ends in <c>key</c> (<c>KEY</c>, <c>APIKEY</c>).
    /// </summary>
    public static bool LooksSecret(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Parts().Split(name).Select(p => p.ToLowerInvariant())
            .Any(p => p == "pwd" || p.EndsWith("key", StringComparison.Ordinal) || Words.Any(w => p.Contains(w, StringComparison.Ordinal)));
    }

    /// <summary><paramref name="value"/>, or <see cref="Hidden"/> when <paramref name="name"/> looks secret (null stays null).</summary>
    public static string? Shown(string name, string? value) => value is null ? null : LooksSecret(name) ? Hidden : value;

    [GeneratedRegex(@"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])", RegexOptions.CultureInvariant)]
    private static partial Regex Parts();
}

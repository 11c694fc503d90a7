using Microsoft.AspNetCore.Http;

namespace Kosmos.KubeSim.Auth;

/// <summary>
/// Static bearer tokens, like kube-apiserver's <c>--token-auth-file</c>: each token maps to one user. A request without an
/// Authorization header is the admin (see <see cref="UserInfo.Admin"/>); an unknown token is 401, as a real server answers.
/// Immutable after construction; thread-safe.
/// </summary>
public sealed class TokenAuthenticator
{
    private readonly IReadOnlyDictionary<string, UserInfo> _users;

    /// <param name="tokens">Token → <c>USER[,GROUP...]</c>, e.g. <c>system:serviceaccount:kosmos:kosmos-dashboard</c>.</param>
    public TokenAuthenticator(IReadOnlyDictionary<string, string> tokens)
    {
        var users = new Dictionary<string, UserInfo>(StringComparer.Ordinal);
        foreach (var (token, spec) in tokens)
        {
            var parts = spec.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (token.Length == 0 || parts.Length == 0)
            {
                throw new ArgumentException($"a token needs a value and a user (TOKEN=USER[,GROUP...]), got '{token}={spec}'", nameof(tokens));
            }

            users[token] = UserInfo.Parse(parts[0], parts.Skip(1));
        }

        _users = users;
    }

    /// <summary>Parses <c>TOKEN=USER[,GROUP...]</c> (the <c>--token</c> argument).</summary>
    public static KeyValuePair<string, string> ParseArgument(string argument)
    {
        var equals = argument.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || equals == argument.Length - 1)
        {
            throw new FormatException($"--token takes TOKEN=USER[,GROUP...], e.g. s3cret=system:serviceaccount:kosmos:kosmos-dashboard; got '{argument}'");
        }

        return new(argument[..equals], argument[(equals + 1)..]);
    }

    /// <summary>The request's user, or null when its credentials are not accepted (the caller answers 401).</summary>
    public UserInfo? Authenticate(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return UserInfo.Admin;
        }

        const string bearer = "Bearer ";
        if (!header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return _users.GetValueOrDefault(header[bearer.Length..].Trim());
    }
}

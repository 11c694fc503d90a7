using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Kosmos.Dashboard.Tests.Security;

/// <summary>
/// An OpenID Connect issuer of the test's own, on a loopback socket: discovery, JWKS and the token endpoint of the
/// authorization code flow, with an RSA signing key generated when it starts. The browser's part (the issuer's login page)
/// is played by the test: <see cref="IssueCode"/> is what the issuer hands back after a person signed in. The token
/// endpoint checks what a real issuer checks — the client's id and secret, the code (once), the redirect URI and the PKCE
/// verifier — and answers with a signed ID token carrying the nonce of the authorization request.
/// </summary>
public sealed class LocalOidcIssuer : IAsyncDisposable
{
    public const string ClientId = "kosmos-dashboard";
    public const string ClientSecret = "local-test-secret";

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, PendingCode> _codes = new(StringComparer.Ordinal);
    private WebApplication? _app;

    /// <summary>The issuer identifier, e.g. <c>http://127.0.0.1:40123</c> (also the authority the dashboard is given).</summary>
    public string Issuer { get; private set; } = "";

    /// <summary>Token requests answered, and why any was refused.</summary>
    public ConcurrentQueue<string> TokenRequests { get; } = new();

    private string KeyId { get; } = "test-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4));

    public static async Task<LocalOidcIssuer> StartAsync()
    {
        var issuer = new LocalOidcIssuer();
        await issuer.StartCoreAsync();
        return issuer;
    }

    /// <summary>
    /// The code the issuer sends back to the dashboard after <paramref name="claims"/>' owner signed in, for the authorization
    /// request <paramref name="authorize"/> (the dashboard's redirect to the issuer: its nonce, PKCE challenge and redirect URI).
    /// </summary>
    public string IssueCode(Uri authorize, IReadOnlyDictionary<string, object> claims)
    {
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(authorize.Query);
        Assert.Equal(ClientId, query["client_id"].ToString());
        Assert.Equal("code", query["response_type"].ToString());
        Assert.Equal("S256", query["code_challenge_method"].ToString());
        var code = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(24));
        _codes[code] = new PendingCode(query["nonce"].ToString(), query["code_challenge"].ToString(), query["redirect_uri"].ToString(), claims);
        return code;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _rsa.Dispose();
    }

    private async Task StartCoreAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Issuer,
            ["authorization_endpoint"] = Issuer + "/authorize",
            ["token_endpoint"] = Issuer + "/token",
            ["jwks_uri"] = Issuer + "/jwks",
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
            ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post", "client_secret_basic" },
        }));
        _app.MapGet("/jwks", () =>
        {
            var key = _rsa.ExportParameters(includePrivateParameters: false);
            return Results.Json(new
            {
                keys = new[]
                {
                    new Dictionary<string, string>
                    {
                        ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = KeyId,
                        ["n"] = Base64UrlEncoder.Encode(key.Modulus), ["e"] = Base64UrlEncoder.Encode(key.Exponent),
                    },
                },
            });
        });
        _app.MapPost("/token", (HttpRequest request) => TokenAsync(request.HttpContext));
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Issuer = address.TrimEnd('/');
    }

    private async Task<IResult> TokenAsync(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync();
        var (clientId, secret) = ClientCredentials(http.Request, form);
        string? refusal = null;
        if (form["grant_type"] != "authorization_code")
        {
            refusal = "unsupported_grant_type";
        }
        else if (clientId != ClientId || secret != ClientSecret)
        {
            refusal = "invalid_client";
        }
        else if (!_codes.TryRemove(form["code"].ToString(), out var pending))
        {
            refusal = "invalid_grant: unknown or used code";
        }
        else if (pending.RedirectUri != form["redirect_uri"])
        {
            refusal = "invalid_grant: redirect_uri differs from the authorization request's";
        }
        else if (Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString()))) != pending.CodeChallenge)
        {
            refusal = "invalid_grant: PKCE verifier does not match the challenge";
        }
        else
        {
            TokenRequests.Enqueue("issued");
            return Results.Json(new Dictionary<string, object>
            {
                ["access_token"] = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(24)),
                ["token_type"] = "Bearer",
                ["expires_in"] = 300,
                ["id_token"] = IdToken(pending),
            });
        }

        TokenRequests.Enqueue(refusal);
        return Results.Json(new { error = refusal.Split(':')[0], error_description = refusal }, statusCode: StatusCodes.Status400BadRequest);
    }

    private string IdToken(PendingCode pending)
    {
        var claims = new Dictionary<string, object>(pending.Claims) { ["nonce"] = pending.Nonce };
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = ClientId,
            IssuedAt = now,
            NotBefore = now.AddSeconds(-5),
            Expires = now.AddMinutes(5),
            Claims = claims,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(_rsa) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256),
        });
    }

    private static (string? Id, string? Secret) ClientCredentials(HttpRequest request, IFormCollection form)
    {
        if (request.Headers.Authorization.ToString() is { } header && header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..])).Split(':', 2);
            return (Uri.UnescapeDataString(pair[0]), pair.Length > 1 ? Uri.UnescapeDataString(pair[1]) : null);
        }

        return (form["client_id"].ToString(), form["client_secret"].ToString());
    }

    private sealed record PendingCode(string Nonce, string CodeChallenge, string RedirectUri, IReadOnlyDictionary<string, object> Claims);
}

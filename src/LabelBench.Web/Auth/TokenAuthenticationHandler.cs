using System.Security.Claims;
using System.Text.Encodings.Web;
using LabelBench.Data.Services;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace LabelBench.Web.Auth;

/// <summary>Authenticates <c>Authorization: Bearer lb_…</c> personal access tokens for the REST API.</summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    TokenService tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Token";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header) || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var owner = await tokens.ValidateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (owner is null)
        {
            return AuthenticateResult.Fail("The token is invalid, revoked or expired.");
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, owner.UserId),
            new(ClaimTypes.Name, owner.Email),
            new(ClaimTypes.Email, owner.Email),
        };
        if (owner.IsAdmin)
        {
            claims.Add(new Claim(ClaimTypes.Role, UserService.AdminRole));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace LabelBench.Web.Auth;

/// <summary>Named policies: the API accepts a token or the browser's cookie; project roles are checked by the services.</summary>
public static class AuthPolicies
{
    public const string Api = "api";
    public const string Admin = "admin";

    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(Api, p => p.AddAuthenticationSchemes(TokenAuthenticationHandler.SchemeName, IdentityConstants.ApplicationScheme).RequireAuthenticatedUser());
        options.AddPolicy(Admin, p => p.RequireRole(Data.Services.UserService.AdminRole));
    }
}

using System.Security.Claims;
using LabelBench.Data.Services;

namespace LabelBench.Web.Auth;

/// <summary>Turns the signed-in principal (cookie or token) into the <see cref="Caller"/> that services check.</summary>
public static class CallerExtensions
{
    public static Caller ToCaller(this ClaimsPrincipal user)
    {
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier)
            ?? throw new InvalidOperationException("The user is not signed in.");
        return new Caller(id, user.IsInRole(UserService.AdminRole));
    }
}

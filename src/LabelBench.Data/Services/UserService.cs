using LabelBench.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LabelBench.Data.Services;

public sealed record UserInfo(string Id, string Email, bool IsAdmin, bool LockedOut);

/// <summary>Creating and finding users; self-registration is off, so admins (or the CLI) create them here.</summary>
public sealed class UserService(UserManager<ApplicationUser> users, IDbContextFactory<LabelBenchDbContext> dbFactory, AuditLog audit, TimeProvider time)
{
    public const string AdminRole = "Admin";

    public async Task<string> CreateAsync(Caller caller, string email, string password, bool admin, CancellationToken ct = default)
    {
        if (!caller.IsAdmin)
        {
            throw ServiceException.Forbidden("only an admin can create users");
        }

        email = (email ?? string.Empty).Trim();
        if (await users.FindByEmailAsync(email) is not null)
        {
            throw ServiceException.Conflict($"a user with the email \"{email}\" already exists");
        }

        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = time.GetUtcNow() };
        var created = await users.CreateAsync(user, password ?? string.Empty);
        if (!created.Succeeded)
        {
            var errors = created.Errors.Select(e => new Core.Schemas.ValidationError(e.Code.Contains("Password", StringComparison.Ordinal) ? "password" : "email", e.Description)).ToList();
            throw ServiceException.Invalid(string.Join(" ", created.Errors.Select(e => e.Description)), errors);
        }

        if (admin)
        {
            await EnsureAdminRoleAsync(ct);
            await users.AddToRoleAsync(user, AdminRole);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await audit.AppendAsync(db, "user.created", caller, null, "user", user.Id, after: new { email, admin }, ct: ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return user.Id;
    }

    public async Task<UserInfo?> FindByEmailAsync(string email, CancellationToken ct = default)
    {
        var user = await users.FindByEmailAsync(email.Trim());
        if (user is null)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return new UserInfo(user.Id, user.Email ?? email, await IsAdminAsync(db, user.Id, ct), user.LockoutEnd > time.GetUtcNow());
    }

    public async Task<IReadOnlyList<UserInfo>> ListAsync(Caller caller, CancellationToken ct = default)
    {
        if (!caller.IsAdmin)
        {
            throw ServiceException.Forbidden("only an admin can list users");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var adminIds = await AdminIdsAsync(db, ct);
        var now = time.GetUtcNow();
        return (await db.Users.AsNoTracking().OrderBy(u => u.Email).Select(u => new { u.Id, u.Email, u.LockoutEnd }).ToListAsync(ct))
            .Select(u => new UserInfo(u.Id, u.Email ?? u.Id, adminIds.Contains(u.Id), u.LockoutEnd > now)).ToList();
    }

    public async Task<bool> AnyAdminAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await AdminIdsAsync(db, ct)).Count > 0;
    }

    internal static async Task<bool> IsAdminAsync(LabelBenchDbContext db, string userId, CancellationToken ct) =>
        await db.UserRoles.AnyAsync(ur => ur.UserId == userId && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == AdminRole), ct);

    private static async Task<HashSet<string>> AdminIdsAsync(LabelBenchDbContext db, CancellationToken ct) =>
        (await db.UserRoles.Where(ur => db.Roles.Any(r => r.Id == ur.RoleId && r.Name == AdminRole)).Select(ur => ur.UserId).ToListAsync(ct)).ToHashSet();

    private async Task EnsureAdminRoleAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Roles.AnyAsync(r => r.Name == AdminRole, ct))
        {
            db.Roles.Add(new IdentityRole(AdminRole) { NormalizedName = AdminRole.ToUpperInvariant() });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Created concurrently by another instance.
            }
        }
    }
}

using System.Security.Cryptography;
using System.Text;
using LabelBench.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace LabelBench.Data.Services;

public sealed record TokenInfo(long Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

/// <summary>The user a valid token stands for.</summary>
public sealed record TokenOwner(string UserId, string Email, bool IsAdmin);

/// <summary>Personal access tokens for the REST API: shown once, stored only as SHA-256.</summary>
public sealed class TokenService(IDbContextFactory<LabelBenchDbContext> dbFactory, AuditLog audit, TimeProvider time)
{
    public const string TokenPrefix = "lb_";

    /// <summary>Creates a token for the user and returns it in full; it cannot be shown again.</summary>
    public async Task<string> CreateAsync(string userId, string? name, CancellationToken ct = default)
    {
        name = string.IsNullOrWhiteSpace(name) ? "token" : name.Trim();
        if (name.Length > 100)
        {
            throw ServiceException.Invalid("a token name has at most 100 characters", [new("name", "at most 100 characters")]);
        }

        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var token = TokenPrefix + secret;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Users.AnyAsync(u => u.Id == userId, ct))
        {
            throw ServiceException.NotFound($"user {userId} does not exist");
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var entity = new ApiToken { UserId = userId, Name = name, Prefix = token[..10], TokenHash = Hash(token), CreatedAt = time.GetUtcNow() };
        db.ApiTokens.Add(entity);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, "token.created", new Caller(userId), null, "token", entity.Prefix, after: new { name }, ct: ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return token;
    }

    public async Task<TokenOwner?> ValidateAsync(string token, CancellationToken ct = default)
    {
        if (!token.StartsWith(TokenPrefix, StringComparison.Ordinal) || token.Length > 200)
        {
            return null;
        }

        var hash = Hash(token);
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.ApiTokens.AsNoTracking()
            .Where(t => t.TokenHash == hash && t.RevokedAt == null && (t.ExpiresAt == null || t.ExpiresAt > now))
            .Select(t => new { t.Id, t.UserId, t.User!.Email, t.User.LockoutEnd, t.LastUsedAt })
            .FirstOrDefaultAsync(ct);
        if (row is null || (row.LockoutEnd is { } end && end > now))
        {
            return null;
        }

        // Record use at most once a minute: a write per request would serialise every API call on SQLite.
        if (row.LastUsedAt is null || now - row.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            await db.ApiTokens.Where(t => t.Id == row.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), ct);
        }

        var isAdmin = await UserService.IsAdminAsync(db, row.UserId, ct);
        return new TokenOwner(row.UserId, row.Email ?? row.UserId, isAdmin);
    }

    public async Task<IReadOnlyList<TokenInfo>> ListAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId).OrderByDescending(t => t.CreatedAt)
            .Select(t => new TokenInfo(t.Id, t.Name, t.Prefix, t.CreatedAt, t.LastUsedAt, t.RevokedAt)).ToListAsync(ct);
    }

    public async Task RevokeAsync(string userId, long tokenId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == tokenId && t.UserId == userId, ct)
            ?? throw ServiceException.NotFound($"token {tokenId} does not exist");
        if (token.RevokedAt is null)
        {
            token.RevokedAt = time.GetUtcNow();
            await audit.AppendAsync(db, "token.revoked", new Caller(userId), null, "token", token.Prefix, ct: ct);
            await db.SaveChangesAsync(ct);
        }

        await tx.CommitAsync(ct);
    }

    internal static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}

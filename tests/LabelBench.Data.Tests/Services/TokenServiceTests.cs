using System.Security.Cryptography;
using System.Text;
using LabelBench.Data.Services;
using LabelBench.Data.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LabelBench.Data.Tests.Services;

public abstract class TokenServiceTests : DatabaseTests
{
    private TokenService Tokens => Db.Get<TokenService>();

    [SkippableFact]
    public async Task A_new_token_validates_as_its_owner()
    {
        var user = await Db.CreateUserAsync("scientist@test.local");
        var admin = await Db.CreateUserAsync("admin@test.local", admin: true);

        var token = await Tokens.CreateAsync(user.UserId, "notebook");
        var adminToken = await Tokens.CreateAsync(admin.UserId, null);

        Assert.StartsWith(TokenService.TokenPrefix, token, StringComparison.Ordinal);
        Assert.Equal(new TokenOwner(user.UserId, "scientist@test.local", false), await Tokens.ValidateAsync(token));
        Assert.Equal(new TokenOwner(admin.UserId, "admin@test.local", true), await Tokens.ValidateAsync(adminToken));
        var tampered = token[..^1] + (token[^1] == '0' ? '1' : '0');
        Assert.Null(await Tokens.ValidateAsync(tampered));
        Assert.Null(await Tokens.ValidateAsync("not-a-token"));
        var listed = Assert.Single(await Tokens.ListAsync(user.UserId));
        Assert.Equal("notebook", listed.Name);
        Assert.NotNull(listed.LastUsedAt);
    }

    [SkippableFact]
    public async Task A_revoked_token_no_longer_validates()
    {
        var user = await Db.CreateUserAsync("scientist@test.local");
        var other = await Db.CreateUserAsync("other@test.local");
        var token = await Tokens.CreateAsync(user.UserId, "old");
        var id = (await Tokens.ListAsync(user.UserId)).Single().Id;

        var notYours = await Assert.ThrowsAsync<ServiceException>(() => Tokens.RevokeAsync(other.UserId, id));
        Assert.Equal(ServiceErrorKind.NotFound, notYours.Kind);
        Assert.NotNull(await Tokens.ValidateAsync(token));

        await Tokens.RevokeAsync(user.UserId, id);

        Assert.Null(await Tokens.ValidateAsync(token));
        Assert.NotNull((await Tokens.ListAsync(user.UserId)).Single().RevokedAt);
    }

    [SkippableFact]
    public async Task An_expired_token_no_longer_validates()
    {
        var user = await Db.CreateUserAsync("scientist@test.local");
        var token = await Tokens.CreateAsync(user.UserId, "short-lived");
        await using (var ctx = await Db.ContextAsync())
        {
            var expires = Db.Time.GetUtcNow().AddDays(1);
            await ctx.ApiTokens.ExecuteUpdateAsync(s => s.SetProperty(t => t.ExpiresAt, expires));
        }

        Assert.NotNull(await Tokens.ValidateAsync(token));
        Db.Time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        Assert.Null(await Tokens.ValidateAsync(token));
    }

    [SkippableFact]
    public async Task Only_the_hash_of_a_token_is_stored()
    {
        var user = await Db.CreateUserAsync("scientist@test.local");

        var token = await Tokens.CreateAsync(user.UserId, "ci");

        var secret = token[TokenService.TokenPrefix.Length..];
        await using var ctx = await Db.ContextAsync();
        var row = await ctx.ApiTokens.AsNoTracking().SingleAsync();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))), row.TokenHash);
        string?[] stored = [row.Name, row.Prefix, row.TokenHash, row.UserId];
        Assert.All(stored, value => Assert.DoesNotContain(secret, value ?? string.Empty, StringComparison.Ordinal));
        Assert.True(row.Prefix.Length < token.Length / 2, "the prefix kept to recognise a token is a small part of it");
        var audit = await ctx.AuditEvents.AsNoTracking().Select(e => (e.AfterJson ?? string.Empty) + (e.EntityId ?? string.Empty)).ToListAsync();
        Assert.NotEmpty(audit);
        Assert.All(audit, text => Assert.DoesNotContain(secret, text, StringComparison.Ordinal));
    }
}

public sealed class TokenServiceSqliteTests : TokenServiceTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class TokenServicePostgresTests : TokenServiceTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

using LabelBench.Data.Entities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LabelBench.Data;

/// <summary>Chooses and configures the database provider from <see cref="LabelBenchOptions"/>.</summary>
public static class DatabaseSetup
{
    public static string SqliteConnectionString(LabelBenchOptions options) =>
        new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(options.DataDirFullPath, "labelbench.db"),
            Pooling = true,
            DefaultTimeout = 60,
        }.ToString();

    public static bool IsPostgres(LabelBenchOptions options) =>
        string.Equals(options.Database.Provider, "postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>Configures options for the provider's own context type.</summary>
    public static void Configure(DbContextOptionsBuilder builder, LabelBenchOptions options)
    {
        if (IsPostgres(options))
        {
            var cs = options.Database.ConnectionString;
            if (string.IsNullOrWhiteSpace(cs))
            {
                throw new InvalidOperationException("LabelBench:Database:ConnectionString is required when LabelBench:Database:Provider is 'postgres'.");
            }

            builder.UseNpgsql(cs, o => o.MigrationsHistoryTable("__EFMigrationsHistory"));
        }
        else
        {
            Directory.CreateDirectory(options.DataDirFullPath);
            var cs = string.IsNullOrWhiteSpace(options.Database.ConnectionString) ? SqliteConnectionString(options) : options.Database.ConnectionString;
            builder.UseSqlite(cs).AddInterceptors(new SqlitePragmas());
        }
    }

    /// <summary>Registers <see cref="IDbContextFactory{LabelBenchDbContext}"/> for the configured provider.</summary>
    public static IServiceCollection AddLabelBenchDatabase(this IServiceCollection services, LabelBenchOptions options)
    {
        if (IsPostgres(options))
        {
            services.AddPooledDbContextFactory<PostgresLabelBenchDbContext>(b => Configure(b, options));
            services.AddSingleton<IDbContextFactory<LabelBenchDbContext>>(sp =>
                new UpcastFactory<PostgresLabelBenchDbContext>(sp.GetRequiredService<IDbContextFactory<PostgresLabelBenchDbContext>>()));
        }
        else
        {
            services.AddPooledDbContextFactory<SqliteLabelBenchDbContext>(b => Configure(b, options));
            services.AddSingleton<IDbContextFactory<LabelBenchDbContext>>(sp =>
                new UpcastFactory<SqliteLabelBenchDbContext>(sp.GetRequiredService<IDbContextFactory<SqliteLabelBenchDbContext>>()));
        }

        // Identity's stores resolve a scoped context.
        services.AddScoped<LabelBenchDbContext>(sp => sp.GetRequiredService<IDbContextFactory<LabelBenchDbContext>>().CreateDbContext());
        return services;
    }

    /// <summary>Applies pending migrations and, for SQLite, turns on write-ahead logging (readers never wait for the writer).</summary>
    public static async Task MigrateAsync(IDbContextFactory<LabelBenchDbContext> factory, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        if (db.Database.IsSqlite())
        {
            await db.Database.OpenConnectionAsync(ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }

        // Migrate also diffs the model against the migrations' snapshot, a second or more of a CLI command's start
        // when nothing is pending; the list of applied migrations is one query.
        if ((await db.Database.GetPendingMigrationsAsync(ct)).Any())
        {
            await db.Database.MigrateAsync(ct);
        }
    }

    private sealed class UpcastFactory<T>(IDbContextFactory<T> inner) : IDbContextFactory<LabelBenchDbContext>
        where T : LabelBenchDbContext
    {
        public LabelBenchDbContext CreateDbContext() => inner.CreateDbContext();

        public async Task<LabelBenchDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            await inner.CreateDbContextAsync(cancellationToken);
    }
}

/// <summary>Lets <c>dotnet ef</c> build the SQLite context at design time.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteLabelBenchDbContext>
{
    public SqliteLabelBenchDbContext CreateDbContext(string[] args)
    {
        var b = new DbContextOptionsBuilder<SqliteLabelBenchDbContext>().UseSqlite("Data Source=design.db");
        return new SqliteLabelBenchDbContext(b.Options);
    }
}

/// <summary>Lets <c>dotnet ef</c> build the PostgreSQL context at design time (no server is contacted).</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresLabelBenchDbContext>
{
    public PostgresLabelBenchDbContext CreateDbContext(string[] args)
    {
        var b = new DbContextOptionsBuilder<PostgresLabelBenchDbContext>().UseNpgsql("Host=localhost;Database=design");
        return new PostgresLabelBenchDbContext(b.Options);
    }
}

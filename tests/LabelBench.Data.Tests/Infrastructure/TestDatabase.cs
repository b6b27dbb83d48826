using LabelBench.Data.Services;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LabelBench.Data.Tests.Infrastructure;

/// <summary>
/// A fresh, migrated LabelBench database with the services over it, as the web app and the CLI build them
/// (<see cref="ServiceRegistration.AddLabelBenchData"/>), plus a <see cref="ManualTimeProvider"/>.
/// SQLite: a new temp data folder, deleted on dispose. PostgreSQL: a new database <c>lb_&lt;random&gt;</c> on the
/// server named by <c>LABELBENCH_TEST_POSTGRES</c>, dropped on dispose.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "LABELBENCH_TEST_POSTGRES";

    public const string Password = "Passw0rd-test";

    private readonly string? adminConnectionString;
    private readonly string? databaseName;

    private TestDatabase(DatabaseProvider provider, string dataDir, Dictionary<string, string?> settings, ServiceProvider services, ManualTimeProvider time, string? adminConnectionString, string? databaseName)
    {
        Provider = provider;
        DataDir = dataDir;
        Settings = settings;
        Services = services;
        Time = time;
        this.adminConnectionString = adminConnectionString;
        this.databaseName = databaseName;
    }

    public DatabaseProvider Provider { get; }

    public string DataDir { get; }

    /// <summary>The configuration the services were built from (the CLI takes the same keys).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }

    public ServiceProvider Services { get; }

    public ManualTimeProvider Time { get; }

    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider)
    {
        // Checked before anything is created, so a skipped test leaves nothing behind.
        var admin = provider == DatabaseProvider.Postgres ? RequirePostgres() : null;
        var dataDir = Path.Combine(Path.GetTempPath(), "labelbench-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var settings = new Dictionary<string, string?>
        {
            ["LabelBench:DataDir"] = dataDir,
            ["LabelBench:Database:Provider"] = provider == DatabaseProvider.Postgres ? "postgres" : "sqlite",
            ["LabelBench:Database:ConnectionString"] = string.Empty,
            ["LabelBench:SeedDemo"] = "false",
        };

        string? databaseName = null;
        if (admin is not null)
        {
            databaseName = "lb_" + Guid.NewGuid().ToString("N")[..20];
            await ExecuteAdminAsync(admin, $"CREATE DATABASE \"{databaseName}\"");
            settings["LabelBench:Database:ConnectionString"] = new NpgsqlConnectionStringBuilder(admin)
            {
                Database = databaseName,
                // Tests run side by side: stay well below the server's max_connections together.
                MaxPoolSize = 20,
                Timeout = 30,
            }.ConnectionString;
        }

        var time = new ManualTimeProvider();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddLabelBenchData(configuration);
        services.AddSingleton<TimeProvider>(time);
        // Password hashing is not under test here; its 100,000 rounds would cost seconds per test class.
        services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1000);
        var provided = services.BuildServiceProvider(validateScopes: true);
        var db = new TestDatabase(provider, dataDir, settings, provided, time, admin, databaseName);
        try
        {
            await DatabaseSetup.MigrateAsync(provided.GetRequiredService<IDbContextFactory<LabelBenchDbContext>>());
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }

        return db;
    }

    /// <summary>The admin connection string, or skips the test (fails it on CI, where PostgreSQL must be there).</summary>
    private static string RequirePostgres()
    {
        var cs = Environment.GetEnvironmentVariable(PostgresVariable);
        var onCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        Skip.If(string.IsNullOrWhiteSpace(cs) && !onCi,
            $"PostgreSQL not available: set {PostgresVariable} to a connection string of a role with CREATEDB " +
            "(e.g. `source .ci/run && start_postgres` exports it) to run these tests.");
        if (string.IsNullOrWhiteSpace(cs))
        {
            Assert.Fail($"CI=true but {PostgresVariable} is not set: the PostgreSQL tests must run on CI (.ci/run starts a cluster and exports it).");
        }

        return cs;
    }

    private static async Task ExecuteAdminAsync(string adminConnectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A context for looking at (or tampering with) the rows behind the services.</summary>
    public Task<LabelBenchDbContext> ContextAsync() => Get<IDbContextFactory<LabelBenchDbContext>>().CreateDbContextAsync();

    /// <summary>Creates a user the way an admin does; the caller is that user.</summary>
    public async Task<Caller> CreateUserAsync(string email, bool admin = false)
    {
        await using var scope = Services.CreateAsyncScope();
        var id = await scope.ServiceProvider.GetRequiredService<UserService>().CreateAsync(Caller.System, email, Password, admin);
        return new Caller(id, admin);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        if (adminConnectionString is not null && databaseName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await ExecuteAdminAsync(adminConnectionString, $"DROP DATABASE IF EXISTS \"{databaseName}\" WITH (FORCE)");
                    break;
                }
                catch (PostgresException ex) when (ex.SqlState == "42501" && attempt < 5)
                {
                    // A server-owned session (autovacuum) was still on the throwaway database; it ends by itself.
                    await Task.Delay(200 * attempt);
                }
            }
        }
        else
        {
            SqliteConnection.ClearAllPools();
        }

        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere: the temp folder is cleaned by the OS eventually.
        }
    }
}

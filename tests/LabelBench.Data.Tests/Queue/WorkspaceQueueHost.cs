using System.Text;
using System.Text.Json.Nodes;
using LabelBench.Data.Entities;
using LabelBench.Data.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LabelBench.Data.Tests.Queue;

/// <summary>Which database the workspace's queue tests run against.</summary>
public enum QueueDatabase
{
    Sqlite,
    Postgres,
}

/// <summary>A settable clock for lease and history tests.</summary>
internal sealed class WorkspaceClock : TimeProvider
{
    private DateTimeOffset now = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}

/// <summary>
/// The queue's services as the app builds them (<c>AddLabelBenchData</c>) over a temp <c>LabelBench:DataDir</c>
/// (SQLite) or a fresh database on the server named by <c>LABELBENCH_TEST_POSTGRES</c>. <see cref="RestartAsync"/>
/// throws the whole service provider away and builds a new one on the same data, as a killed and restarted server would.
/// </summary>
internal sealed class WorkspaceQueueHost : IAsyncDisposable
{
    public const string PostgresVariable = "LABELBENCH_TEST_POSTGRES";

    private readonly IConfiguration configuration;
    private readonly string? adminConnectionString;
    private readonly string? databaseName;

    private WorkspaceQueueHost(QueueDatabase database, string dataDir, IConfiguration configuration, string? adminConnectionString, string? databaseName)
    {
        Database = database;
        DataDir = dataDir;
        this.configuration = configuration;
        this.adminConnectionString = adminConnectionString;
        this.databaseName = databaseName;
        Services = Build();
    }

    public QueueDatabase Database { get; }

    public string DataDir { get; }

    public WorkspaceClock Clock { get; } = new();

    public ServiceProvider Services { get; private set; }

    public static async Task<WorkspaceQueueHost> StartAsync(QueueDatabase database)
    {
        var admin = Environment.GetEnvironmentVariable(PostgresVariable);
        if (database == QueueDatabase.Postgres)
        {
            var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
            Skip.If(string.IsNullOrWhiteSpace(admin) && !ci, $"PostgreSQL tests need {PostgresVariable} (an admin connection string); CI sets it.");
            Assert.False(string.IsNullOrWhiteSpace(admin), $"{PostgresVariable} is not set on CI");
        }

        var dataDir = Path.Combine(Path.GetTempPath(), "labelbench-queue-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var settings = new Dictionary<string, string?>
        {
            ["LabelBench:DataDir"] = dataDir,
            ["LabelBench:SeedDemo"] = "false",
            ["LabelBench:Database:Provider"] = database == QueueDatabase.Postgres ? "postgres" : "sqlite",
        };
        string? name = null;
        if (database == QueueDatabase.Postgres)
        {
            name = "lbq_" + Guid.NewGuid().ToString("N")[..20];
            await using (var connection = new NpgsqlConnection(admin))
            {
                await connection.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
                await create.ExecuteNonQueryAsync();
            }

            settings["LabelBench:Database:ConnectionString"] = new NpgsqlConnectionStringBuilder(admin) { Database = name, MaxPoolSize = 30 }.ConnectionString;
        }

        var host = new WorkspaceQueueHost(database, dataDir, new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), admin, name);
        await DatabaseSetup.MigrateAsync(host.Get<IDbContextFactory<LabelBenchDbContext>>());
        return host;
    }

    private ServiceProvider Build()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddLabelBenchData(configuration);
        services.AddSingleton<TimeProvider>(Clock);
        return services.BuildServiceProvider();
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public QueueService Queue => Get<QueueService>();

    /// <summary>Drops every service (pools, caches, in-memory state) and starts over on the same database.</summary>
    public async Task RestartAsync()
    {
        await Services.DisposeAsync();
        if (Database == QueueDatabase.Sqlite)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }

        Services = Build();
    }

    public async Task<LabelBenchDbContext> ContextAsync() => await Get<IDbContextFactory<LabelBenchDbContext>>().CreateDbContextAsync();

    /// <summary>Users written directly: Identity's password hashing is not what these tests are about.</summary>
    public async Task<Caller[]> AddUsersAsync(params string[] emails)
    {
        await using var db = await ContextAsync();
        var callers = new List<Caller>();
        foreach (var email in emails)
        {
            var user = new ApplicationUser { UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant(), CreatedAt = Clock.GetUtcNow() };
            db.Users.Add(user);
            callers.Add(new Caller(user.Id));
        }

        await db.SaveChangesAsync();
        return [.. callers];
    }

    public const string SentimentSchema = """
        {"fields": [{"name": "sentiment", "kind": "choices", "source": "text", "required": true,
                     "options": [{"value": "positive", "hotkey": "1"}, {"value": "negative", "hotkey": "2"}, {"value": "neutral", "hotkey": "3"}]}]}
        """;

    /// <summary>A project led by <paramref name="lead"/> with <paramref name="annotators"/> as members, and <paramref name="items"/> texts; returns the project and item ids.</summary>
    public async Task<(long ProjectId, List<long> Items)> CreateProjectAsync(Caller lead, IEnumerable<Caller> annotators, int items, int overlap = 1, int? maxOverlap = null, string schema = SentimentSchema, string? jsonl = null)
    {
        var projects = Get<ProjectService>();
        var id = await projects.CreateAsync(lead, new ProjectDraft("Queue test", schema, overlap, MaxOverlap: maxOverlap));
        foreach (var annotator in annotators.Prepend(lead))
        {
            await projects.AddMemberByIdAsync(lead, id, annotator.UserId, ProjectRole.Annotator);
        }

        var lines = jsonl ?? string.Join('\n', Enumerable.Range(1, items).Select(i => new JsonObject { ["id"] = $"t{i}", ["data"] = new JsonObject { ["text"] = $"Text number {i}" } }.ToJsonString()));
        var bytes = Encoding.UTF8.GetBytes(lines);
        var report = await Get<ImportService>().ImportAsync(lead, id, [new ImportFile("items.jsonl", bytes.Length, () => new MemoryStream(bytes, writable: false))]);
        Assert.Empty(report.Rejected);
        await using var db = await ContextAsync();
        return (id, await db.Items.Where(i => i.ProjectId == id).OrderBy(i => i.Id).Select(i => i.Id).ToListAsync());
    }

    public static JsonObject Label(string sentiment) => new() { ["sentiment"] = sentiment };

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        if (databaseName is not null && adminConnectionString is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(adminConnectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{databaseName}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
        else
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }

        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow machine: the temp folder is cleaned up by the system.
        }
    }
}

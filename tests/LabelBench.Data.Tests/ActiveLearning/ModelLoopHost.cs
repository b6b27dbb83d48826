using System.Text;
using System.Text.Json.Nodes;
using LabelBench.Data.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LabelBench.Data.Tests.ActiveLearning;

/// <summary>
/// The Data services over a fresh SQLite data folder (as the web app and CLI build them), with a lead and an annotator,
/// for the active-learning tests. Deleted on dispose.
/// </summary>
internal sealed class ModelLoopHost : IAsyncDisposable
{
    public const string SentimentSchema = """
        {"fields": [{"name": "sentiment", "kind": "choices", "source": "text", "required": true,
          "options": [{"value": "positive"}, {"value": "negative"}, {"value": "neutral"}]}]}
        """;

    private ModelLoopHost(string dataDir, Dictionary<string, string?> settings, ServiceProvider services)
    {
        DataDir = dataDir;
        Settings = settings;
        Services = services;
    }

    public string DataDir { get; }

    public IReadOnlyDictionary<string, string?> Settings { get; }

    public ServiceProvider Services { get; }

    public Caller Lead { get; private set; } = Caller.System;

    public Caller Annotator { get; private set; } = Caller.System;

    public static async Task<ModelLoopHost> CreateAsync(IDictionary<string, string?>? extra = null)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "labelbench-al-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var settings = new Dictionary<string, string?>
        {
            ["LabelBench:DataDir"] = dataDir,
            ["LabelBench:SeedDemo"] = "false",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddLabelBenchData(configuration);
        var provider = services.BuildServiceProvider();
        await DatabaseSetup.MigrateAsync(provider.GetRequiredService<IDbContextFactory<LabelBenchDbContext>>());
        var host = new ModelLoopHost(dataDir, settings, provider);
        await using var scope = provider.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserService>();
        host.Lead = new Caller(await users.CreateAsync(Caller.System, "lead@example.org", "Passw0rd-test", admin: false));
        host.Annotator = new Caller(await users.CreateAsync(Caller.System, "ann@example.org", "Passw0rd-test", admin: false));
        return host;
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A project led by <see cref="Lead"/> with <see cref="Annotator"/> as its annotator.</summary>
    public async Task<long> CreateProjectAsync(string queueOrder = "sequential", string schema = SentimentSchema, int overlap = 1)
    {
        var projects = Get<ProjectService>();
        var id = await projects.CreateAsync(Lead, new ProjectDraft("Model loop", schema, overlap, QueueOrder: queueOrder));
        await projects.AddMemberByIdAsync(Lead, id, Annotator.UserId, Entities.ProjectRole.Annotator);
        return id;
    }

    /// <summary>Another annotator of the project (each sees every item afresh).</summary>
    public async Task<Caller> AddAnnotatorAsync(long projectId, string name)
    {
        await using var scope = Services.CreateAsyncScope();
        var id = await scope.ServiceProvider.GetRequiredService<UserService>().CreateAsync(Caller.System, $"{name}@example.org", "Passw0rd-test", admin: false);
        await Get<ProjectService>().AddMemberByIdAsync(Lead, projectId, id, Entities.ProjectRole.Annotator);
        return new Caller(id);
    }

    /// <summary>Imports JSONL item lines and returns the report.</summary>
    public async Task<ImportReport> ImportItemsAsync(long projectId, IEnumerable<string> lines)
    {
        var bytes = Encoding.UTF8.GetBytes(string.Join("\n", lines));
        return await Get<ImportService>().ImportAsync(Lead, projectId, [new ImportFile("items.jsonl", bytes.Length, () => new MemoryStream(bytes))]);
    }

    public async Task<ImportReport> ImportPredictionsAsync(long projectId, string jsonl, string name = "predictions.jsonl")
    {
        var bytes = Encoding.UTF8.GetBytes(jsonl);
        return await Get<PredictionService>().ImportAsync(Lead, projectId, [new ImportFile(name, bytes.Length, () => new MemoryStream(bytes))]);
    }

    /// <summary>Item id by external id.</summary>
    public async Task<Dictionary<string, long>> ItemIdsAsync(long projectId)
    {
        await using var db = await Get<IDbContextFactory<LabelBenchDbContext>>().CreateDbContextAsync();
        return await db.Items.Where(i => i.ProjectId == projectId).ToDictionaryAsync(i => i.ExternalId!, i => i.Id);
    }

    /// <summary>The annotator submits a label (with overlap 1 it is the item's final label at once).</summary>
    public Task SubmitAsync(long projectId, long itemId, string label) =>
        Get<QueueService>().SubmitAsync(Annotator, projectId, itemId, new JsonObject { ["sentiment"] = label }, 1000);

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open on a busy machine; the temp folder is cleaned by the OS eventually.
        }
    }
}

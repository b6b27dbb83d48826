using System.Text;
using System.Text.Json.Nodes;
using LabelBench.Data.Entities;
using LabelBench.Data.Services;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LabelBench.Data.Tests.Export;

/// <summary>The data services over a throwaway SQLite data folder, with shortcuts to set up projects for export tests.</summary>
internal sealed class ExportTestHost : IAsyncDisposable
{
    private ExportTestHost(string dataDir, ServiceProvider services)
    {
        DataDir = dataDir;
        Services = services;
    }

    public string DataDir { get; }

    public ServiceProvider Services { get; }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public static async Task<ExportTestHost> CreateAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "labelbench-export-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LabelBench:DataDir"] = dir,
            ["LabelBench:SeedDemo"] = "false",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddLabelBenchData(config);
        var provider = services.BuildServiceProvider();
        await DatabaseSetup.MigrateAsync(provider.GetRequiredService<IDbContextFactory<LabelBenchDbContext>>());
        return new ExportTestHost(dir, provider);
    }

    public async Task<LabelBenchDbContext> DbAsync() => await Get<IDbContextFactory<LabelBenchDbContext>>().CreateDbContextAsync();

    public async Task<Caller> UserAsync(string email)
    {
        await using var db = await DbAsync();
        var user = new ApplicationUser
        {
            UserName = email,
            NormalizedUserName = email.ToUpperInvariant(),
            Email = email,
            NormalizedEmail = email.ToUpperInvariant(),
            SecurityStamp = Guid.NewGuid().ToString("N"),
            CreatedAt = DateTimeOffset.UtcNow,
        };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return new Caller(user.Id);
    }

    /// <summary>A project led by <paramref name="lead"/>, with the annotators as members.</summary>
    public async Task<long> ProjectAsync(Caller lead, string schemaJson, int overlap, params string[] annotatorEmails)
    {
        var projects = Get<ProjectService>();
        var id = await projects.CreateAsync(lead, new ProjectDraft("Export test", schemaJson, overlap));
        foreach (var email in annotatorEmails)
        {
            await projects.AddMemberAsync(lead, id, email, ProjectRole.Annotator);
        }

        return id;
    }

    public async Task<ImportReport> ImportJsonlAsync(Caller caller, long projectId, string jsonl, string name = "items.jsonl")
    {
        var bytes = Encoding.UTF8.GetBytes(jsonl);
        return await Get<ImportService>().ImportAsync(caller, projectId, [new ImportFile(name, bytes.Length, () => new MemoryStream(bytes))]);
    }

    public async Task<List<long>> ItemIdsAsync(long projectId)
    {
        await using var db = await DbAsync();
        return await db.Items.Where(i => i.ProjectId == projectId).OrderBy(i => i.Id).Select(i => i.Id).ToListAsync();
    }

    public Task SubmitAsync(Caller annotator, long projectId, long itemId, string result) =>
        Get<QueueService>().SubmitAsync(annotator, projectId, itemId, JsonNode.Parse(result), 1500);

    public async Task<byte[]> ExportAsync(Caller caller, long projectId, ExportRequest request)
    {
        using var stream = new MemoryStream();
        await Get<ExportService>().WriteAsync(caller, projectId, request, stream);
        return stream.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow machine; the temp folder is cleaned by the OS.
        }
    }
}

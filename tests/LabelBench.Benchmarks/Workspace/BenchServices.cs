using LabelBench.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LabelBench.Benchmarks.Workspace;

/// <summary>
/// The services as the web app and the CLI build them (<c>AddLabelBenchData</c>) over a SQLite data folder, so the
/// measured calls are the ones the app makes. With <paramref name="logSql"/> EF Core's commands go to stderr (for
/// <c>EXPLAIN QUERY PLAN</c>).
/// </summary>
internal static class BenchServices
{
    public static async Task<ServiceProvider> CreateAsync(string dataDir, bool logSql = false)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["LabelBench:DataDir"] = Path.GetFullPath(dataDir),
                ["LabelBench:SeedDemo"] = "false",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging(b =>
        {
            b.SetMinimumLevel(LogLevel.Warning);
            if (logSql)
            {
                b.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
                    .AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Information);
            }
        });
        services.AddLabelBenchData(configuration);
        var provider = services.BuildServiceProvider();
        await DatabaseSetup.MigrateAsync(provider.GetRequiredService<IDbContextFactory<LabelBenchDbContext>>());
        return provider;
    }
}

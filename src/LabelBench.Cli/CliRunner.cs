using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using LabelBench.Data;
using LabelBench.Data.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LabelBench.Cli;

/// <summary>Exit codes of CONTRACT.md.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int CheckFailed = 1;
    public const int BadInput = 2;
}

/// <summary>
/// Parses, runs and maps failures to exit codes: 2 with a message for bad usage or input, 1 for a failed check.
/// Commands get services built from the same configuration keys as the web app.
/// </summary>
public static class CliRunner
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly AsyncLocal<IReadOnlyDictionary<string, string?>?> SettingOverrides = new();

    /// <param name="settings">Configuration set on top of appsettings.json and the environment (tests use it to pick a data folder).</param>
    public static async Task<int> RunAsync(RootCommand root, string[] args, TextWriter? stdout = null, TextWriter? stderr = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        SettingOverrides.Value = settings;
        var output = stdout ?? Console.Out;
        var errors = stderr ?? Console.Error;
        // Our handler below maps failures to exit codes; the library's would print a stack trace and exit 1.
        var config = new InvocationConfiguration { Output = output, Error = errors, EnableDefaultExceptionHandler = false };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await errors.WriteLineAsync($"error: {error.Message}");
            }

            await errors.WriteLineAsync("Run with --help for usage.");
            return ExitCodes.BadInput;
        }

        try
        {
            return await parsed.InvokeAsync(config);
        }
        catch (ServiceException ex)
        {
            await errors.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.BadInput;
        }
        catch (CliInputException ex)
        {
            await errors.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.BadInput;
        }
    }

    /// <summary>Services over the configured data folder, with migrations applied.</summary>
    public static async Task<ServiceProvider> ServicesAsync(CancellationToken ct)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(SettingOverrides.Value ?? new Dictionary<string, string?>())
            .Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning));
        services.AddLabelBenchData(configuration);
        var provider = services.BuildServiceProvider(validateScopes: true);
        await DatabaseSetup.MigrateAsync(provider.GetRequiredService<IDbContextFactory<LabelBenchDbContext>>(), ct);
        return provider;
    }

    public static async Task WriteJsonAsync(ParseResult result, object value)
    {
        var writer = result.InvocationConfiguration.Output;
        await writer.WriteLineAsync(JsonSerializer.Serialize(value, Json));
    }

    public static async Task WriteMessageAsync(ParseResult result, string message) =>
        await result.InvocationConfiguration.Error.WriteLineAsync(message);
}

/// <summary>Bad input found by the CLI itself (a missing file, a wrong value); the message names it.</summary>
public sealed class CliInputException(string message) : Exception(message);

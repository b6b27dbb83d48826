using System.Security.Cryptography;
using LabelBench.Data;
using LabelBench.Data.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LabelBench.Web.Startup;

/// <summary>
/// Runs before the app serves: applies migrations, removes what an interrupted import left, and on the very first
/// start creates the admin (printing a generated password once) and the demo projects.
/// </summary>
public sealed class FirstStart(IOptions<LabelBenchOptions> options, ILogger<FirstStart> logger)
{
    /// <summary>True once the database is migrated and ready; <c>/health</c> answers 200 from then on.</summary>
    public bool Ready { get; private set; }

    public async Task RunAsync(IServiceProvider services, CancellationToken ct)
    {
        var settings = options.Value;
        await DatabaseSetup.MigrateAsync(services.GetRequiredService<IDbContextFactory<LabelBenchDbContext>>(), ct);
        await services.GetRequiredService<ImportService>().CleanUpAbandonedAsync(TimeSpan.FromHours(1), ct);
        await services.GetRequiredService<Data.Media.IMediaStore>().CleanUpStagingAsync(TimeSpan.FromHours(1), ct);

        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserService>();
        if (!await users.AnyAdminAsync(ct))
        {
            var generated = string.IsNullOrEmpty(settings.AdminPassword);
            var password = generated ? GeneratePassword() : settings.AdminPassword!;
            var adminId = await users.CreateAsync(Caller.System, settings.AdminEmail, password, admin: true, ct);
            if (generated)
            {
                // Printed once, on the start that created the account; it is not stored anywhere readable.
                Console.WriteLine();
                Console.WriteLine("==================================================================");
                Console.WriteLine($" LabelBench admin account created: {settings.AdminEmail}");
                Console.WriteLine($" Password (shown only this once): {password}");
                Console.WriteLine("==================================================================");
                Console.WriteLine();
            }
            else
            {
                logger.LogInformation("Admin account {Email} created with the configured password.", settings.AdminEmail);
            }

            if (settings.SeedDemo)
            {
                var seeder = services.GetRequiredService<DemoSeeder>();
                await seeder.SeedAsync(new Caller(adminId, IsAdmin: true), SamplesDirectory(settings), ct);
            }
        }

        Ready = true;
        logger.LogInformation("LabelBench is ready; data in {DataDir} ({Provider}).", settings.DataDirFullPath, settings.Database.Provider);
    }

    private static string GeneratePassword() =>
        // 128 bits of randomness, plus one of each character class Identity's rules ask for.
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', 'x').Replace('/', 'y') + "-A1a";

    private static string SamplesDirectory(LabelBenchOptions settings) =>
        string.IsNullOrWhiteSpace(settings.SamplesDir) ? Path.Combine(AppContext.BaseDirectory, "samples") : Path.GetFullPath(settings.SamplesDir);
}

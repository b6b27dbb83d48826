using LabelBench.Data.ActiveLearning;
using LabelBench.Data.Entities;
using LabelBench.Data.Media;
using LabelBench.Data.Services;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LabelBench.Data;

/// <summary>Registers what both the web app and the CLI need: options, database, Identity stores and the use-case services.</summary>
public static class ServiceRegistration
{
    public static IdentityBuilder AddLabelBenchData(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(LabelBenchOptions.SectionName);
        services.AddOptions<LabelBenchOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        var options = section.Get<LabelBenchOptions>() ?? new LabelBenchOptions();
        Validator.ValidateObject(options);

        services.AddSingleton(TimeProvider.System);
        services.AddMemoryCache();
        services.AddLabelBenchDatabase(options);
        services.AddSingleton<AuditLog>();
        services.AddSingleton<ProjectService>();
        services.AddSingleton<QueueService>();
        services.AddSingleton<TokenService>();
        services.AddScoped<UserService>();
        services.AddSingleton<ItemService>();
        services.AddSingleton<IMediaStore, FileSystemMediaStore>();
        services.AddSingleton<ImageProcessor>();
        services.AddSingleton<MediaImporter>();
        services.AddSingleton<MediaService>();
        services.AddSingleton<ImportService>();
        services.AddSingleton<ExportService>();
        services.AddSingleton<ExportJobSignal>();
        services.AddSingleton<ExportSnapshotService>();
        services.AddSingleton<DemoSeeder>();
        services.AddSingleton<AuditService>();
        services.AddSingleton<AgreementService>();
        services.AddSingleton<ReviewService>();
        services.AddActiveLearning(configuration);

        return services.AddIdentityCore<ApplicationUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.SignIn.RequireConfirmedAccount = false;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
                o.Password.RequiredLength = 8;
                o.Password.RequireNonAlphanumeric = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<LabelBenchDbContext>();
    }

    private static class Validator
    {
        public static void ValidateObject(LabelBenchOptions options)
        {
            var result = new DataAnnotationValidateOptions<LabelBenchOptions>(null).Validate(null, options);
            var db = new DataAnnotationValidateOptions<DatabaseOptions>(null).Validate(null, options.Database);
            var failures = (result.Failures ?? []).Concat(db.Failures ?? []).ToList();
            if (failures.Count > 0)
            {
                throw new OptionsValidationException(LabelBenchOptions.SectionName, typeof(LabelBenchOptions), failures);
            }
        }
    }
}

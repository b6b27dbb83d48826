using System.Security.Claims;
using Bunit;
using LabelBench.Data;
using LabelBench.Data.Services;
using LabelBench.Web.Components.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LabelBench.Web.Tests.Components;

/// <summary>A page over the real services and a migrated SQLite database in its own temp folder, rendered as a user.</summary>
public abstract class DatabasePageTest : MudComponentTest
{
    private readonly string dataDir = Path.Combine(Path.GetTempPath(), "labelbench-web-tests", Guid.NewGuid().ToString("N"));
    private readonly Bunit.TestDoubles.BunitAuthorizationContext auth;

    protected DatabasePageTest()
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["LabelBench:DataDir"] = dataDir,
                ["LabelBench:SeedDemo"] = "false",
            })
            .Build();
        Services.AddLogging();
        Services.AddLabelBenchData(config);
        auth = AddAuthorization();
    }

    public override Task InitializeAsync() => DatabaseSetup.MigrateAsync(Services.GetRequiredService<IDbContextFactory<LabelBenchDbContext>>());

    protected async Task<string> CreateUserAsync(string email)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserService>().CreateAsync(Caller.System, email, "User-Passw0rd-1", admin: false);
    }

    /// <summary>Renders a project page (its <c>Id</c> parameter) as the signed-in user.</summary>
    protected IRenderedComponent<TPage> RenderProjectPageAs<TPage>(long projectId, string userId, string email)
        where TPage : ProjectPageBase
    {
        auth.SetAuthorized(email);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, userId));
        return Render<TPage>(ps => ps.Add(p => p.Id, projectId));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            Directory.Delete(dataDir, recursive: true);
        }
        catch (IOException)
        {
            // A pooled SQLite handle may still be closing; the folder is under the temp directory anyway.
        }
    }
}

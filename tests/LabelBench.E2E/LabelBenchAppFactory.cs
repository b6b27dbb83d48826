using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LabelBench.E2E;

/// <summary>The real web app, in process, on its own data folder, with a known admin and the demo projects.</summary>
public sealed class LabelBenchAppFactory(string dataDir, string samplesDir) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // UseSetting (not ConfigureAppConfiguration) so Program sees the values while it registers services.
        builder.UseSetting("LabelBench:DataDir", dataDir);
        builder.UseSetting("LabelBench:AdminEmail", AppFixture.AdminEmail);
        builder.UseSetting("LabelBench:AdminPassword", AppFixture.AdminPassword);
        builder.UseSetting("LabelBench:SeedDemo", "true");
        builder.UseSetting("LabelBench:SamplesDir", samplesDir);
        // appsettings.json sets Information; the test output only needs what went wrong.
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using LabelBench.Cli;
using LabelBench.Data.Services;
using LabelBench.Data.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabelBench.Data.Tests.Cli;

/// <summary>The <c>labelbench</c> verbs run in process on a SQLite data folder, as a script would call them.</summary>
public sealed class CliTests : DatabaseTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var exit = await CliRunner.RunAsync(CliApp.CreateRoot(), args, stdout, stderr, Db.Settings);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private async Task<string> RunOkAsync(params string[] args)
    {
        var (exit, stdout, stderr) = await RunAsync(args);
        Assert.True(exit == 0, $"`{string.Join(' ', args)}` exited {exit}: {stderr}");
        return stdout;
    }

    private string WriteFile(string name, string content)
    {
        var path = Path.Combine(Db.DataDir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private async Task<long> CreateProjectAsync()
    {
        var stdout = await RunOkAsync("projects", "create", "--name", "Reviews", "--schema", TestData.SentimentSchemaPath, "--overlap", "2");
        return long.Parse(stdout.Trim(), CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_script_sets_up_a_project_imports_exports_and_verifies_the_audit_trail()
    {
        var created = JsonNode.Parse(await RunOkAsync("users", "add", "--email", "lead@test.local", "--password", "Passw0rd-1"))!;
        Assert.Equal("lead@test.local", created["email"]!.GetValue<string>());
        await RunOkAsync("users", "add", "--email", "ann@test.local", "--password", "Passw0rd-2");

        var id = await CreateProjectAsync();
        var report = JsonNode.Parse(await RunOkAsync("import", "--project", id.ToString(CultureInfo.InvariantCulture),
            Path.Combine(TestData.SamplesDir, "text-classification", "items.csv")))!;
        Assert.Equal(62, report["imported"]!.GetValue<int>());
        Assert.Empty(report["rejected"]!.AsArray());
        var member = JsonNode.Parse(await RunOkAsync("members", "add", "--project", id.ToString(CultureInfo.InvariantCulture), "--email", "ann@test.local", "--role", "annotator"))!;
        Assert.Equal("annotator", member["role"]!.GetValue<string>());

        var list = JsonNode.Parse(await RunOkAsync("projects", "list"))!.AsArray();
        var project = Assert.Single(list)!;
        Assert.Equal((id, "Reviews", 62, 2), (project["id"]!.GetValue<long>(), project["name"]!.GetValue<string>(), project["items"]!.GetValue<int>(), project["overlap"]!.GetValue<int>()));

        var tokenOut = await RunOkAsync("tokens", "create", "--email", "lead@test.local", "--name", "ci");
        var token = Assert.Single(tokenOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Trim();
        Assert.StartsWith("lb_", token, StringComparison.Ordinal);
        Assert.Equal("lead@test.local", (await Db.Get<TokenService>().ValidateAsync(token))?.Email);

        // The annotator labels one item through the services, as the web app would.
        await using (var scope = Db.Services.CreateAsyncScope())
        {
            var ann = await scope.ServiceProvider.GetRequiredService<UserService>().FindByEmailAsync("ann@test.local");
            var caller = new Caller(ann!.Id);
            var queue = Db.Get<QueueService>();
            var next = await queue.NextAsync(caller, id);
            await queue.SubmitAsync(caller, id, next!.ItemId, TestData.Label("positive"), 900);
        }

        var outPath = Path.Combine(Db.DataDir, "export", "reviews.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);
        var written = JsonNode.Parse(await RunOkAsync("export", "--project", id.ToString(CultureInfo.InvariantCulture), "--format", "jsonl", "--out", outPath))!;
        Assert.Equal(outPath, written["path"]!.GetValue<string>());
        var lines = File.ReadAllLines(outPath);
        Assert.Equal(62, lines.Length);
        var labelled = JsonNode.Parse(lines[0])!;
        Assert.Equal("review-001", labelled["externalId"]!.GetValue<string>());
        Assert.Equal("positive", labelled["annotations"]![0]!["result"]!["sentiment"]!.GetValue<string>());
        Assert.False(File.Exists(outPath + ".partial"));

        var audit = JsonNode.Parse(await RunOkAsync("audit", "verify"))!;
        Assert.True(audit["ok"]!.GetValue<bool>());
        Assert.True(audit["events"]!.GetValue<long>() >= 8);
    }

    [Fact]
    public async Task Audit_verify_exits_1_naming_the_broken_event()
    {
        await RunOkAsync("users", "add", "--email", "lead@test.local", "--password", "Passw0rd-1");
        await CreateProjectAsync();
        await using (var ctx = await Db.ContextAsync())
        {
            await ctx.Database.ExecuteSqlRawAsync("UPDATE \"AuditEvents\" SET \"AfterJson\" = {0} WHERE \"Sequence\" = 1", "{}");
        }

        var (exit, stdout, stderr) = await RunAsync("audit", "verify");

        Assert.Equal(1, exit);
        Assert.Equal(1, JsonNode.Parse(stdout)!["brokenSequence"]!.GetValue<long>());
        Assert.Contains("event 1", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_role_is_a_usage_error()
    {
        var (exit, _, stderr) = await RunAsync("members", "add", "--project", "1", "--email", "ann@test.local", "--role", "boss");

        Assert.Equal(2, exit);
        Assert.Contains("boss", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_schema_file_exits_2_naming_the_path()
    {
        var missing = Path.Combine(Db.DataDir, "no-such-schema.json");

        var (exit, _, stderr) = await RunAsync("projects", "create", "--name", "X", "--schema", missing);

        Assert.Equal(2, exit);
        Assert.Contains(missing, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_schema_exits_2_naming_the_field()
    {
        var path = WriteFile("bad-schema.json", """{"fields": [{"name": "stars", "kind": "rating", "source": "text", "max": 0}]}""");

        var (exit, stdout, stderr) = await RunAsync("projects", "create", "--name", "X", "--schema", path);

        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("bad-schema.json", stderr, StringComparison.Ordinal);
        Assert.Contains("stars", stderr, StringComparison.Ordinal);
        Assert.Contains("max", stderr, StringComparison.Ordinal);
        Assert.Equal("[]", (await RunOkAsync("projects", "list")).Trim());
    }

    [Fact]
    public async Task Import_with_a_bad_row_exits_2_and_names_file_and_line()
    {
        await RunOkAsync("users", "add", "--email", "lead@test.local", "--password", "Passw0rd-1");
        var id = await CreateProjectAsync();
        var csv = WriteFile("rows.csv", "id,text\na,fine\nb,one,too many\n");

        var (exit, stdout, stderr) = await RunAsync("import", "--project", id.ToString(CultureInfo.InvariantCulture), csv);

        Assert.Equal(2, exit);
        Assert.Equal(1, JsonNode.Parse(stdout)!["imported"]!.GetValue<int>());
        Assert.Contains("rows.csv:3:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Projects_create_sets_dynamic_overlap_queue_order_and_lease()
    {
        var stdout = await RunOkAsync("projects", "create", "--name", "Dynamic", "--schema", TestData.SentimentSchemaPath,
            "--overlap", "2", "--max-overlap", "4", "--queue-order", "random", "--lease-minutes", "10");
        var id = long.Parse(stdout.Trim(), CultureInfo.InvariantCulture);

        await using var db = await Db.ContextAsync();
        var project = await db.Projects.SingleAsync(p => p.Id == id);
        Assert.Equal((2, 4, "random", 10), (project.Overlap, project.MaxOverlap, project.QueueOrder, project.LeaseMinutes));

        var (exit, _, stderr) = await RunAsync("projects", "create", "--name", "Bad", "--schema", TestData.SentimentSchemaPath, "--overlap", "3", "--max-overlap", "2");
        Assert.Equal(2, exit);
        Assert.Contains("maxOverlap", stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Agreement_on_a_file_of_two_annotators_prints_cohens_kappa()
    {
        var path = WriteFile("judgements.csv", "item,annotator,label,comment\n1,ann,yes,\n1,bob,yes,\n2,ann,yes,\n2,bob,no,unsure\n3,ann,no,\n3,bob,no,\n4,ann,no,\n4,bob,no,\n");

        var stdout = await RunOkAsync("agreement", "--input", path);

        var metrics = JsonNode.Parse(stdout)!["metrics"]!.AsArray();
        var kappa = Assert.Single(metrics, m => m!["metric"]!.GetValue<string>() == "cohen-kappa")!;
        // po = 3/4, pe = 0.5·0.25 + 0.5·0.75 = 0.5, so kappa = (0.75 - 0.5) / (1 - 0.5).
        Assert.Equal(0.5, kappa["value"]!.GetValue<double>(), 9);
        Assert.Equal((4, 2, 8), (kappa["items"]!.GetValue<int>(), kappa["annotators"]!.GetValue<int>(), kappa["judgements"]!.GetValue<int>()));

        var single = JsonNode.Parse(await RunOkAsync("agreement", "--input", path, "--metric", "cohen-kappa"))!;
        Assert.Equal("cohen-kappa", single["metric"]!.GetValue<string>());
    }
}

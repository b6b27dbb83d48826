using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LabelBench.Cli;
using LabelBench.Core.Agreement;
using LabelBench.Tests.Shared;

namespace LabelBench.Data.Tests.Cli;

/// <summary>
/// <c>labelbench agreement --input FILE</c> reproduces every published reference value from a CSV and a JSONL file, as
/// a user would run it on the data printed in the paper or the library's tests.
/// </summary>
public sealed class AgreementReferenceCliTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("labelbench-agreement-").FullName;

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var reference in AgreementReferences.All)
        {
            cases.Add(reference.Name, "csv");
            cases.Add(reference.Name, "jsonl");
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_cli_prints_the_published_value(string name, string format)
    {
        var reference = AgreementReferences.Named(name);
        var path = Path.Combine(folder, $"{name}.{format}");
        await File.WriteAllTextAsync(path, format == "csv" ? AgreementReferences.ToCsv(reference.Judgements) : ToJsonl(reference.Judgements));

        var output = await RunOkAsync(
            "agreement", "--input", path, "--metric", reference.Metric, "--level", reference.Level, "--weights", reference.Weights);

        var printed = JsonNode.Parse(output)!;
        Assert.Equal(reference.Metric, printed["metric"]!.GetValue<string>());
        var value = printed["value"]!.GetValue<double>();
        Assert.Equal(reference.Published, value, reference.Decimals);
        if (reference.Exact is { } exact)
        {
            Assert.Equal(exact, value, 12);
        }

        // The counts are those behind the value (Krippendorff drops units with a single value), as the library gives them.
        var library = AgreementReport.ComputeMetric(AgreementReferences.ToSet(reference.Judgements), reference.Metric,
            AgreementReport.ParseLevel(reference.Level), AgreementReport.ParseWeights(reference.Weights));
        Assert.Equal((library.Items, library.Annotators, library.Judgements),
            (printed["items"]!.GetValue<int>(), printed["annotators"]!.GetValue<int>(), printed["judgements"]!.GetValue<int>()));
    }

    [Fact]
    public async Task All_metrics_at_once_lists_each_that_applies_and_says_why_the_others_do_not()
    {
        var reference = AgreementReferences.Named("alpha-krippendorff-nominal");
        var path = Path.Combine(folder, "k2011.csv");
        await File.WriteAllTextAsync(path, AgreementReferences.ToCsv(reference.Judgements));

        var printed = JsonNode.Parse(await RunOkAsync("agreement", "--input", path))!;

        var alpha = Assert.Single(printed["metrics"]!.AsArray(), m => m!["metric"]!.GetValue<string>() == "krippendorff-alpha")!;
        Assert.Equal(reference.Published, alpha["value"]!.GetValue<double>(), reference.Decimals);
        // Four observers and missing data: Cohen's kappa and Scott's pi need exactly two, Fleiss' the same count per item.
        var skipped = printed["skipped"]!.AsArray().Select(s => s!["metric"]!.GetValue<string>()).ToList();
        Assert.Contains("cohen-kappa", skipped);
        Assert.Contains("fleiss-kappa", skipped);
    }

    private static string ToJsonl(IEnumerable<Judgement> judgements) =>
        string.Concat(judgements.Select(j => JsonSerializer.Serialize(new { item = j.Item, annotator = j.Annotator, label = j.Label }) + "\n"));

    private static async Task<string> RunOkAsync(params string[] args)
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var exit = await CliRunner.RunAsync(CliApp.CreateRoot(), args, stdout, stderr);
        Assert.True(exit == 0, $"`{string.Join(' ', args)}` exited {exit}: {stderr}");
        return stdout.ToString();
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}

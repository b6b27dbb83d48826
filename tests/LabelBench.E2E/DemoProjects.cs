using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace LabelBench.E2E;

/// <summary>The demo projects the app seeds from <c>samples/</c>, read from the same files.</summary>
public static partial class DemoProjects
{
    public const string ReviewSentiment = "Demo: review sentiment";

    /// <summary>The names in <c>samples/*/project.json</c>, in folder order.</summary>
    public static IReadOnlyList<string> Names() =>
        Directory.GetDirectories(AppFixture.SamplesDir)
            .Order(StringComparer.Ordinal)
            .Select(dir => Path.Combine(dir, "project.json"))
            .Where(File.Exists)
            .Select(file => JsonNode.Parse(File.ReadAllText(file))!["name"]!.GetValue<string>())
            .ToList();

    /// <summary>The review texts of the sentiment demo, as one string to look texts up in.</summary>
    public static string ReviewTexts() =>
        File.ReadAllText(Path.Combine(AppFixture.SamplesDir, "text-classification", "items.csv")).Replace("\"\"", "\"", StringComparison.Ordinal);

    /// <summary>The card of a project on <c>/projects</c>.</summary>
    public static ILocator Card(IPage page, string name) =>
        page.GetByTestId("project-card").Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true }) });

    /// <summary>The project id in a URL under <c>/projects/{id}</c>.</summary>
    public static long IdFromUrl(string url)
    {
        var match = ProjectPath().Match(new Uri(url).AbsolutePath);
        Assert.True(match.Success, $"{url} is not a project page");
        return long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^/projects/(\d+)(/|$)")]
    private static partial Regex ProjectPath();
}

using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using LabelBench.Data.Entities;
using LabelBench.Data.Services;
using Microsoft.EntityFrameworkCore;

namespace LabelBench.Data.Tests.Infrastructure;

/// <summary>Schemas, files and small project set-ups the service tests share.</summary>
public static class TestData
{
    /// <summary>The demo datasets, copied next to the test assembly by the project file.</summary>
    public static string SamplesDir => Path.Combine(AppContext.BaseDirectory, "samples");

    public static string SentimentSchemaPath => Path.Combine(SamplesDir, "text-classification", "schema.json");

    /// <summary>One required <c>choices</c> field <c>sentiment</c> (positive/negative/neutral) over the item's <c>text</c>.</summary>
    public static string SentimentSchema => File.ReadAllText(SentimentSchemaPath);

    public static JsonObject Label(string sentiment) => new() { ["sentiment"] = sentiment };

    public static ImportFile TextFile(string name, string content) => BytesFile(name, Encoding.UTF8.GetBytes(content));

    public static ImportFile BytesFile(string name, byte[] bytes) => new(name, bytes.Length, () => new MemoryStream(bytes, writable: false));

    /// <summary>A CSV of <paramref name="count"/> reviews with ids <c>{prefix}-1</c>...</summary>
    public static string ReviewsCsv(int count, string prefix = "r")
    {
        var sb = new StringBuilder("id,text\n");
        for (var i = 1; i <= count; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{prefix}-{i},Review number {i} of the test set\n");
        }

        return sb.ToString();
    }

    public static async Task<long> CreateSentimentProjectAsync(this TestDatabase db, Caller lead, int overlap = 1, string name = "Reviews") =>
        await db.Get<ProjectService>().CreateAsync(lead, new ProjectDraft(name, SentimentSchema, overlap));

    /// <summary>Imports <paramref name="count"/> reviews and returns their item ids in import order.</summary>
    public static async Task<IReadOnlyList<long>> ImportReviewsAsync(this TestDatabase db, Caller lead, long projectId, int count, string prefix = "r")
    {
        var report = await db.Get<ImportService>().ImportAsync(lead, projectId, [TextFile("reviews.csv", ReviewsCsv(count, prefix))]);
        Assert.Empty(report.Rejected);
        Assert.Equal(count, report.Imported);
        await using var ctx = await db.ContextAsync();
        return await ctx.Items.Where(i => i.ProjectId == projectId).OrderBy(i => i.Id).Select(i => i.Id).ToListAsync();
    }

    public static async Task AddMembersAsync(this TestDatabase db, Caller lead, long projectId, ProjectRole role, params Caller[] members)
    {
        foreach (var member in members)
        {
            await db.Get<ProjectService>().AddMemberByIdAsync(lead, projectId, member.UserId, role);
        }
    }

    /// <summary>Users <c>{prefix}1@test.local</c>... who are annotators of the project.</summary>
    public static async Task<Caller[]> CreateAnnotatorsAsync(this TestDatabase db, Caller lead, long projectId, int count, string prefix = "annotator")
    {
        var annotators = new Caller[count];
        for (var i = 0; i < count; i++)
        {
            annotators[i] = await db.CreateUserAsync($"{prefix}{i + 1}@test.local");
        }

        await db.AddMembersAsync(lead, projectId, ProjectRole.Annotator, annotators);
        return annotators;
    }
}

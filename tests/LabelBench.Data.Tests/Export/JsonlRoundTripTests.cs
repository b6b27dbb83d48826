using System.Text;
using System.Text.Json.Nodes;
using LabelBench.Data.Entities;
using LabelBench.Data.Services;
using Microsoft.EntityFrameworkCore;

namespace LabelBench.Data.Tests.Export;

public class JsonlRoundTripTests
{
    private const string Schema = """
        {"fields": [
          {"name": "sentiment", "kind": "choices", "source": "text", "options": ["positive", "negative", "neutral"]},
          {"name": "topics", "kind": "choices", "source": "text", "multiple": true, "options": ["price", "quality"]},
          {"name": "entities", "kind": "spans", "source": "text", "labels": ["PER", "ORG"]}
        ]}
        """;

    private static List<JsonObject> Lines(byte[] jsonl) =>
        Encoding.UTF8.GetString(jsonl).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    /// <summary>What must survive the trip: the item and its annotations (results, time spent, when), not ids or annotator names.</summary>
    private static string Comparable(JsonObject line)
    {
        var annotations = line["annotations"]!.AsArray()
            .Select(a => new JsonObject { ["result"] = a!["result"]!.DeepClone(), ["timeSpentMs"] = a["timeSpentMs"]!.DeepClone(), ["submittedAt"] = a["submittedAt"]!.DeepClone() }.ToJsonString())
            .Order(StringComparer.Ordinal);
        return new JsonObject
        {
            ["externalId"] = line["externalId"]?.DeepClone(),
            ["data"] = line["data"]!.DeepClone(),
            ["split"] = line["split"]?.DeepClone(),
            ["final"] = line["final"]?.DeepClone(),
            ["finalSource"] = line["finalSource"]!.DeepClone(),
            ["annotations"] = new JsonArray(annotations.Select(a => JsonNode.Parse(a)).ToArray()),
        }.ToJsonString();
    }

    [Fact]
    public async Task Jsonl_export_imports_into_a_new_project_with_the_same_items_and_annotations()
    {
        await using var host = await ExportTestHost.CreateAsync();
        var lead = await host.UserAsync("lead@example.org");
        var ann = await host.UserAsync("ann@example.org");
        var bob = await host.UserAsync("bob@example.org");
        var source = await host.ProjectAsync(lead, Schema, 2, "ann@example.org", "bob@example.org");
        await host.ImportJsonlAsync(lead, source, """
            {"id": "a", "data": {"text": "Ann works at Acme", "lang": "en"}, "split": "train"}
            {"id": "b", "data": {"text": "Too expensive"}, "split": "test"}
            {"id": "c", "data": {"text": "Nobody labelled me"}}
            {"data": {"text": "No external id"}}
            """);
        var items = await host.ItemIdsAsync(source);
        await host.SubmitAsync(ann, source, items[0], """{"sentiment": "positive", "topics": ["quality"], "entities": [{"start": 0, "end": 3, "label": "PER"}, {"start": 13, "end": 17, "label": "ORG"}]}""");
        await host.SubmitAsync(bob, source, items[0], """{"sentiment": "positive", "topics": ["quality"], "entities": [{"start": 13, "end": 17, "label": "ORG"}, {"start": 0, "end": 3, "label": "PER"}]}""");
        await host.SubmitAsync(ann, source, items[1], """{"sentiment": "negative", "topics": ["price"]}""");
        await host.SubmitAsync(bob, source, items[1], """{"sentiment": "neutral"}""");
        await host.SubmitAsync(bob, source, items[3], """{"sentiment": "neutral"}""");
        await using (var db = await host.DbAsync())
        {
            db.Adjudications.Add(new Adjudication
            {
                ProjectId = source, ItemId = items[1], ReviewerId = lead.UserId, Kind = AdjudicationKind.Override,
                ResultJson = """{"sentiment":"negative","topics":["price"]}""", Reason = "price complaint", SchemaVersion = 1, CreatedAt = DateTimeOffset.UtcNow, Version = Guid.NewGuid(),
            });
            await db.SaveChangesAsync();
        }

        var exported = await host.ExportAsync(lead, source, ExportRequest.Parse("jsonl", "all"));
        var target = await host.ProjectAsync(lead, Schema, 2);
        var report = await host.ImportJsonlAsync(lead, target, Encoding.UTF8.GetString(exported), "export.jsonl");
        var again = await host.ExportAsync(lead, target, ExportRequest.Parse("jsonl", "all"));

        Assert.Empty(report.Rejected);
        Assert.Equal(4, report.Imported);
        Assert.Equal(Lines(exported).Select(Comparable), Lines(again).Select(Comparable));
        // The last item has one of its two annotations: no agreement yet.
        Assert.Equal(["agreement", "adjudication", "none", "none"], Lines(again).Select(l => l["finalSource"]!.GetValue<string>()));

        await using var check = await host.DbAsync();
        var project = await check.Projects.SingleAsync(p => p.Id == target);
        Assert.Equal(5, project.SubmittedCount);
        Assert.Equal(2, project.CompleteCount);
        var annotators = await check.ProjectMembers.Where(m => m.ProjectId == target && m.Role == ProjectRole.Annotator).Select(m => m.UserId).ToListAsync();
        Assert.Equal(2, annotators.Count);
        var placeholders = await check.Users.Where(u => annotators.Contains(u.Id)).ToListAsync();
        Assert.All(placeholders, u =>
        {
            Assert.Null(u.PasswordHash);
            Assert.True(u.LockoutEnd > DateTimeOffset.UtcNow.AddYears(100));
            Assert.EndsWith("(imported)", u.DisplayName, StringComparison.Ordinal);
        });
        // Full items leave the queue; the item nobody labelled is still open.
        Assert.Equal(2, await check.Items.CountAsync(i => i.ProjectId == target && i.Open));
    }

    [Fact]
    public async Task An_annotation_that_does_not_fit_the_schema_rejects_its_line()
    {
        await using var host = await ExportTestHost.CreateAsync();
        var lead = await host.UserAsync("lead@example.org");
        var target = await host.ProjectAsync(lead, Schema, 1);

        var report = await host.ImportJsonlAsync(lead, target, """
            {"id": 1, "externalId": "x", "data": {"text": "t"}, "split": null, "annotations": [{"id": 5, "annotator": "annotator-aaaaaa", "schemaVersion": 1, "status": "submitted", "result": {"sentiment": "furious"}, "timeSpentMs": 10, "submittedAt": "2026-01-01T00:00:00.000Z"}], "final": null, "finalSource": "none"}
            {"id": 2, "externalId": "y", "data": {"text": "t"}, "split": null, "annotations": [], "final": null, "finalSource": "none"}
            """);

        Assert.Equal(1, report.Imported);
        var rejection = Assert.Single(report.Rejected);
        Assert.Equal(1, rejection.Line);
        Assert.Contains("furious", rejection.Error, StringComparison.Ordinal);
    }
}

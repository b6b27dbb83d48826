using System.Text.Json.Nodes;
using LabelBench.Core.ActiveLearning;
using LabelBench.Data.Services;

namespace LabelBench.Data.Tests.ActiveLearning;

public class UncertaintyQueueTests
{
    /// <summary>Item → per-label scores of its imported prediction (none for "f").</summary>
    private static readonly (string Id, double? Score, (string, double)[]? Scores)[] Items =
    [
        ("a", null, [("positive", 0.9), ("negative", 0.05), ("neutral", 0.05)]),
        ("b", null, [("positive", 0.5), ("negative", 0.5), ("neutral", 0.0)]),
        ("c", null, [("positive", 0.4), ("negative", 0.3), ("neutral", 0.3)]),
        ("d", null, [("positive", 0.6), ("negative", 0.4), ("neutral", 0.0)]),
        ("e", 0.7, null),
        ("f", null, null),
    ];

    [Fact]
    public async Task A_project_with_uncertainty_order_serves_the_least_confident_items_first()
    {
        await using var host = await ModelLoopHost.CreateAsync();
        var project = await host.CreateProjectAsync(queueOrder: "uncertainty");
        var report = await host.ImportItemsAsync(project, Items.Select(ItemLine));
        Assert.Empty(report.Rejected);

        Assert.Equal(["c", "b", "d", "e", "a", "f"], await ServedOrderAsync(host, project, host.Annotator));
    }

    [Fact]
    public async Task The_projects_measure_decides_the_order_and_a_change_rescores_every_item()
    {
        await using var host = await ModelLoopHost.CreateAsync();
        var project = await host.CreateProjectAsync(queueOrder: "uncertainty");
        await host.ImportItemsAsync(project, Items.Select(ItemLine));
        var model = host.Get<ActiveLearningService>();

        await model.UpdateSettingsAsync(host.Lead, project, new ModelSettingsUpdate(UncertaintyMeasures.Margin));
        Assert.Equal(["b", "c", "d", "e", "a", "f"], await ServedOrderAsync(host, project, await host.AddAnnotatorAsync(project, "m")));

        await model.UpdateSettingsAsync(host.Lead, project, new ModelSettingsUpdate(UncertaintyMeasures.Entropy));
        Assert.Equal(["c", "e", "b", "d", "a", "f"], await ServedOrderAsync(host, project, await host.AddAnnotatorAsync(project, "e")));

        var refused = await Assert.ThrowsAsync<ServiceException>(() => model.UpdateSettingsAsync(host.Lead, project, new ModelSettingsUpdate("variance")));
        Assert.Contains("uncertaintyMeasure", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Imported_predictions_take_over_as_the_newest_and_reorder_the_queue()
    {
        await using var host = await ModelLoopHost.CreateAsync();
        var project = await host.CreateProjectAsync(queueOrder: "uncertainty");
        await host.ImportItemsAsync(project, Items.Select(ItemLine));
        var ids = await host.ItemIdsAsync(project);

        // A newer model is sure about c and unsure about a; f gets its first prediction.
        var report = await host.ImportPredictionsAsync(project, string.Join("\n",
            $$$"""{"itemId": {{{ids["c"]}}}, "model": "m-v2", "result": {"sentiment": "positive"}, "score": 0.99}""",
            """{"externalId": "a", "model": "m-v2", "result": {"sentiment": "neutral"}, "score": 0.35}""",
            """{"externalId": "f", "model": "m-v2", "result": {"sentiment": "negative"}, "score": 0.8}"""));
        Assert.Equal(3, report.Imported);
        Assert.Empty(report.Rejected);

        Assert.Equal(["a", "b", "d", "e", "f", "c"], await ServedOrderAsync(host, project, host.Annotator));
        var next = await host.Get<QueueService>().NextAsync(await host.AddAnnotatorAsync(project, "x"), project);
        Assert.Equal(ids["a"], next!.ItemId);
        Assert.Equal(("m-v2", 0.35), (next.Predictions[0].Model, next.Predictions[0].Score!.Value));
        Assert.Equal("neutral", next.Predictions[0].Result["sentiment"]!.GetValue<string>());
    }

    /// <summary>The order the annotator is served the items in (each skipped to get the next).</summary>
    private static async Task<List<string>> ServedOrderAsync(ModelLoopHost host, long project, Caller annotator)
    {
        var queue = host.Get<QueueService>();
        var order = new List<string>();
        while (await queue.NextAsync(annotator, project) is { } next)
        {
            order.Add(next.ExternalId!);
            await queue.SkipAsync(annotator, project, next.ItemId);
        }

        return order;
    }

    private static string ItemLine((string Id, double? Score, (string, double)[]? Scores) item)
    {
        var line = new JsonObject { ["id"] = item.Id, ["data"] = new JsonObject { ["text"] = $"review {item.Id}" } };
        if (item.Score is not null || item.Scores is not null)
        {
            var prediction = new JsonObject { ["model"] = "m-v1", ["result"] = new JsonObject { ["sentiment"] = "positive" } };
            if (item.Score is { } s)
            {
                prediction["score"] = s;
            }

            if (item.Scores is { } scores)
            {
                prediction["scores"] = new JsonObject(scores.Select(x => KeyValuePair.Create(x.Item1, (JsonNode?)x.Item2)));
            }

            line["predictions"] = new JsonArray(prediction);
        }

        return line.ToJsonString();
    }
}

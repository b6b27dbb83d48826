using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using LabelBench.Data.ActiveLearning;
using LabelBench.Data.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LabelBench.Data.Tests.ActiveLearning;

public class ModelServiceTests
{
    [Fact]
    public async Task A_loopback_service_that_no_admin_allowed_is_refused()
    {
        await using var host = await ModelLoopHost.CreateAsync();
        var project = await host.CreateProjectAsync();

        var client = host.Get<ModelServiceClient>();
        var refused = await Assert.ThrowsAsync<ModelServiceException>(() => client.PredictAsync(new Uri("http://127.0.0.1:9/"), [], CancellationToken.None));
        Assert.Contains("loopback", refused.Message, StringComparison.Ordinal);
        Assert.Contains("LabelBench:ModelServices:AllowedHosts", refused.Message, StringComparison.Ordinal);
        var metadata = await Assert.ThrowsAsync<ModelServiceException>(() => client.PredictAsync(new Uri("http://169.254.169.254/latest"), [], CancellationToken.None));
        Assert.Contains("metadata", metadata.Message, StringComparison.Ordinal);

        var settings = host.Get<ActiveLearningService>();
        foreach (var url in new[] { "http://127.0.0.1:8080", "http://localhost:5000/model", "http://10.1.2.3/", "http://[::1]:81/" })
        {
            var invalid = await Assert.ThrowsAsync<ServiceException>(() => settings.UpdateSettingsAsync(host.Lead, project, new ModelSettingsUpdate(ModelServiceUrl: url)));
            Assert.Contains("does not connect to", invalid.Message, StringComparison.Ordinal);
        }

        var notHttp = await Assert.ThrowsAsync<ServiceException>(() => settings.UpdateSettingsAsync(host.Lead, project, new ModelSettingsUpdate(ModelServiceUrl: "file:///etc/passwd")));
        Assert.Contains("http", notHttp.Message, StringComparison.Ordinal);
        Assert.False((await host.Get<ModelServiceSync>().TestConnectionAsync(host.Lead, project, "http://127.0.0.1:9")).Ok);
    }

    [Fact]
    public async Task An_allowed_service_receives_items_and_labels_and_its_predictions_show_up_in_the_queue()
    {
        await using var service = await FakeModelService.StartAsync();
        await using var host = await ModelLoopHost.CreateAsync(new Dictionary<string, string?> { ["LabelBench:ModelServices:AllowedHosts:0"] = "127.0.0.1" });
        var project = await host.CreateProjectAsync(queueOrder: "uncertainty");
        await host.ImportItemsAsync(project, new[] { "a", "b", "c" }.Select(id => $$$"""{"id": "{{{id}}}", "data": {"text": "review {{{id}}}"}}"""));
        var ids = await host.ItemIdsAsync(project);
        await host.SubmitAsync(project, ids["a"], "positive");

        var model = host.Get<ActiveLearningService>();
        var sync = host.Get<ModelServiceSync>();
        var settings = await model.UpdateSettingsAsync(host.Lead, project, new ModelSettingsUpdate(ModelServiceUrl: service.Url));
        Assert.Equal(new Uri(service.Url), new Uri(settings.ModelServiceUrl!));
        Assert.True((await sync.TestConnectionAsync(host.Lead, project, null)).Ok);

        var sent = await sync.SendLabelsAsync(host.Lead, project);
        Assert.Equal(1, sent.LabelsSent);
        var label = Assert.Single(service.Labels);
        Assert.Equal((ids["a"], "positive"), (label["id"]!.GetValue<long>(), label["result"]!["sentiment"]!.GetValue<string>()));
        Assert.Equal(0, (await sync.SendLabelsAsync(host.Lead, project)).LabelsSent);

        var round = await sync.FetchPredictionsAsync(host.Lead, project);

        // Only the items without a final label were sent; the answer about an item it was not asked about is refused.
        Assert.Equal([ids["b"], ids["c"]], service.Asked.Order());
        Assert.Equal((2, 2), (round.Requested, round.Predicted));
        Assert.Contains("was not among the items sent", Assert.Single(round.Rejected).Error, StringComparison.Ordinal);
        var next = await host.Get<QueueService>().NextAsync(await host.AddAnnotatorAsync(project, "second"), project);
        Assert.NotNull(next);
        Assert.Equal(ids["c"], next.ItemId);
        var prediction = Assert.Single(next.Predictions);
        Assert.Equal(("ext-v1", "neutral"), (prediction.Model, prediction.Result["sentiment"]!.GetValue<string>()));

        var report = await model.ReportAsync(host.Lead, project);
        Assert.Equal("ext-v1", Assert.Single(report.Versions).Model);
        Assert.Equal(["model service", "model service", "model service"], report.Runs.Select(r => r.Model ?? "model service"));
    }

    /// <summary>
    /// A model service on 127.0.0.1 (port 0): <c>/predict</c> answers every item with "neutral", sure of the first item
    /// of a batch and unsure of the rest, plus one answer about an item it was not asked about; <c>/train</c> keeps the labels.
    /// </summary>
    private sealed class FakeModelService : IAsyncDisposable
    {
        private readonly WebApplication app;

        private FakeModelService(WebApplication app, string url, ConcurrentBag<long> asked, ConcurrentBag<JsonObject> labels)
        {
            this.app = app;
            Url = url;
            Asked = asked;
            Labels = labels;
        }

        public string Url { get; }

        public ConcurrentBag<long> Asked { get; }

        public ConcurrentBag<JsonObject> Labels { get; }

        public static async Task<FakeModelService> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var asked = new ConcurrentBag<long>();
            var labels = new ConcurrentBag<JsonObject>();
            app.MapPost("/predict", async (HttpRequest request) =>
            {
                var body = (await JsonNode.ParseAsync(request.Body))!.AsObject();
                var predictions = new JsonArray();
                var first = true;
                foreach (var item in body["items"]!.AsArray())
                {
                    var id = item!["id"]!.GetValue<long>();
                    asked.Add(id);
                    // The first item asked about is the sure one, so the second is served first.
                    predictions.Add(new JsonObject
                    {
                        ["itemId"] = id,
                        ["model"] = "ext-v1",
                        ["result"] = new JsonObject { ["sentiment"] = "neutral" },
                        ["scores"] = first
                            ? new JsonObject { ["neutral"] = 0.9, ["positive"] = 0.05, ["negative"] = 0.05 }
                            : new JsonObject { ["neutral"] = 0.4, ["positive"] = 0.35, ["negative"] = 0.25 },
                    });
                    first = false;
                }

                if (predictions.Count > 0)
                {
                    predictions.Add(new JsonObject { ["itemId"] = 999_999, ["model"] = "ext-v1", ["result"] = new JsonObject() });
                }

                return Results.Json(new JsonObject { ["predictions"] = predictions });
            });
            app.MapPost("/train", async (HttpRequest request) =>
            {
                var body = (await JsonNode.ParseAsync(request.Body))!.AsObject();
                foreach (var label in body["labels"]!.AsArray())
                {
                    labels.Add(label!.AsObject());
                }

                return Results.Ok();
            });
            await app.StartAsync();
            return new FakeModelService(app, app.Urls.First(), asked, labels);
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}

using LabelBench.Core.ActiveLearning;
using LabelBench.Data.ActiveLearning;
using LabelBench.Data.Services;
using Microsoft.EntityFrameworkCore;

namespace LabelBench.Data.Tests.ActiveLearning;

public class BuiltinClassifierTests
{
    [Fact]
    public async Task Trained_on_150_keyword_labels_it_reaches_85_percent_held_out_accuracy_and_predicts_the_rest()
    {
        await using var host = await ModelLoopHost.CreateAsync();
        var project = await host.CreateProjectAsync();
        var data = SyntheticReviews.Make(190);
        await host.ImportItemsAsync(project, SyntheticReviews.ItemLines(data));
        var ids = await host.ItemIdsAsync(project);
        foreach (var e in data.Take(150))
        {
            await host.SubmitAsync(project, ids[e.Id], e.Label);
        }

        var outcome = await host.Get<ModelTrainingService>().TrainAsync(host.Lead, project, new TrainingRequest(LearningCurve: true));

        Assert.Equal("builtin-text-v1", outcome.Model);
        Assert.Equal("sentiment", outcome.Field);
        Assert.Equal((120, 30, 40), (outcome.TrainedOn, outcome.HeldOut, outcome.Predicted));
        Assert.True(outcome.HeldOutAccuracy >= 0.85, $"held-out accuracy {outcome.HeldOutAccuracy:0.000} is below 0.85");
        Assert.Equal(LearningCurve.Sizes(120), outcome.LearningCurve!.Select(p => p.Labels));
        Assert.True(outcome.LearningCurve![^1].Accuracy >= 0.85);

        // Its predictions of the 40 unlabelled items are stored as model version 1, with scores, and mostly right.
        await using (var db = await host.Get<IDbContextFactory<LabelBenchDbContext>>().CreateDbContextAsync())
        {
            var stored = await db.Predictions.Where(p => p.ProjectId == project).ToListAsync();
            Assert.Equal(40, stored.Count);
            Assert.All(stored, p => Assert.Equal("builtin-text-v1", p.Model));
            Assert.All(stored, p => Assert.InRange(p.Score!.Value, 1.0 / 3, 1.0));
            var truth = data.Skip(150).ToDictionary(e => ids[e.Id], e => e.Label);
            var right = stored.Count(p => p.ResultJson == $"{{\"sentiment\":\"{truth[p.ItemId]}\"}}");
            Assert.True(right >= 34, $"{right} of 40 unlabelled items predicted right");
            var unlabelled = truth.Keys.ToList();
            Assert.All(await db.Items.Where(i => i.ProjectId == project && unlabelled.Contains(i.Id)).ToListAsync(), i => Assert.NotNull(i.Uncertainty));
        }

        // They are the pre-annotations annotators see.
        var next = await host.Get<QueueService>().NextAsync(host.Annotator, project);
        Assert.NotNull(next);
        Assert.Equal("builtin-text-v1", Assert.Single(next.Predictions).Model);

        // The report shows the version and the run; training again makes version 2.
        var report = await host.Get<ActiveLearningService>().ReportAsync(host.Lead, project);
        Assert.Equal(150, report.FinalLabels);
        Assert.Equal("builtin-text-v1", Assert.Single(report.Versions).Model);
        Assert.Equal(40, report.Versions[0].Predictions);
        Assert.Equal(10, report.LearningCurve!.Count);
        var again = await host.Get<ModelTrainingService>().TrainAsync(host.Lead, project, new TrainingRequest("sentiment"));
        Assert.Equal("builtin-text-v2", again.Model);
        Assert.Equal(outcome.HeldOutAccuracy, again.HeldOutAccuracy);
    }

    [Fact]
    public void The_classifier_is_reproducible()
    {
        var examples = SyntheticReviews.Make(60).Select(e => new TextExample(e.Text, e.Label)).ToList();
        var first = TextClassifier.Train(examples, 5).Predict(["excellent order", "the box arrived"]);
        var second = TextClassifier.Train(examples, 5).Predict(["excellent order", "the box arrived"]);
        Assert.Equal(first.Select(p => p.Probabilities.OrderBy(kv => kv.Key).ToList()), second.Select(p => p.Probabilities.OrderBy(kv => kv.Key).ToList()));
        Assert.Equal("positive", first[0].Label);
    }

    [Fact]
    public async Task Refuses_too_few_labels_and_fields_it_cannot_learn()
    {
        await using var host = await ModelLoopHost.CreateAsync();
        var project = await host.CreateProjectAsync();
        var data = SyntheticReviews.Make(12);
        await host.ImportItemsAsync(project, SyntheticReviews.ItemLines(data));
        var ids = await host.ItemIdsAsync(project);
        foreach (var e in data.Take(4))
        {
            await host.SubmitAsync(project, ids[e.Id], e.Label);
        }

        var training = host.Get<ModelTrainingService>();
        var few = await Assert.ThrowsAsync<ServiceException>(() => training.TrainAsync(host.Lead, project, new TrainingRequest()));
        Assert.Contains("at least 10 final labels", few.Message, StringComparison.Ordinal);
        var unknown = await Assert.ThrowsAsync<ServiceException>(() => training.TrainAsync(host.Lead, project, new TrainingRequest("topic")));
        Assert.Contains("no field \"topic\"", unknown.Message, StringComparison.Ordinal);
        var annotator = await Assert.ThrowsAsync<ServiceException>(() => training.TrainAsync(host.Annotator, project, new TrainingRequest()));
        Assert.Equal(ServiceErrorKind.Forbidden, annotator.Kind);
    }

    [Fact]
    public async Task Retrains_automatically_every_N_new_final_labels()
    {
        await using var host = await ModelLoopHost.CreateAsync();
        var project = await host.CreateProjectAsync();
        var data = SyntheticReviews.Make(40);
        await host.ImportItemsAsync(project, SyntheticReviews.ItemLines(data));
        var ids = await host.ItemIdsAsync(project);
        await host.Get<ActiveLearningService>().UpdateSettingsAsync(host.Lead, project, new ModelSettingsUpdate(AutoTrainEvery: 12));
        var training = host.Get<ModelTrainingService>();
        foreach (var e in data.Take(11))
        {
            await host.SubmitAsync(project, ids[e.Id], e.Label);
        }

        Assert.Equal(0, await training.RunDueAsync());
        await host.SubmitAsync(project, ids[data[11].Id], data[11].Label);
        Assert.Equal(1, await training.RunDueAsync());
        Assert.Equal(0, await training.RunDueAsync());

        var runs = await training.RunsAsync(host.Lead, project);
        var run = Assert.Single(runs);
        Assert.Equal(("builtin-text-v1", "auto", "completed", 28), (run.Model, run.Trigger, run.Status, run.Predicted));
        Assert.NotNull(run.LearningCurve);
    }
}

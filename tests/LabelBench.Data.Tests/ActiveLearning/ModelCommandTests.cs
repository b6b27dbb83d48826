using System.Text.Json;
using LabelBench.Cli;
using LabelBench.Data.Services;

namespace LabelBench.Data.Tests.ActiveLearning;

public class ModelCommandTests
{
    [Fact]
    public async Task Model_train_prints_trained_on_held_out_accuracy_and_predicted()
    {
        long project;
        IReadOnlyDictionary<string, string?> settings;
        await using (var host = await ModelLoopHost.CreateAsync())
        {
            project = await host.CreateProjectAsync();
            var data = SyntheticReviews.Make(30);
            await host.ImportItemsAsync(project, SyntheticReviews.ItemLines(data));
            var ids = await host.ItemIdsAsync(project);
            foreach (var e in data.Take(20))
            {
                await host.SubmitAsync(project, ids[e.Id], e.Label);
            }

            settings = new Dictionary<string, string?>(host.Settings);

            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var exit = await CliRunner.RunAsync(CliApp.CreateRoot(), ["model", "train", "--project", project.ToString(System.Globalization.CultureInfo.InvariantCulture)], stdout, stderr, settings);

            Assert.True(exit == ExitCodes.Ok, stderr.ToString());
            using var json = JsonDocument.Parse(stdout.ToString());
            Assert.Equal(["trainedOn", "heldOutAccuracy", "predicted"], json.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.Equal(16, json.RootElement.GetProperty("trainedOn").GetInt32());
            Assert.InRange(json.RootElement.GetProperty("heldOutAccuracy").GetDouble(), 0, 1);
            Assert.Equal(10, json.RootElement.GetProperty("predicted").GetInt32());

            var bad = new StringWriter();
            Assert.Equal(ExitCodes.BadInput, await CliRunner.RunAsync(CliApp.CreateRoot(), ["model", "train", "--project", project.ToString(System.Globalization.CultureInfo.InvariantCulture), "--field", "nope"], new StringWriter(), bad, settings));
            Assert.Contains("no field \"nope\"", bad.ToString(), StringComparison.Ordinal);
        }
    }
}

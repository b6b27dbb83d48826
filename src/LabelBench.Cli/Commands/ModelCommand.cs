using System.CommandLine;
using LabelBench.Data.Services;
using Microsoft.Extensions.DependencyInjection;

namespace LabelBench.Cli.Commands;

/// <summary>
/// <c>model train --project ID [--field NAME]</c>: trains the built-in text classifier on the project's final labels,
/// stores predictions for the items without one and prints <c>{"trainedOn", "heldOutAccuracy", "predicted"}</c>.
/// </summary>
public static class ModelCommand
{
    public static Command Create()
    {
        var project = new Option<long>("--project") { Description = "Project id", Required = true };
        var field = new Option<string?>("--field") { Description = "The single-choice field to learn (default: the first one that reads item text)" };
        var train = new Command("train", "Train the built-in text classifier on the final labels and predict the unlabelled items") { project, field };
        train.SetAction(async (result, ct) =>
        {
            await using var services = await CliRunner.ServicesAsync(ct);
            var outcome = await services.GetRequiredService<ModelTrainingService>().TrainAsync(
                Caller.System, result.GetValue(project), new TrainingRequest(result.GetValue(field)), ct);
            await CliRunner.WriteJsonAsync(result, outcome.ToReport());
            await CliRunner.WriteMessageAsync(result, $"{outcome.Model}: field \"{outcome.Field}\", {outcome.HeldOut} labels held out");
            return ExitCodes.Ok;
        });
        return new Command("model", "The built-in model: train it on the labels and predict the rest") { train };
    }
}

using System.CommandLine;
using System.Text.Json;
using LabelBench.Core.Agreement;
using LabelBench.Data.Services;
using Microsoft.Extensions.DependencyInjection;

namespace LabelBench.Cli.Commands;

/// <summary>
/// <c>agreement --input FILE [--metric M] [--level L] [--weights W]</c> offline on a CSV/JSONL of judgements, or
/// <c>agreement --project ID [--field NAME]</c> on a project's submitted annotations.
/// </summary>
public static class AgreementCommand
{
    public static Command Create()
    {
        var input = new Option<FileInfo?>("--input") { Description = "CSV or JSONL with item, annotator, label" };
        var project = new Option<long?>("--project") { Description = "A project's submitted annotations instead of a file" };
        var field = new Option<string?>("--field") { Description = "With --project: the choices or rating field (default: the first one)" };
        var metric = new Option<string>("--metric") { Description = "percent-agreement, cohen-kappa, scotts-pi, fleiss-kappa, krippendorff-alpha or all", DefaultValueFactory = _ => "all" };
        metric.AcceptOnlyFromAmong("percent-agreement", "cohen-kappa", "scotts-pi", "fleiss-kappa", "krippendorff-alpha", "all");
        var level = new Option<string>("--level") { Description = "For alpha: nominal, ordinal, interval or ratio", DefaultValueFactory = _ => "nominal" };
        level.AcceptOnlyFromAmong("nominal", "ordinal", "interval", "ratio");
        var weights = new Option<string>("--weights") { Description = "For Cohen's kappa: none, linear or quadratic", DefaultValueFactory = _ => "none" };
        weights.AcceptOnlyFromAmong("none", "linear", "quadratic");
        var command = new Command("agreement", "Inter-annotator agreement of judgements") { input, project, field, metric, level, weights };
        command.Validators.Add(r =>
        {
            if ((r.GetValue(input) is null) == (r.GetValue(project) is null))
            {
                r.AddError("give exactly one of --input FILE or --project ID");
            }
        });
        command.SetAction(async (result, ct) =>
        {
            JudgementSet set;
            try
            {
                if (result.GetValue(input) is { } file)
                {
                    if (!file.Exists)
                    {
                        throw new CliInputException($"--input: the file {file.FullName} does not exist");
                    }

                    set = AgreementInputReader.Read(file.FullName);
                }
                else
                {
                    await using var services = await CliRunner.ServicesAsync(ct);
                    set = await services.GetRequiredService<AgreementService>().JudgementsAsync(Caller.System, result.GetValue(project)!.Value, result.GetValue(field), ct);
                }

                var report = AgreementReport.Compute(set, result.GetValue(metric)!, result.GetValue(level)!, result.GetValue(weights)!);
                await result.InvocationConfiguration.Output.WriteLineAsync(report.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
                return ExitCodes.Ok;
            }
            catch (AgreementException ex)
            {
                throw new CliInputException(ex.Message);
            }
        });
        return command;
    }
}

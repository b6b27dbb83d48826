using System.CommandLine;
using LabelBench.Data.Services;
using Microsoft.Extensions.DependencyInjection;

namespace LabelBench.Cli.Commands;

/// <summary>
/// <c>export --project ID --format F [--source final|majority|dawid-skene|all] [--split S] [--label L] [--from D] [--to D]
/// [--annotator A] --out PATH</c>.
/// </summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var project = new Option<long>("--project") { Description = "Project id", Required = true };
        var format = new Option<string>("--format") { Description = $"One of {string.Join(", ", ExportRequest.Formats.Keys)}", Required = true };
        var source = new Option<string>("--source") { Description = string.Join(", ", ExportRequest.Sources), DefaultValueFactory = _ => "all" };
        var split = new Option<string?>("--split") { Description = "Only items of this split: train, validation or test" };
        var label = new Option<string?>("--label") { Description = "Only items whose final label (with --source all: any annotation) has this label" };
        var from = new Option<string?>("--from") { Description = "Only items with an annotation submitted at or after this date or time (ISO 8601, UTC)" };
        var to = new Option<string?>("--to") { Description = "... and before this time; a date alone includes that day" };
        var annotator = new Option<string?>("--annotator") { Description = "Only items annotated by this pseudonym (or email); with --source all only that annotator's annotations" };
        var output = new Option<FileInfo>("--out") { Description = "The file to write", Required = true };
        var command = new Command("export", "Write a project's dataset") { project, format, source, split, label, from, to, annotator, output };
        command.SetAction(async (result, ct) =>
        {
            ExportRequest request;
            try
            {
                request = ExportRequest.Parse(result.GetValue(format), result.GetValue(source), result.GetValue(split), result.GetValue(label),
                    result.GetValue(from), result.GetValue(to), result.GetValue(annotator));
            }
            catch (ServiceException ex)
            {
                throw new CliInputException(ex.Message);
            }

            var target = result.GetValue(output)!;
            await using var services = await CliRunner.ServicesAsync(ct);
            var export = services.GetRequiredService<ExportService>();
            var meta = await export.PrepareAsync(Caller.System, result.GetValue(project), request, ct);
            // Written beside the target and moved into place: a failed export never leaves a half file.
            var temp = target.FullName + ".partial";
            ExportRun run;
            try
            {
                await using (var stream = new ExportFileStream(temp, FileMode.Create))
                {
                    run = await export.WriteAsync(Caller.System, result.GetValue(project), request, stream, ct);
                }

                File.Move(temp, target.FullName, overwrite: true);
            }
            finally
            {
                File.Delete(temp);
            }

            await CliRunner.WriteJsonAsync(result, new
            {
                path = target.FullName,
                format = request.Format,
                source = request.Source,
                filters = request.Filters(),
                items = run.Items,
                records = run.Result.Records,
                annotations = run.Annotations,
                skipped = run.Result.Skipped,
                bytes = new FileInfo(target.FullName).Length,
            });
            return ExitCodes.Ok;
        });
        return command;
    }
}

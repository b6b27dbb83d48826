using System.CommandLine;
using LabelBench.Data.Services;
using Microsoft.Extensions.DependencyInjection;

namespace LabelBench.Cli.Commands;

/// <summary><c>export --project ID --format F [--source final|majority|all] --out PATH</c>.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var project = new Option<long>("--project") { Description = "Project id", Required = true };
        var format = new Option<string>("--format") { Description = $"One of {string.Join(", ", ExportRequest.Formats.Keys)}", Required = true };
        var source = new Option<string>("--source") { Description = "final, majority or all", DefaultValueFactory = _ => "all" };
        var output = new Option<FileInfo>("--out") { Description = "The file to write", Required = true };
        var command = new Command("export", "Write a project's dataset") { project, format, source, output };
        command.SetAction(async (result, ct) =>
        {
            ExportRequest request;
            try
            {
                request = ExportRequest.Parse(result.GetValue(format), result.GetValue(source));
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
            await using (var stream = File.Create(temp))
            {
                await export.WriteAsync(Caller.System, result.GetValue(project), request, stream, ct);
            }

            File.Move(temp, target.FullName, overwrite: true);
            await CliRunner.WriteJsonAsync(result, new { path = target.FullName, format = request.Format, source = request.Source, bytes = new FileInfo(target.FullName).Length, annotatorsPseudonymised = meta.AnnotatorsPseudonymised });
            return ExitCodes.Ok;
        });
        return command;
    }
}

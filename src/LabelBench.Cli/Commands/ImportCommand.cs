using System.CommandLine;
using LabelBench.Data.Services;
using Microsoft.Extensions.DependencyInjection;

namespace LabelBench.Cli.Commands;

/// <summary><c>import --project ID FILE...</c>: prints the import report; exit 2 when something was rejected.</summary>
public static class ImportCommand
{
    public static Command Create()
    {
        var project = new Option<long>("--project") { Description = "Project id", Required = true };
        var files = new Argument<FileInfo[]>("files") { Description = "CSV, JSONL, media files or zip archives", Arity = ArgumentArity.OneOrMore };
        var command = new Command("import", "Import items into a project") { project, files };
        command.SetAction(async (result, ct) =>
        {
            var chosen = result.GetValue(files)!;
            foreach (var f in chosen.Where(f => !f.Exists))
            {
                throw new CliInputException($"{f.FullName}: no such file");
            }

            await using var services = await CliRunner.ServicesAsync(ct);
            var report = await services.GetRequiredService<ImportService>().ImportAsync(
                Caller.System,
                result.GetValue(project),
                chosen.Select(f => new ImportFile(f.Name, f.Length, () => f.OpenRead())).ToList(),
                ct: ct);
            await CliRunner.WriteJsonAsync(result, report);
            foreach (var r in report.Rejected.Take(20))
            {
                await CliRunner.WriteMessageAsync(result, $"{r.Source}:{r.Line}: {r.Error}");
            }

            return report.Rejected.Count == 0 ? ExitCodes.Ok : ExitCodes.BadInput;
        });
        return command;
    }
}

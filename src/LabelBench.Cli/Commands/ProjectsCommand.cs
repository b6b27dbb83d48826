using System.CommandLine;
using LabelBench.Data.Entities;
using LabelBench.Data.Services;
using Microsoft.Extensions.DependencyInjection;

namespace LabelBench.Cli.Commands;

/// <summary><c>projects create --name N --schema FILE [--overlap K] [--lead EMAIL]</c> and <c>projects list</c>.</summary>
public static class ProjectsCommand
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "The project's name", Required = true };
        var schema = new Option<FileInfo>("--schema") { Description = "The label schema, a JSON file", Required = true };
        var overlap = new Option<int>("--overlap") { Description = "Distinct annotators per item", DefaultValueFactory = _ => 1 };
        var maxOverlap = new Option<int?>("--max-overlap")
        {
            Description = "Dynamic overlap: when the first annotators disagree, one more annotator at a time, up to this many",
        };
        var queueOrder = new Option<string>("--queue-order") { Description = "sequential, random or uncertainty", DefaultValueFactory = _ => "sequential" };
        queueOrder.AcceptOnlyFromAmong("sequential", "random", "uncertainty");
        var leaseMinutes = new Option<int>("--lease-minutes")
        {
            Description = "How long a handed-out item stays reserved for its annotator",
            DefaultValueFactory = _ => LabelBench.Core.Queue.LeasePolicy.DefaultMinutes,
        };
        var lead = new Option<string?>("--lead") { Description = "Email of a user to make the project's lead" };
        var create = new Command("create", "Create a project and print its id") { name, schema, overlap, maxOverlap, queueOrder, leaseMinutes, lead };
        create.SetAction(async (result, ct) =>
        {
            var file = result.GetValue(schema)!;
            if (!file.Exists)
            {
                throw new CliInputException($"--schema: the file {file.FullName} does not exist");
            }

            var json = await File.ReadAllTextAsync(file.FullName, ct);
            await using var services = await CliRunner.ServicesAsync(ct);
            var projects = services.GetRequiredService<ProjectService>();
            long id;
            try
            {
                id = await projects.CreateAsync(Caller.System, new ProjectDraft(
                    result.GetValue(name)!,
                    json,
                    result.GetValue(overlap),
                    QueueOrder: result.GetValue(queueOrder)!,
                    MaxOverlap: result.GetValue(maxOverlap),
                    LeaseMinutes: result.GetValue(leaseMinutes)), ct);
            }
            catch (ServiceException ex) when (ex.Errors.Count > 0)
            {
                throw new CliInputException($"{file.Name}: " + string.Join("; ", ex.Errors.Select(e => e.ToString())));
            }

            if (result.GetValue(lead) is { } leadEmail)
            {
                await projects.AddMemberAsync(Caller.System, id, leadEmail, ProjectRole.Lead, ct);
            }

            await result.InvocationConfiguration.Output.WriteLineAsync(id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return ExitCodes.Ok;
        });

        var list = new Command("list", "Print the projects as a JSON array");
        list.SetAction(async (result, ct) =>
        {
            await using var services = await CliRunner.ServicesAsync(ct);
            var all = await services.GetRequiredService<ProjectService>().ListAsync(Caller.System, ct);
            await CliRunner.WriteJsonAsync(result, all.Select(p => new
            {
                p.Id,
                p.Name,
                p.Overlap,
                p.QueueOrder,
                p.SchemaVersion,
                items = p.Items,
                complete = p.ItemsComplete,
                submitted = p.Submitted,
            }));
            return ExitCodes.Ok;
        });
        return new Command("projects", "Create and list projects") { create, list };
    }
}

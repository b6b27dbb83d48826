using System.CommandLine;
using LabelBench.Data.Services;
using Microsoft.Extensions.DependencyInjection;

namespace LabelBench.Cli.Commands;

/// <summary><c>members add --project ID --email E --role annotator|reviewer|lead</c>.</summary>
public static class MembersCommand
{
    public static Command Create()
    {
        var project = new Option<long>("--project") { Description = "Project id", Required = true };
        var email = new Option<string>("--email") { Description = "The user's email", Required = true };
        var role = new Option<string>("--role") { Description = "annotator, reviewer or lead", Required = true };
        role.AcceptOnlyFromAmong("annotator", "reviewer", "lead");
        var add = new Command("add", "Add a member to a project") { project, email, role };
        add.SetAction(async (result, ct) =>
        {
            if (!ProjectService.TryParseRole(result.GetValue(role), out var parsed))
            {
                throw new CliInputException($"--role: \"{result.GetValue(role)}\" is not annotator, reviewer or lead");
            }

            await using var services = await CliRunner.ServicesAsync(ct);
            await services.GetRequiredService<ProjectService>().AddMemberAsync(Caller.System, result.GetValue(project), result.GetValue(email)!, parsed, ct);
            await CliRunner.WriteJsonAsync(result, new { project = result.GetValue(project), email = result.GetValue(email), role = result.GetValue(role) });
            return ExitCodes.Ok;
        });
        return new Command("members", "Manage project members") { add };
    }
}

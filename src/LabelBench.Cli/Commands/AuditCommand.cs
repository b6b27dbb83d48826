using System.CommandLine;
using LabelBench.Data.Services;
using Microsoft.Extensions.DependencyInjection;

namespace LabelBench.Cli.Commands;

/// <summary><c>audit verify [--project ID]</c>: exit 1 naming the first broken event.</summary>
public static class AuditCommand
{
    public static Command Create()
    {
        var project = new Option<long?>("--project") { Description = "Report this project's events (the whole chain is always checked)" };
        var verify = new Command("verify", "Check the audit trail's hash chain") { project };
        verify.SetAction(async (result, ct) =>
        {
            await using var services = await CliRunner.ServicesAsync(ct);
            var outcome = await services.GetRequiredService<AuditService>().VerifyAsync(Caller.System, result.GetValue(project), ct);
            await CliRunner.WriteJsonAsync(result, outcome);
            if (outcome.Ok)
            {
                return ExitCodes.Ok;
            }

            await CliRunner.WriteMessageAsync(result, $"audit chain broken: {outcome.Problem}");
            return ExitCodes.CheckFailed;
        });
        return new Command("audit", "The audit trail") { verify };
    }
}

using System.CommandLine;
using LabelBench.Data.Services;
using Microsoft.Extensions.DependencyInjection;

namespace LabelBench.Cli.Commands;

/// <summary><c>tokens create --email E [--name N]</c>: prints a new personal access token on one line.</summary>
public static class TokensCommand
{
    public static Command Create()
    {
        var email = new Option<string>("--email") { Description = "Whose token", Required = true };
        var name = new Option<string>("--name") { Description = "A name to recognise the token by", DefaultValueFactory = _ => "cli" };
        var create = new Command("create", "Create a personal access token for the REST API") { email, name };
        create.SetAction(async (result, ct) =>
        {
            await using var services = await CliRunner.ServicesAsync(ct);
            await using var scope = services.CreateAsyncScope();
            var user = await scope.ServiceProvider.GetRequiredService<UserService>().FindByEmailAsync(result.GetValue(email)!, ct)
                ?? throw new CliInputException($"--email: no user has the address \"{result.GetValue(email)}\"");
            var token = await services.GetRequiredService<TokenService>().CreateAsync(user.Id, result.GetValue(name), ct);
            await result.InvocationConfiguration.Output.WriteLineAsync(token);
            return ExitCodes.Ok;
        });
        return new Command("tokens", "Manage API tokens") { create };
    }
}

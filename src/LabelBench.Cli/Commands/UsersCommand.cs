using System.CommandLine;
using LabelBench.Data.Services;
using Microsoft.Extensions.DependencyInjection;

namespace LabelBench.Cli.Commands;

/// <summary><c>users add --email E --password P [--admin]</c>.</summary>
public static class UsersCommand
{
    public static Command Create()
    {
        var email = new Option<string>("--email") { Description = "The user's email (their sign-in name)", Required = true };
        var password = new Option<string>("--password") { Description = "At least 8 characters with an upper-case letter, a lower-case letter and a digit", Required = true };
        var admin = new Option<bool>("--admin") { Description = "Make the user an administrator" };
        var add = new Command("add", "Create a user") { email, password, admin };
        add.SetAction(async (result, ct) =>
        {
            await using var services = await CliRunner.ServicesAsync(ct);
            await using var scope = services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserService>();
            var id = await users.CreateAsync(Caller.System, result.GetValue(email)!, result.GetValue(password)!, result.GetValue(admin), ct);
            await CliRunner.WriteJsonAsync(result, new { id, email = result.GetValue(email), admin = result.GetValue(admin) });
            return ExitCodes.Ok;
        });
        return new Command("users", "Manage users") { add };
    }
}

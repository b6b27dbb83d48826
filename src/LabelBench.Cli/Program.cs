using LabelBench.Cli;
using LabelBench.Cli.Commands;

var root = new System.CommandLine.RootCommand("labelbench: import, export, agreement and administration for a LabelBench data folder");
root.Subcommands.Add(UsersCommand.Create());
root.Subcommands.Add(TokensCommand.Create());
root.Subcommands.Add(ProjectsCommand.Create());
root.Subcommands.Add(MembersCommand.Create());
root.Subcommands.Add(ImportCommand.Create());
root.Subcommands.Add(ExportCommand.Create());
root.Subcommands.Add(AuditCommand.Create());
return await CliRunner.RunAsync(root, args);

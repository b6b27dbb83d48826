using System.CommandLine;
using LabelBench.Cli.Commands;

namespace LabelBench.Cli;

/// <summary>The <c>labelbench</c> command tree (one file per verb under Commands/).</summary>
public static class CliApp
{
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("labelbench: import, export, agreement and administration for a LabelBench data folder");
        root.Subcommands.Add(UsersCommand.Create());
        root.Subcommands.Add(TokensCommand.Create());
        root.Subcommands.Add(ProjectsCommand.Create());
        root.Subcommands.Add(MembersCommand.Create());
        root.Subcommands.Add(ImportCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(AgreementCommand.Create());
        root.Subcommands.Add(AuditCommand.Create());
        root.Subcommands.Add(ModelCommand.Create());
        return root;
    }
}

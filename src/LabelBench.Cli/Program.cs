using LabelBench.Cli;

return await CliRunner.RunAsync(CliApp.CreateRoot(), args);

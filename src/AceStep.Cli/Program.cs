using AceStep.Cli;

return await CliApp.RunAsync(args);

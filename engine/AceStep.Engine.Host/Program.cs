using AceStep.Engine.Host;

// The engine process: `acestep-engine [--home DIR] [--http-url URL] [--pipe NAME]`.
// Every file this process creates (job store, results, kept inputs, temporary downloads) is the user's alone.
AceStep.Engine.Host.Storage.PrivateFiles.RestrictNewFiles();
try
{
    var options = EngineOptions.FromEnvironment(args);
    await using var engine = await EngineHost.StartAsync(options);
    await engine.WaitForShutdownAsync();
    return 0;
}
catch (Exception ex) when (ex is EngineStartupException or ArgumentException)
{
    await Console.Error.WriteLineAsync("acestep-engine: " + ex.Message);
    return 2;
}

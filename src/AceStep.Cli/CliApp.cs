using System.CommandLine;
using AceStep.Cli.Commands;
using AceStep.Pipes;

namespace AceStep.Cli;

/// <summary>The <c>acestep</c> command tree; <see cref="RunAsync"/> maps failures to <see cref="ExitCodes"/>.</summary>
public static class CliApp
{
    /// <summary>Builds the root command.</summary>
    public static RootCommand Build()
    {
        var global = new GlobalOptions();
        var root = new RootCommand("AceStep: generate, repaint and cover music with a local ACE-Step engine.");
        global.AddTo(root);
        root.Subcommands.Add(PingCommand.Create(global));
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var parse = Build().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync("acestep: " + error.Message);
            }
            await Console.Error.WriteLineAsync("Run 'acestep --help' for the commands and options.");
            return ExitCodes.Usage;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (EngineUnavailableException ex)
        {
            await Console.Error.WriteLineAsync("acestep: " + ex.Message);
            return ExitCodes.EngineUnavailable;
        }
        catch (PipeProtocolException ex)
        {
            await Console.Error.WriteLineAsync($"acestep: the engine's answer broke the protocol ({ex.Code}): {ex.Message}");
            return ExitCodes.ProtocolError;
        }
    }
}

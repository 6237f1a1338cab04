using System.CommandLine;
using AceStep.Cli.Audio;
using AceStep.Cli.Commands;
using AceStep.Cli.Commands.Models;
using AceStep.Engine.Host;
using AceStep.Engine.ModelStore;
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
        root.Subcommands.Add(ModelsCommand.Create(global));
        root.Subcommands.Add(AudioCommand.Create(global, AudioJobKind.Generate));
        root.Subcommands.Add(AudioCommand.Create(global, AudioJobKind.Repaint));
        root.Subcommands.Add(AudioCommand.Create(global, AudioJobKind.Cover));
        root.Subcommands.Add(AudioCommand.Create(global, AudioJobKind.Lego));
        root.Subcommands.Add(AudioCommand.Create(global, AudioJobKind.Extract));
        root.Subcommands.Add(AudioCommand.Create(global, AudioJobKind.Complete));
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(StatusCommand.Create(global));
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
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                // After Ctrl+C a command cancels its engine task and stops an engine it runs; give that time to finish.
                ProcessTerminationTimeout = TimeSpan.FromSeconds(15),
            }, cancellationToken);
        }
        catch (CliUsageException ex)
        {
            await Console.Error.WriteLineAsync("acestep: " + ex.Message);
            return ExitCodes.Usage;
        }
        catch (CliFileException ex)
        {
            await Console.Error.WriteLineAsync("acestep: " + ex.Message);
            return ExitCodes.FileFailed;
        }
        catch (EngineStartupException ex)
        {
            await Console.Error.WriteLineAsync("acestep: the engine could not start: " + ex.Message);
            return ExitCodes.EngineStartFailed;
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
        catch (ModelStoreException ex)
        {
            await Console.Error.WriteLineAsync("acestep: " + ex.Message);
            return ex switch
            {
                UnknownModelException => ExitCodes.Usage,
                ModelNotInstalledException or DownloadIntegrityException => ExitCodes.ModelInvalid,
                ModelBusyException => ExitCodes.ModelBusy,
                _ => ExitCodes.ModelInstallFailed,
            };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The local disk: full, read-only, or not ours. Nothing half-written was put in place.
            await Console.Error.WriteLineAsync("acestep: a file could not be written or read: " + ex.Message);
            return ExitCodes.ModelInstallFailed;
        }
        catch (OperationCanceledException)
        {
            // Commands that need to clean up after Ctrl+C do so themselves; what reaches here left nothing to undo
            // (a pull keeps its partial file and resumes).
            await Console.Error.WriteLineAsync("acestep: cancelled.");
            return ExitCodes.Cancelled;
        }
    }
}

using System.CommandLine;
using AceStep.Cli.Audio;
using AceStep.Engine.Host;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AceStep.Cli.Commands;

/// <summary><c>acestep serve</c>: the engine in the foreground, with the engine executable's flags, until Ctrl+C.</summary>
public static class ServeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = new Command("serve",
            "Run the engine in the foreground until Ctrl+C. Takes the flags of acestep-engine: --home DIR, --http-url URL, --pipe NAME, " +
            "--api-key KEY, --queue-capacity N, --media-quota-mb N, --price-per-second-step USD, --device auto|cpu|cuda, " +
            "--memory-mode resident|sequential|compact, --lm-weights auto|fp32|bf16|int8, --matmul auto|fp32|bf16, --planner off|0.6B|1.7B|4B, --dcw on|off, --diagnostic-tone MS_PER_STEP (see docs/engine.md).")
        {
            // The engine's flags are read by the engine's own parser, so both executables take exactly the same ones.
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            EngineOptions options;
            try
            {
                options = EngineOptions.FromEnvironment(parse.UnmatchedTokens);
            }
            catch (ArgumentException ex)
            {
                throw new CliUsageException(ex.Message);
            }
            // The command's Ctrl+C handling stops the engine; the host's own console lifetime would race it.
            await using var engine = await EngineHost.StartAsync(options, logging: null,
                services: s => s.AddSingleton<IHostLifetime, CommandLifetime>(), cancellationToken);
            await engine.WaitForShutdownAsync(cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }
}

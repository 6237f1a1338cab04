using System.CommandLine;
using AceStep.Engine.ModelStore;

namespace AceStep.Cli.Commands.Models;

/// <summary><c>acestep models</c>: the model checkpoints on this machine (docs/models.md).</summary>
public static class ModelsCommand
{
    /// <summary>Builds the command group.</summary>
    public static Command Create(GlobalOptions global)
    {
        var options = new ModelsOptions();
        var command = new Command("models", "List, download, check and remove the ACE-Step model checkpoints (see docs/models.md).");
        command.Options.Add(options.ModelsDirectory);
        command.Subcommands.Add(ModelsListCommand.Create(global, options));
        command.Subcommands.Add(ModelsPullCommand.Create(global, options));
        command.Subcommands.Add(ModelsVerifyCommand.Create(global, options));
        command.Subcommands.Add(ModelsRemoveCommand.Create(global, options));
        command.Subcommands.Add(ModelsAdoptCommand.Create(global, options));
        return command;
    }
}

/// <summary>Options the <c>models</c> commands share.</summary>
public sealed class ModelsOptions
{
    /// <summary>Where models live.</summary>
    public Option<string?> ModelsDirectory { get; } = new("--models-dir")
    {
        Description = $"Models directory (default: {Engine.ModelStore.ModelsDirectory.Variable}, else <{EngineHome.Variable} or %LOCALAPPDATA%\\AceStep on Windows, ~/.local/share/acestep elsewhere>/models).",
        Recursive = true,
    };

    /// <summary>The layout of the chosen models directory.</summary>
    public ModelLayout Layout(ParseResult parse) =>
        new(parse.GetValue(ModelsDirectory) is { Length: > 0 } directory ? directory : Engine.ModelStore.ModelsDirectory.Resolve());

    /// <summary>A required list of model names.</summary>
    public static Argument<string[]> Names(string description) => new("name")
    {
        Description = description,
        Arity = ArgumentArity.OneOrMore,
    };
}

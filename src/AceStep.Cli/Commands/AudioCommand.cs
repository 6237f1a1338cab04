using System.CommandLine;
using AceStep.Cli.Audio;

namespace AceStep.Cli.Commands;

/// <summary><c>acestep generate</c>, <c>repaint</c> and <c>cover</c>: one audio task from and to files.</summary>
public static class AudioCommand
{
    /// <summary>Builds the command for <paramref name="kind"/>.</summary>
    public static Command Create(GlobalOptions global, AudioJobKind kind)
    {
        var command = kind switch
        {
            AudioJobKind.Generate => new Command("generate", "Make music from a prompt (and lyrics) and write it to --out."),
            AudioJobKind.Repaint => new Command("repaint",
                "Generate a span of --in anew (--start/--end; before 0 or past the end extends it) and write the whole result to --out."),
            _ => new Command("cover", "Make a new take of all of --in, guided by the prompt, and write it to --out."),
        };
        var options = AudioOptions.AddTo(command, kind);
        command.SetAction((parse, cancellationToken) => new AudioJobRunner(global, options, parse).RunAsync(cancellationToken));
        return command;
    }
}

using System.CommandLine;
using AceStep.Cli.Audio;

namespace AceStep.Cli.Commands;

/// <summary><c>acestep generate</c>, <c>repaint</c>, <c>cover</c>, <c>lego</c>, <c>extract</c> and <c>complete</c>: one
/// audio task from and to files.</summary>
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
            AudioJobKind.Lego => new Command("lego",
                "Add a part (--track, e.g. drums) played over --in, or over --start/--end of it, and write the mix to --out (base model)."),
            AudioJobKind.Extract => new Command("extract", "Isolate one stem (--track, e.g. vocals) of --in and write it to --out (base model)."),
            AudioJobKind.Complete => new Command("complete",
                "Add accompaniment (--tracks, e.g. drums,bass) around a single-track --in and write the result to --out (base model)."),
            _ => new Command("cover", "Make a new take of all of --in, guided by the prompt, and write it to --out."),
        };
        var options = AudioOptions.AddTo(command, kind);
        command.SetAction((parse, cancellationToken) => new AudioJobRunner(global, options, parse).RunAsync(cancellationToken));
        return command;
    }
}

using System.CommandLine;

namespace AceStep.Cli;

/// <summary>Options every command that talks to the engine shares.</summary>
public sealed class GlobalOptions
{
    /// <summary>Use HTTP instead of the pipe.</summary>
    public Option<bool> Http { get; } = new("--http") { Description = "Talk to the engine over HTTP instead of its named pipe.", Recursive = true };

    /// <summary>Pipe name or HTTP base address.</summary>
    public Option<string?> Address { get; } = new("--engine")
    {
        Description = "Pipe name, or HTTP base address with --http (defaults: ACESTEP_PIPE / ACESTEP_HTTP_URL, else the per-user pipe and http://127.0.0.1:8001).",
        Recursive = true,
    };

    /// <summary>How long to wait for the engine.</summary>
    public Option<double> TimeoutSeconds { get; } = new("--timeout")
    {
        Description = "Seconds to wait for the engine to answer.",
        DefaultValueFactory = _ => 10,
        Recursive = true,
    };

    /// <summary>Machine-readable output.</summary>
    public Option<bool> Json { get; } = new("--json") { Description = "Print one JSON object instead of text.", Recursive = true };

    /// <summary>Adds the options to the root command.</summary>
    public void AddTo(Command root)
    {
        root.Options.Add(Http);
        root.Options.Add(Address);
        root.Options.Add(TimeoutSeconds);
        root.Options.Add(Json);
    }

    /// <summary>The connection these options describe.</summary>
    public EngineConnection Connection(ParseResult parse) => new(
        parse.GetValue(Http) ? Transport.Http : Transport.Pipe,
        parse.GetValue(Address),
        TimeSpan.FromSeconds(Math.Max(0.1, parse.GetValue(TimeoutSeconds))));
}

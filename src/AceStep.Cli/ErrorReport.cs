using AceStep.Contracts;
using Spectre.Console;

namespace AceStep.Cli;

/// <summary>Prints an engine reply's errors for a person, on standard error.</summary>
public static class ErrorReport
{
    /// <summary>Writes each error item on its own line.</summary>
    public static void Write(TaskReply reply)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (reply.Errors is not { Count: > 0 } errors)
        {
            console.MarkupLine("[red]The engine answered without a result.[/]");
            return;
        }
        foreach (var error in errors)
        {
            var where = error.Parameter is null ? "" : $" ({error.Parameter})";
            console.MarkupLineInterpolated($"[red]{error.Code}[/]{where}: {error.Message}");
        }
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AceStep.Cli.Tests;

/// <summary>Runs the built programs (next to the test assembly) as real processes.</summary>
internal static class ProcessRunner
{
    public static ProcessStartInfo Dotnet(string assembly, IEnumerable<string> args, IDictionary<string, string>? env = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, assembly));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["NO_COLOR"] = "1";
        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        return info;
    }

    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string assembly, params string[] args) =>
        RunAsync(assembly, args, null);

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string assembly, IEnumerable<string> args,
        IDictionary<string, string>? env)
    {
        using var process = Process.Start(Dotnet(assembly, args, env))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Sends SIGINT, as Ctrl+C in a terminal does.</summary>
    public static async Task InterruptAsync(Process process)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
        await kill.WaitForExitAsync();
    }

    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

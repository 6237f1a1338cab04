using System.Reflection;
using AceStep.Engine.Host.Http;
using AceStep.Engine.Host.Pipes;
using AceStep.Engine.Host.Storage;
using AceStep.Engine.Host.Tasks;
using AceStep.Engine.Media;
using AceStep.Pipes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AceStep.Engine.Host;

/// <summary>
/// Builds and runs the engine: prepares the data directory and job store, then serves the task API over
/// loopback HTTP and the per-user named pipe. Tests start it in-process with their own options.
/// </summary>
public sealed class EngineHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EngineHost(WebApplication app, EngineOptions options, DataDirectory data, JobDatabase database, FfmpegInstallation? ffmpeg)
    {
        _app = app;
        Options = options;
        Data = data;
        Database = database;
        Ffmpeg = ffmpeg;
    }

    /// <summary>The FFmpeg the engine encodes and decodes with; null when none is installed.</summary>
    public FfmpegInstallation? Ffmpeg { get; }

    /// <summary>The options the engine runs with.</summary>
    public EngineOptions Options { get; }

    /// <summary>The engine's files.</summary>
    public DataDirectory Data { get; }

    /// <summary>The job store.</summary>
    public JobDatabase Database { get; }

    /// <summary>The HTTP address actually bound (resolves port 0).</summary>
    public Uri HttpAddress =>
        new(_app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());

    /// <summary>The engine's version string.</summary>
    public static string Version { get; } =
        typeof(EngineHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>
    /// Prepares storage and starts both servers. Throws <see cref="EngineStartupException"/> with a clear message
    /// when the data directory, the HTTP address or the pipe name cannot be used.
    /// </summary>
    public static async Task<EngineHost> StartAsync(EngineOptions options, Action<ILoggingBuilder>? logging = null,
        CancellationToken cancellationToken = default)
    {
        var data = DataDirectory.Prepare(options.DataDirectory);
        var database = JobDatabase.Open(data.DatabasePath);
        await EnsureNoOtherEngineAsync(options.PipeName, cancellationToken);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "acestep-engine" });
        builder.Logging.ClearProviders();
        if (logging is null)
        {
            ConfigureQuietConsole(builder.Logging);
        }
        else
        {
            logging(builder.Logging);
        }
        builder.WebHost.UseUrls(options.HttpUrl);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = options.MaxRequestBytes);

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(data);
        builder.Services.AddSingleton(database);
        builder.Services.AddSingleton(new EngineIdentity("acestep-engine", Version, Environment.ProcessId));
        builder.Services.AddSingleton<ITaskHandler, PingHandler>();
        builder.Services.AddSingleton<TaskDispatcher>();
        builder.Services.AddSingleton<PipeConnectionHandler>();
        builder.Services.AddSingleton<PipeServer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PipeServer>());

        var app = builder.Build();
        app.MapTaskApi(options);
        try
        {
            await app.StartAsync(cancellationToken);
            await app.Services.GetRequiredService<PipeServer>().Listening.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or TimeoutException)
        {
            await app.DisposeAsync();
            throw new EngineStartupException(
                $"The engine could not listen on {options.HttpUrl} and pipe '{options.PipeName}': {ex.Message} " +
                "Is another program using that port? Choose another with --http-url or ACESTEP_HTTP_URL.", ex);
        }
        var ffmpeg = LocateFfmpeg(app.Logger);
        var host = new EngineHost(app, options, data, database, ffmpeg);
        app.Logger.LogInformation("Engine {Version} ready: http {HttpAddress}, pipe {PipeName}, data {DataDirectory}",
            Version, host.HttpAddress, options.PipeName, data.Root);
        return host;
    }

    /// <summary>Runs until the process is asked to stop (Ctrl+C, SIGTERM).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static FfmpegInstallation? LocateFfmpeg(ILogger logger)
    {
        // The engine still answers pings without FFmpeg; only tasks that need MP3/OGG/FLAC or decoding fail.
        try
        {
            var ffmpeg = FfmpegInstallation.Locate();
            logger.LogInformation("Using {FfmpegVersion} from {FfmpegFolder}", ffmpeg.Version, ffmpeg.Folder);
            return ffmpeg;
        }
        catch (FfmpegNotFoundException ex)
        {
            logger.LogWarning("{Problem}", ex.Message);
            return null;
        }
    }

    private static void ConfigureQuietConsole(ILoggingBuilder logging)
    {
        logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        });
        logging.SetMinimumLevel(LogLevel.Information);
        logging.AddFilter("Microsoft", LogLevel.Warning);
    }

    private static async Task EnsureNoOtherEngineAsync(string pipeName, CancellationToken cancellationToken)
    {
        // On Unix a second server would silently take over the socket path: refuse instead of stealing clients.
        try
        {
            await using var other = await EnginePipeClient.ConnectAsync(pipeName, TimeSpan.FromMilliseconds(300), cancellationToken);
            throw new EngineStartupException(
                $"Another engine (pid {other.Engine.ProcessId}, version {other.Engine.Version}) already serves pipe '{pipeName}'. " +
                "Stop it first, or start this one with another --pipe name.");
        }
        catch (EngineUnavailableException)
        {
            // Nobody listens: the name is free.
        }
        catch (PipeProtocolException ex)
        {
            throw new EngineStartupException(
                $"Something that is not this engine's protocol listens on pipe '{pipeName}' ({ex.Message}). Choose another --pipe name.", ex);
        }
    }
}

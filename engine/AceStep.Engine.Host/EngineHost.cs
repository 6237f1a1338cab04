using System.Reflection;
using AceStep.Engine.Generation;
using AceStep.Engine.Host.Delivery;
using AceStep.Engine.Host.Delivery.Outbound;
using AceStep.Engine.Host.Http;
using AceStep.Engine.Host.Inputs;
using AceStep.Engine.Host.Queue;
using AceStep.Engine.Host.Pipes;
using AceStep.Engine.Host.Sessions;
using AceStep.Engine.Host.Storage;
using AceStep.Engine.Host.Tasks;
using AceStep.Engine.Media;
using AceStep.Engine.Model.Weights;
using AceStep.Engine.Pipelines;
using AceStep.Engine.Torch;
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

    private EngineHost(WebApplication app, EngineOptions options, DataDirectory data, JobDatabase database)
    {
        _app = app;
        Options = options;
        Data = data;
        Database = database;
    }

    /// <summary>The FFmpeg the engine encodes and decodes with; null when none is installed.</summary>
    public FfmpegInstallation? Ffmpeg => Services<MediaTools>().Installation;

    /// <summary>The options the engine runs with.</summary>
    public EngineOptions Options { get; }

    /// <summary>The engine's files.</summary>
    public DataDirectory Data { get; }

    /// <summary>The job store.</summary>
    public JobDatabase Database { get; }

    /// <summary>The HTTP address actually bound (resolves port 0).</summary>
    public Uri HttpAddress =>
        new(_app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());

    /// <summary>A service of the running engine (tests inspect the queue and registry through this).</summary>
    public T Services<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>The engine's version string.</summary>
    public static string Version { get; } =
        typeof(EngineHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>
    /// Prepares storage and starts both servers. Throws <see cref="EngineStartupException"/> with a clear message
    /// when the data directory, the HTTP address or the pipe name cannot be used.
    /// </summary>
    /// <param name="options">Where and how to serve.</param>
    /// <param name="logging">Replaces the quiet console logging (tests pass their own or none).</param>
    /// <param name="services">Last-word service registrations, e.g. a test <see cref="IAudioGenerator"/>.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<EngineHost> StartAsync(EngineOptions options, Action<ILoggingBuilder>? logging = null,
        Action<IServiceCollection>? services = null, CancellationToken cancellationToken = default)
    {
        if (options.ApiKey is null && !HostNames.ListensOnLoopbackOnly(options.HttpUrl))
        {
            // Decided: refuse, not warn. A warning scrolls by; an open engine lets anyone on the network run tasks,
            // make the engine fetch URLs and delete media.
            throw new EngineStartupException(
                $"The engine would listen on {options.HttpUrl}, which other machines can reach, without an API key: anyone on the network " +
                "could run tasks, make it fetch URLs and delete media. Set an API key (--api-key KEY or ACESTEP_API_KEY), " +
                "or listen on a loopback address such as http://127.0.0.1:8001.");
        }
        var data = DataDirectory.Prepare(options.DataDirectory);
        var database = JobDatabase.Open(data.DatabasePath);
        PrivateFiles.RestrictFiles(data.Root, "jobs.db");   // the database and its -wal/-shm files: prompts and inputs
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

        var (ffmpeg, whyNoFfmpeg) = LocateFfmpeg();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(options.Queue);
        builder.Services.AddSingleton(data);
        builder.Services.AddSingleton(database);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new EngineIdentity("acestep-engine", Version, Environment.ProcessId));
        builder.Services.AddSingleton(FrameLimits.Default);
        builder.Services.AddSingleton(new MediaTools(ffmpeg, whyNoFfmpeg));
        builder.Services.AddSingleton<IAudioGenerator>(sp => options.DiagnosticTone is { } perStep
            ? new ToneGenerator(perStep)
            : new ModelAudioGenerator(new ModelStore.ModelLocator(data.ModelsDirectory),
                // libtorch loads with the first job, not at start-up: ping, uploads and analysis never pay for it.
                () => WeightLoadOptions.ForRuntime(TorchRuntime.Create(new TorchRuntimeOptions { Device = options.Device })),
                options.MemoryMode, options.Planner, PlannerLog(sp.GetRequiredService<ILoggerFactory>()), options.Dcw, options.Compute));
        builder.Services.AddSingleton<JobJournal>();
        builder.Services.AddSingleton<JobRecovery>();
        builder.Services.AddSingleton<Sweeper>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Sweeper>());
        builder.Services.AddSingleton(sp => new TaskRegistry(sp.GetRequiredService<TimeProvider>(), options.Queue.Retention));
        builder.Services.AddSingleton<TaskQueue>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TaskQueue>());
        builder.Services.AddSingleton<MediaFiles>();
        builder.Services.AddSingleton<MemoryRelief>();
        builder.Services.AddSingleton<EngineAddress>();
        builder.Services.AddSingleton<AudioFileEncoder>();
        builder.Services.AddSingleton<ResultEncoder>();
        builder.Services.AddSingleton(new RetryOptions());
        builder.Services.AddSingleton(_ => OutboundHttpClient.Create());
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddSingleton<UploadSender>();
        builder.Services.AddSingleton<ResultNotifier>();
        builder.Services.AddSingleton(new UrlAudioFetcher());
        builder.Services.AddSingleton<InputAudioResolver>();
        builder.Services.AddSingleton<ITaskHandler, PingHandler>();
        builder.Services.AddSingleton<ITaskHandler, AuthenticationHandler>();
        builder.Services.AddSingleton<ITaskHandler, AudioInferenceHandler>();
        builder.Services.AddSingleton<ITaskHandler, GetResponseHandler>();
        builder.Services.AddSingleton<ITaskHandler, CancelHandler>();
        builder.Services.AddSingleton<ITaskHandler, MediaStorageHandler>();
        builder.Services.AddSingleton<ITaskHandler, AudioAnalysisHandler>();
        builder.Services.AddSingleton(SessionLimits.Default);
        builder.Services.AddSingleton<SessionRegistry>();
        builder.Services.AddSingleton<ITaskHandler, PluginSessionHandler>();
        builder.Services.AddSingleton<TaskDispatcher>();
        builder.Services.AddSingleton<PipeConnectionHandler>();
        builder.Services.AddSingleton<PipeServer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PipeServer>());
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseEngineErrors(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AceStep.Engine.Host.Http"));
        app.UseHostGuard(options);
        app.MapTaskApi(options);
        app.MapMedia();
        app.MapControlPages(options);
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
        var host = new EngineHost(app, options, data, database);
        app.Services.GetRequiredService<EngineAddress>().Set(host.HttpAddress);
        // After the address is known (recovered URL results need it): tasks accepted before a crash run again.
        app.Services.GetRequiredService<JobRecovery>().Recover();
        if (whyNoFfmpeg is not null)
        {
            app.Logger.LogWarning("{Problem}", whyNoFfmpeg);
        }
        else
        {
            app.Logger.LogInformation("Using {FfmpegVersion} from {FfmpegFolder}", ffmpeg!.Version, ffmpeg.Folder);
        }
        // libtorch loads with the first model job; on Windows say now, not then, that its C++ runtime is missing.
        if (options.DiagnosticTone is null && VisualCppRuntime.Describe(VisualCppRuntime.Missing()) is { } noCppRuntime)
        {
            app.Logger.LogWarning("{Problem}", noCppRuntime);
        }
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

    /// <summary>The pipelines speak in plain lines (e.g. "the planner's LM is not installed: acestep models pull …"); they go to the engine log.</summary>
    private static Action<string> PlannerLog(ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("AceStep.Engine.Pipelines");
        return line => logger.LogInformation("{Line}", line);
    }

    private static (FfmpegInstallation? Ffmpeg, string? WhyMissing) LocateFfmpeg()
    {
        // The engine still starts without FFmpeg; only tasks that need compressed audio or resampling fail.
        try
        {
            return (FfmpegInstallation.Locate(), null);
        }
        catch (FfmpegNotFoundException ex)
        {
            return (null, ex.Message);
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

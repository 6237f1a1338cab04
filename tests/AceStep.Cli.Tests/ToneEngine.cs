using AceStep.Engine.Generation;
using AceStep.Engine.Host;
using AceStep.Engine.Pipelines.Planning;
using Microsoft.Extensions.DependencyInjection;

namespace AceStep.Cli.Tests;

/// <summary>
/// An engine started in-process by the test, on a private pipe and a temporary data directory, generating the
/// diagnostic tone (fast, deterministic, no model) at the length the real pipeline would.
/// </summary>
public sealed class ToneEngine : IAsyncLifetime
{
    public EngineHost Host { get; private set; } = null!;

    public string PipeName { get; } = "acestep-cli-test-" + Guid.NewGuid().ToString("N")[..10];

    public string Home { get; } = Path.Combine(Path.GetTempPath(), "acestep-cli-test-" + Guid.NewGuid().ToString("N")[..10]);

    /// <summary>Pause per denoising step.</summary>
    public TimeSpan PerStep { get; init; } = TimeSpan.FromMilliseconds(1);

    public async Task InitializeAsync()
    {
        var options = new EngineOptions
        {
            DataDirectory = Home,
            HttpUrl = "http://127.0.0.1:0",
            PipeName = PipeName,
            DiagnosticTone = PerStep,
        };
        Host = await EngineHost.StartAsync(options, logging: _ => { },
            services: s => s.AddSingleton<IAudioGenerator>(new PlannedLengthTone(new ToneGenerator(PerStep))));
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    /// <summary>
    /// The tone, cut or padded to the length <see cref="JobPlanner"/> plans (the diagnostic tone alone ignores a
    /// repaint's extension; the model pipeline does not).
    /// </summary>
    private sealed class PlannedLengthTone(ToneGenerator tone) : IAudioGenerator
    {
        public string? WhyUnavailable(string model) => null;

        public async Task<IReadOnlyList<GeneratedAudio>> GenerateAsync(GenerationJob job, IProgress<GenerationProgress> progress,
            CancellationToken cancellationToken)
        {
            var results = await tone.GenerateAsync(job, progress, cancellationToken);
            var samples = JobPlanner.Plan(job.Request, job.Source?.Frames ?? 0).OutputSamples;
            return results.Select(r =>
            {
                var fitted = new float[samples * 2];
                Array.Copy(r.Audio.Samples, fitted, Math.Min(fitted.Length, r.Audio.Samples.Length));
                return r with { Audio = new global::AceStep.Audio.AudioBuffer(fitted, r.Audio.SampleRate, 2) };
            }).ToArray();
        }
    }
}

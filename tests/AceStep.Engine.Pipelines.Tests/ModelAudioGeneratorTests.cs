using AceStep.Contracts.Tasks;
using AceStep.Engine.Generation;
using AceStep.Engine.Model.Weights;
using AceStep.Engine.ModelStore;

namespace AceStep.Engine.Pipelines.Tests;

public sealed class ModelAudioGeneratorTests(TinyModels tiny) : IClassFixture<TinyModels>
{
    [Fact]
    public void A_missing_model_names_the_commands_that_install_it()
    {
        // Input tried: an empty models directory.
        var empty = Path.Combine(Path.GetTempPath(), "acestep-empty-" + Guid.NewGuid().ToString("N"));
        using var generator = new ModelAudioGenerator(new ModelLocator(empty), () => new WeightLoadOptions());
        var why = generator.WhyUnavailable(AudioModelCatalog.Base.Id);
        Assert.NotNull(why);
        Assert.Contains("acestep models pull acestep-v15-base", why, StringComparison.Ordinal);
        Assert.Contains("acestep models pull Qwen3-Embedding-0.6B", why, StringComparison.Ordinal);
        Assert.Contains("acestep models pull vae", why, StringComparison.Ordinal);
        Assert.Contains("acestep-v15-turbo", generator.WhyUnavailable(AudioModelCatalog.Turbo.Id), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_models_installed_a_job_returns_one_48_khz_stereo_result_per_seed()
    {
        var options = 0;
        using var generator = new ModelAudioGenerator(new ModelLocator(tiny.Root), () =>
        {
            options++;
            return new WeightLoadOptions();
        });
        Assert.Null(generator.WhyUnavailable(AudioModelCatalog.Base.Id));
        Assert.Equal(0, options);     // nothing loads before the first job

        var request = PlannerTests.Request(JobKind.TextToMusic, duration: 6.5);
        var reports = new List<GenerationProgress>();
        var results = await generator.GenerateAsync(new GenerationJob(request, [1u, 2u], null), new SyncProgress(reports.Add), CancellationToken.None);

        Assert.Equal([1u, 2u], results.Select(r => r.Seed));
        Assert.All(results, r => Assert.Equal((48_000, 2, 312_000), (r.Audio.SampleRate, r.Audio.Channels, r.Audio.Frames)));
        Assert.Equal(1, options);
        Assert.Equal(1.0, reports[^1].Fraction, 9);
    }

    private sealed class SyncProgress(Action<GenerationProgress> report) : IProgress<GenerationProgress>
    {
        public void Report(GenerationProgress value) => report(value);
    }
}

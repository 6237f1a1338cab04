using System.Diagnostics;
using System.Globalization;
using AceStep.Contracts.Tasks;
using AceStep.Engine.Model.Weights;
using AceStep.Engine.Pipelines;
using AceStep.Engine.Pipelines.Planning;
using AceStep.Engine.Torch;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using static TorchSharp.torch;

namespace AceStep.Engine.Benchmarks;

/// <summary>
/// A 10 s text-to-music job at the real widths (random weights written as official-layout checkpoints, fp32 on the
/// CPU), 8 steps with APG guidance (CFG batch 2), through the engine's MusicPipeline, in each memory mode. Resident:
/// the models are loaded before the measured iteration, as in a warm engine. Sequential: the job loads and drops each
/// model itself, as every job in that mode does. Prints the stage breakdown (text encoder, VAE encode, DiT steps, VAE
/// decode) and reports the process's peak resident memory during the iteration. Run alone:
/// <c>--filter '*PipelineBenchmarks*'</c>.
/// </summary>
[Config(typeof(Config))]
[WarmupCount(0)]
[IterationCount(1)]
[InvocationCount(1)]
public class PipelineBenchmarks
{
    private static readonly Dictionary<MemoryMode, long> Peaks = [];
    private string _directory = string.Empty;
    private AceStepModels? _models;
    private JobPlan? _plan;

    [Params(MemoryMode.Resident, MemoryMode.Sequential)]
    public MemoryMode Mode { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var runtime = TorchRuntime.Create(new TorchRuntimeOptions { Device = TorchDevicePreference.Cpu });
        Console.WriteLine($"// {runtime.Info}");
        _directory = Path.Combine(Path.GetTempPath(), "acestep-pipeline-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        if (!File.Exists(Path.Combine(_directory, "vae", OobleckVaeFile)))
        {
            RealSizeCheckpoints.WriteDit(Path.Combine(_directory, "dit"));
            RealSizeCheckpoints.WriteTextEncoder(Path.Combine(_directory, "text"));
            RealSizeCheckpoints.WriteVae(Path.Combine(_directory, "vae"));
        }

        _plan = JobPlanner.Plan(new AudioInferenceRequest
        {
            TaskUuid = Guid.NewGuid(),
            Model = AudioModelCatalog.Base.Id,
            Kind = JobKind.TextToMusic,
            PositivePrompt = "warm lo-fi hip hop with soft piano and vinyl crackle",
            Duration = 10,
            Steps = 8,
            CfgScale = 7,
            Settings = new GenerationSettings { Bpm = 84, KeyScale = "F major", TimeSignature = 4, Lyrics = "[Instrumental]" },
        });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _models?.Dispose();
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }

    [IterationSetup]
    public void BeforeIteration()
    {
        _models?.Dispose();
        _models = new AceStepModels(new ModelPaths(Path.Combine(_directory, "dit"), Path.Combine(_directory, "text"), Path.Combine(_directory, "vae")),
            new WeightLoadOptions { DType = ScalarType.Float32 }, Mode);
        if (Mode == MemoryMode.Resident)
        {
            _ = (_models.TextEncoder, _models.Dit, _models.Vae, _models.Tokenizer, _models.SilenceLatent);
        }

        PeakMemory.Reset();
    }

    [IterationCleanup]
    public void AfterIteration()
    {
        Peaks[Mode] = PeakMemory.Read();
        Console.WriteLine($"// Peak resident memory ({Mode}): {Peaks[Mode] / 1e9:F2} GB");
        _models?.Dispose();
        _models = null;
    }

    [Benchmark(Description = "text-to-music 10 s, 8 steps, APG")]
    public void TextToMusic()
    {
        var stages = new StageClock();
        new MusicPipeline(_models!).Run(_plan!, [7u], null, stages.Report);
        stages.Stop();
        Console.WriteLine("// Stages (" + Mode + "): " + string.Join(", ", stages.Seconds.Select(s => $"{s.Key} {s.Value:F2} s")) +
            $" — DiT {stages.Seconds.GetValueOrDefault("diffusion") / 8:F2} s per step");
    }

    private const string OobleckVaeFile = "diffusion_pytorch_model.safetensors";

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new PeakRssColumn(c => c.Parameters["Mode"] is MemoryMode mode && Peaks.TryGetValue(mode, out var peak) ? peak : null));
    }
}

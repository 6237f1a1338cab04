using System.IO.Pipes;
using System.Text.Json.Nodes;
using AceStep.Benchmarks;
using AceStep.Engine.Generation;
using AceStep.Engine.Host;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.Extensions.DependencyInjection;

namespace AceStep.Pipes.Benchmarks;

/// <summary>
/// A take of <see cref="Seconds"/> s of 48 kHz stereo float32 sent to the engine and back, as the plugin does for a
/// repaint: through the raw framing (an echo server), and through the whole engine (a cover task whose generator
/// returns its source, PCM in and PCM out). The baseline copies the same bytes twice in-process, so Ratio and GB/s
/// compare the pipe with the memory system of the same run. GB/s counts the bytes of both directions.
/// Run: <c>dotnet run -c Release --project bench/AceStep.Pipes.Benchmarks -- --filter '*'</c>.
/// </summary>
[Config(typeof(Config))]
public class PipeRoundTripBenchmarks : IWorkSource
{
    private float[] _take = [];
    private byte[] _copyA = [];
    private byte[] _copyB = [];
    private ReadOnlyMemory<byte> _takeBytes;
    private NamedPipeServerStream? _echoServer;
    private NamedPipeClientStream? _echoClient;
    private FrameWriter? _echoWriter;
    private FrameReader? _echoReader;
    private Task _echo = Task.CompletedTask;
    private EngineHost? _engine;
    private EnginePipeClient? _client;

    /// <summary>Length of the take.</summary>
    [Params(60)]
    public int Seconds { get; set; } = 60;

    private long Bytes => (long)Seconds * 48_000 * 2 * sizeof(float);

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _take = new float[Bytes / sizeof(float)];
        var random = new Random(1);
        for (var i = 0; i < _take.Length; i++)
        {
            _take[i] = (float)(random.NextDouble() - 0.5);
        }
        _takeBytes = Attachments.FromSamples(_take);
        _copyA = new byte[Bytes];
        _copyB = new byte[Bytes];
        Array.Fill(_copyB, (byte)1);   // fault the pages in before measuring

        var echoName = "acestep-bench-echo-" + Guid.NewGuid().ToString("N")[..8];
        _echoServer = new NamedPipeServerStream(echoName, PipeDirection.InOut, 1, PipeTransmissionMode.Byte, PipeOptions.Asynchronous);
        var accepted = _echoServer.WaitForConnectionAsync();
        _echoClient = new NamedPipeClientStream(".", echoName, PipeDirection.InOut, PipeOptions.Asynchronous);
        await _echoClient.ConnectAsync();
        await accepted;
        _echo = EchoAsync(_echoServer);
        _echoWriter = new FrameWriter(_echoClient);
        _echoReader = new FrameReader(_echoClient);

        var home = Path.Combine(Path.GetTempPath(), "acestep-bench-" + Guid.NewGuid().ToString("N")[..8]);
        _engine = await EngineHost.StartAsync(
            new EngineOptions { DataDirectory = home, HttpUrl = "http://127.0.0.1:0", PipeName = "acestep-bench-" + Guid.NewGuid().ToString("N")[..8] },
            logging: _ => { }, services: s => s.AddSingleton<IAudioGenerator>(new PassThroughGenerator()));
        _client = await EnginePipeClient.ConnectAsync(_engine.Options.PipeName);
    }

    private static async Task EchoAsync(Stream server)
    {
        var reader = new FrameReader(server);
        using var writer = new FrameWriter(server);
        while (await reader.ReadAsync(CancellationToken.None) is { } frame)
        {
            using (frame)
            {
                var (id, bytes) = Attachments.Split(frame.Payload);
                await writer.WriteAttachmentAsync(id, bytes, CancellationToken.None);
            }
        }
    }

    /// <summary>The same bytes copied there and back in memory.</summary>
    [Benchmark(Baseline = true)]
    public byte InProcessCopy()
    {
        _takeBytes.Span.CopyTo(_copyA);
        _copyA.AsSpan().CopyTo(_copyB);
        return _copyB[^1];
    }

    /// <summary>One Attachment frame to an echo server and back.</summary>
    [Benchmark]
    public int RawFramingRoundTrip() => RawAsync().GetAwaiter().GetResult();

    private async Task<int> RawAsync()
    {
        await _echoWriter!.WriteAttachmentAsync(1, _takeBytes, CancellationToken.None);
        using var frame = await _echoReader!.ReadAsync(CancellationToken.None);
        return frame!.Length;
    }

    /// <summary>A cover task through the engine: PCM attachment in, validation, queue, PCM attachment out.</summary>
    [Benchmark]
    public int EngineRoundTrip() => EngineAsync().GetAwaiter().GetResult();

    private async Task<int> EngineAsync()
    {
        var id = _client!.NextAttachmentId();
        var task = new JsonObject
        {
            ["taskType"] = "audioInference",
            ["taskUUID"] = Guid.NewGuid().ToString(),
            ["model"] = "runware:ace-step@v1.5-base",
            ["positivePrompt"] = "the same take, unchanged",
            ["inputs"] = new JsonObject { ["audio"] = $"attachment:{id}" },
            ["outputType"] = "attachment",
            ["outputFormat"] = "PCM_F32",
        };
        using var reply = await _client.SendAsync(new PipeRequest([task],
            [new OutgoingAttachment(new AttachmentInfo(id, AttachmentInfo.PcmF32, 48_000, 2), _takeBytes)]));
        var attachment = reply.Attachments.Values.Single();
        return attachment.Bytes.Length == Bytes ? attachment.Bytes.Length : throw new InvalidOperationException("the round trip lost bytes");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _engine?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _echoClient?.Dispose();
        _echo.Wait(TimeSpan.FromSeconds(5));
        _echoServer?.Dispose();
        _echoWriter?.Dispose();
    }

    /// <inheritdoc />
    public double Work(string method, string column) => column == "GB/s" ? 2.0 * Bytes : 0;

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            // Forced collections between iterations make ArrayPool drop its 23 MB buffers, so every iteration would
            // pay for faulting fresh pages in: not what a producer sees between takes, when the pool is warm.
            AddJob(Job.ShortRun.WithGcForce(false).WithIterationCount(15).WithToolchain(InProcessEmitToolchain.Instance).WithId("WarmPool"));
            AddColumn(new ThroughputColumn("GB/s"));
            AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default);
        }
    }

    /// <summary>Returns its source unchanged, so the benchmark measures everything but the model.</summary>
    private sealed class PassThroughGenerator : IAudioGenerator
    {
        public string? WhyUnavailable(string model) => null;

        public Task<IReadOnlyList<GeneratedAudio>> GenerateAsync(GenerationJob job, IProgress<GenerationProgress> progress, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<GeneratedAudio>>(job.Seeds.Select(s => new GeneratedAudio(job.Source!, s)).ToArray());
    }
}

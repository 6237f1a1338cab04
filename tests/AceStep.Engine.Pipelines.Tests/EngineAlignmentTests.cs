using System.Text.Json.Nodes;
using AceStep.Audio;
using AceStep.Engine.Host;
using AceStep.Pipes;

namespace AceStep.Engine.Pipelines.Tests;

/// <summary>
/// What the plugin relies on, through a real engine with the tiny models installed in its home: a repaint sent over the
/// pipe at the host's rate comes back at that rate covering exactly the submitted span (plus any extension), for spans
/// that are not multiples of the VAE hop.
/// </summary>
public sealed class EngineAlignmentTests : IAsyncLifetime
{
    private readonly string _home = Path.Combine(Path.GetTempPath(), "acestep-align-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly string _pipe = "acestep-align-" + Guid.NewGuid().ToString("N")[..10];
    private EngineHost? _engine;

    public async Task InitializeAsync()
    {
        TinyModels.WriteTo(Path.Combine(_home, "models"));

        _engine = await EngineHost.StartAsync(new EngineOptions
        {
            DataDirectory = _home,
            HttpUrl = "http://127.0.0.1:0",
            PipeName = _pipe,
        }, logging: _ => { });
    }

    public async Task DisposeAsync()
    {
        if (_engine is not null)
            await _engine.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_home, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static AudioBuffer Take(int rate, int frames)
    {
        var samples = new float[frames * 2];
        for (var i = 0; i < frames; i++)
        {
            samples[2 * i] = 0.4f * MathF.Sin(2 * MathF.PI * 220 * i / rate);
            samples[(2 * i) + 1] = 0.3f * MathF.Sin(2 * MathF.PI * 331 * i / rate);
        }

        return new AudioBuffer(samples, rate, 2);
    }

    [Theory]
    [InlineData(44_100, 2.0, 3.0, false)]
    [InlineData(48_000, 2.0, 3.0, false)]
    [InlineData(88_200, 2.0, 3.0, false)]
    [InlineData(96_000, 2.0, 3.0, false)]
    [InlineData(44_100, 5.5, 7.0, true)]      // ends at 7 s, past the 6.3 s take: extended to exactly 7 s
    [InlineData(96_000, 5.5, 7.0, true)]
    public Task A_repaint_at_the_host_rate_returns_exactly_the_submitted_span(int rate, double start, double end, bool extends) =>
        AssertSpanAligned(rate, start, end, extends, new JsonObject { ["repaintingStart"] = start, ["repaintingEnd"] = end });

    [Theory]
    [InlineData(44_100, 2.0, 3.0, false)]
    [InlineData(96_000, 5.5, 7.0, true)]
    public Task A_lego_at_the_host_rate_returns_exactly_the_submitted_span(int rate, double start, double end, bool extends) =>
        // settings.task lego (drums) over the span, through the pipe and the model pipeline: laid out like a repaint.
        AssertSpanAligned(rate, start, end, extends,
            new JsonObject { ["task"] = "lego", ["trackName"] = "drums", ["repaintingStart"] = start, ["repaintingEnd"] = end });

    private async Task AssertSpanAligned(int rate, double start, double end, bool extends, JsonObject settings)
    {
        var frames = (int)(6.3 * rate) + 37;                                                    // not a multiple of anything
        var take = Take(rate, frames);
        await using var client = await EnginePipeClient.ConnectAsync(_pipe);
        var id = client.NextAttachmentId();
        var task = new JsonObject
        {
            ["taskType"] = "audioInference",
            ["taskUUID"] = Guid.NewGuid().ToString(),
            ["model"] = "runware:ace-step@v1.5-base",
            ["positivePrompt"] = "warm synth-pop",
            ["steps"] = 4,
            ["inputs"] = new JsonObject { ["audio"] = $"attachment:{id}" },
            ["settings"] = settings,
            ["outputType"] = "attachment",
            ["outputFormat"] = "PCM_F32",
            ["audioSettings"] = new JsonObject { ["sampleRate"] = rate, ["channels"] = 2 },
        };
        var reply = await client.SendAsync(new PipeRequest([task],
            [new OutgoingAttachment(new AttachmentInfo(id, AttachmentInfo.PcmF32, rate, 2), Attachments.FromSamples(take.Samples))]));

        Assert.Null(reply.Reply.Errors);
        var item = reply.Reply.Data!.Single();
        var attachment = reply.Attachments[(uint)(int)item["audioAttachment"]!];
        Assert.Equal(rate, attachment.Info.SampleRate);
        var result = Attachments.ToSamples(attachment.Bytes.Span);
        var expectedFrames = extends ? (int)Math.Round(end * rate) : frames;
        Assert.Equal(expectedFrames * 2, result.Length);

        // Well before the span the audio is the take (through the 48 kHz round trip of the resampler).
        var safe = (int)((start - 0.2) * rate);
        var worst = 0f;
        for (var i = 2 * rate / 10; i < safe * 2; i++)
            worst = Math.Max(worst, Math.Abs(result[i] - take.Samples[i]));
        Assert.True(worst < 2e-3f, $"Outside the span the take changed by up to {worst}.");
    }
}

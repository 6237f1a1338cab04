using System.Text.Json;
using AceStep.Contracts.Tasks;
using AceStep.Engine.Pipelines.Planning;
using AceStep.Engine.Text.Prompts;
using static TorchSharp.torch;

namespace AceStep.Engine.Parity.Tests;

/// <summary>
/// Lego, extract and complete (and a repaint beside them) against upstream's own code (Goldens/stem-jobs.json, written
/// by scripts/parity/make_stem_goldens.py): the instruction and caption prompt strings, the chunk mask, the cover flag,
/// and which latent frames of the DiT's context hold the source and which silence.
/// </summary>
public sealed class StemJobParityTests
{
    private static readonly Lazy<JsonDocument> s_document =
        new(() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Goldens.Directory, "stem-jobs.json"))));

    private static JsonElement Root => s_document.Value.RootElement;

    public static TheoryData<string> Cases => new(Root.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()!));

    private static JsonElement Case(string name) => Root.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static int SourceSamples => (int)(Root.GetProperty("source_seconds").GetDouble() * JobPlanner.SampleRate);

    // The engine's request for the golden's upstream call.
    private static AudioInferenceRequest Request(JsonElement golden)
    {
        var kind = golden.GetProperty("task_type").GetString() switch
        {
            "lego" => JobKind.Lego,
            "extract" => JobKind.Extract,
            "complete" => JobKind.Complete,
            "repaint" => JobKind.Repaint,
            var other => throw new InvalidOperationException($"No engine job for upstream task {other}."),
        };
        double? start = null, end = null;
        if (golden.GetProperty("repainting") is { ValueKind: JsonValueKind.Array } span)
        {
            start = span[0].GetDouble();
            end = span[1].GetDouble();
        }
        return new AudioInferenceRequest
        {
            TaskUuid = Guid.NewGuid(),
            Model = AudioModelCatalog.Base.Id,
            Kind = kind,
            PositivePrompt = Root.GetProperty("caption").GetString()!,
            Steps = 8,
            CfgScale = 1,
            Settings = new GenerationSettings
            {
                Bpm = Root.GetProperty("bpm").GetInt32(),
                KeyScale = Root.GetProperty("key_scale").GetString(),
                TimeSignature = Root.GetProperty("time_signature").GetInt32(),
                RepaintingStart = start,
                RepaintingEnd = end,
                TrackName = golden.GetProperty("track_name").GetString(),
                TrackClasses = golden.GetProperty("track_classes") is { ValueKind: JsonValueKind.Array } classes
                    ? classes.EnumerateArray().Select(c => c.GetString()!).ToArray()
                    : null,
            },
        };
    }

    [Fact]
    public void The_track_names_are_upstreams_list_in_its_order() =>
        Assert.Equal(Root.GetProperty("track_names").EnumerateArray().Select(t => t.GetString()), StemTracks.All);

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_instruction_and_caption_prompt_are_upstreams_strings(string name)
    {
        var golden = Case(name);
        var plan = JobPlanner.Plan(Request(golden), SourceSamples);
        Assert.Equal(golden.GetProperty("caption").GetString(), plan.CaptionPrompt);
        Assert.StartsWith("# Instruction\n" + golden.GetProperty("instruction").GetString() + "\n", plan.CaptionPrompt, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_chunk_mask_cover_flag_and_context_are_upstreams(string name)
    {
        var golden = Case(name);
        var plan = JobPlanner.Plan(Request(golden), SourceSamples);
        var frames = Root.GetProperty("frames").GetInt32();
        Assert.Equal(frames, plan.Frames);
        using var scope = NewDisposeScope();
        var generator = new TorchSharp.torch.Generator(21);
        var source = randn(1, frames, 64, generator: generator);
        var silence = randn(1, frames, 64, generator: generator);

        var target = JobTarget.For(plan, source, silence, batch: 1);

        var mask = target.ChunkMask[0].to(ScalarType.Int64).data<long>().Select(v => (int)v).ToArray();
        Assert.Equal(golden.GetProperty("chunk_mask").EnumerateArray().Select(v => v.GetInt32()), mask);
        Assert.Equal(golden.GetProperty("is_cover").GetBoolean(), target.IsCover[0]);
        var context = string.Concat(Enumerable.Range(0, frames).Select(f =>
            target.SourceLatents[0, f].eq(source[0, f]).all().item<bool>() ? 'S' : target.SourceLatents[0, f].eq(silence[0, f]).all().item<bool>() ? 'Z' : '?'));
        Assert.Equal(golden.GetProperty("context").GetString(), context);
    }
}

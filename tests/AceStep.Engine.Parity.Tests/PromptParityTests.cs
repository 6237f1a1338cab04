using System.Text.Json;
using AceStep.Contracts.Tasks;
using AceStep.Engine.Pipelines.Planning;
using AceStep.Engine.Text.Prompts;
using AceStep.Engine.Text.Tokenization;
using AceStep.Tests.Shared;

namespace AceStep.Engine.Parity.Tests;

/// <summary>
/// The prompt strings of the user's API document's example requests (Goldens/api-examples.json) against upstream's own
/// formatting (SFT_GEN_PROMPT, _dict_to_meta_string, _format_lyrics, _format_metadata_as_cot), and their token ids on
/// the real Qwen3 vocabulary against transformers.js with the Qwen3-Embedding post-processor.
/// </summary>
public sealed class PromptParityTests
{
    public static TheoryData<string> Examples => new(Goldens.Manifest.GetProperty("prompts").EnumerateArray().Select(p => p.GetProperty("name").GetString()!));

    private static JsonElement Golden(string name) =>
        Goldens.Manifest.GetProperty("prompts").EnumerateArray().Single(p => p.GetProperty("name").GetString() == name);

    private static AudioInferenceRequest Request(string name)
    {
        using var examples = JsonDocument.Parse(File.ReadAllText(Path.Combine(Goldens.Directory, "api-examples.json")));
        var e = examples.RootElement.EnumerateArray().Single(x => x.GetProperty("name").GetString() == name);
        return new AudioInferenceRequest
        {
            TaskUuid = Guid.NewGuid(),
            Model = AudioModelCatalog.Base.Id,
            Kind = JobKind.TextToMusic,
            PositivePrompt = e.GetProperty("positivePrompt").GetString()!,
            NegativePrompt = e.GetProperty("negativePrompt").GetString(),
            Duration = e.GetProperty("duration").GetDouble(),
            Steps = e.GetProperty("steps").GetInt32(),
            CfgScale = e.GetProperty("CFGScale").GetDouble(),
            Settings = new GenerationSettings
            {
                Bpm = e.GetProperty("bpm").GetInt32(),
                KeyScale = e.GetProperty("keyScale").GetString(),
                TimeSignature = e.GetProperty("timeSignature").GetInt32(),
                VocalLanguage = e.GetProperty("vocalLanguage").GetString()!,
                Lyrics = e.GetProperty("lyrics").GetString(),
            },
        };
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void The_dit_prompts_are_upstreams_strings(string name)
    {
        var plan = JobPlanner.Plan(Request(name));
        var golden = Golden(name);
        Assert.Equal(golden.GetProperty("caption").GetString(), plan.CaptionPrompt);
        Assert.Equal(golden.GetProperty("negative_caption").GetString(), plan.NegativeCaptionPrompt);
        Assert.Equal(golden.GetProperty("lyrics").GetString(), plan.LyricPrompt);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void With_all_four_fields_given_the_planner_skips_phase_1_with_upstreams_think_block(string name)
    {
        var ask = JobPlanner.PlannerRequest(Request(name));
        Assert.True(LmPlanner.SkipsMetadataPhase(ask.Forced));
        Assert.Equal(Golden(name).GetProperty("planner_cot_all_four_given").GetString(), LmPlanner.SkippedPhaseMetadata(ask.Forced).ToCotText());
    }

    [RealQwen3TokenizerFact]
    public void The_prompts_token_ids_on_the_real_vocabulary_are_transformers_js_ones()
    {
        using var files = Qwen3TokenizerCopy.WithPostProcessor(File.ReadAllText(Path.Combine(Goldens.Directory, "qwen3-embedding-post-processor.json")));
        var tokenizer = QwenTokenizer.Load(files.Path);
        foreach (var prompt in Goldens.Manifest.GetProperty("prompts").EnumerateArray())
        {
            var ids = prompt.GetProperty("token_ids");
            int[] Expected(string key) => [.. ids.GetProperty(key).EnumerateArray().Select(i => i.GetInt32())];
            var caption = tokenizer.Encode(prompt.GetProperty("caption").GetString()!, ConditioningPrompts.CaptionMaxTokens, addSpecialTokens: true);
            var negative = tokenizer.Encode(prompt.GetProperty("negative_caption").GetString()!, ConditioningPrompts.CaptionMaxTokens, addSpecialTokens: true);
            var lyrics = tokenizer.Encode(prompt.GetProperty("lyrics").GetString()!, ConditioningPrompts.LyricsMaxTokens, addSpecialTokens: true);
            Assert.Equal(Expected("caption"), caption);
            Assert.Equal(Expected("negative_caption"), negative);
            Assert.Equal(Expected("lyrics"), lyrics);
        }
    }
}

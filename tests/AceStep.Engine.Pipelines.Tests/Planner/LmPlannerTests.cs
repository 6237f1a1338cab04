using AceStep.Contracts.Tasks;
using AceStep.Engine.Model.Lm;
using AceStep.Engine.Model.Weights;
using AceStep.Engine.Pipelines.Planning;
using AceStep.Engine.Text.Tests.Tokenization;
using AceStep.Engine.Text.Tokenization;

namespace AceStep.Engine.Pipelines.Tests.Planner;

/// <summary>Both planner phases on a tiny LM with the tiny tokenizer (100 audio codes).</summary>
public sealed class LmPlannerTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "acestep-lm-" + Guid.NewGuid().ToString("N"));
    private readonly Qwen3CausalLm _model;
    private readonly LmPlanner _planner;

    public LmPlannerTests()
    {
        TinyModels.WriteLm(_directory, seed: 44);
        _model = Qwen3CausalLm.Load(_directory, new WeightLoadOptions());
        _planner = new LmPlanner(_model, QwenTokenizer.Load(_directory), new LmSamplingOptions(),
            new MetadataGrammarValues { Languages = VocalLanguages.All, MaxCaptionTokens = 8 });
    }

    public void Dispose()
    {
        _planner.Dispose();
        _model.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static LmPlanRequest Request(CotMetadata forced, double seconds = 6.3) =>
        new("warm lo-fi piano", "[Instrumental]", forced, seconds);

    [Fact]
    public void Every_result_gets_exactly_five_valid_codes_per_second_after_a_block_with_the_forced_values_verbatim()
    {
        // Three of upstream's four has_all_metas fields: phase 1 runs and writes the caption and language itself.
        var forced = new CotMetadata { Bpm = 90, Duration = 6, TimeSignature = 4 };
        var plan = _planner.Plan(Request(forced), [1u, 2u]);

        Assert.Equal(2, plan.Codes.Count);
        Assert.All(plan.Codes, c => Assert.Equal(31, c.Length));                    // ⌊6.3 · 5⌋
        Assert.All(plan.Codes, c => Assert.All(c, k => Assert.InRange(k, 0, TinyQwenTokenizer.AudioCodes - 1)));
        Assert.StartsWith("<think>\nbpm: 90\ncaption: ", plan.CotText, StringComparison.Ordinal);
        Assert.Contains("\nduration: 6\nkeyscale: ", plan.CotText, StringComparison.Ordinal);
        Assert.Matches("\nlanguage: [a-z]+\ntimesignature: 4\n</think>$", plan.CotText);
        Assert.Equal(forced with { Caption = plan.Metadata.Caption, KeyScale = plan.Metadata.KeyScale, Language = plan.Metadata.Language }, plan.Metadata);
        Assert.False(string.IsNullOrWhiteSpace(plan.Metadata.Caption));
        Assert.Contains(plan.Metadata.Language, VocalLanguages.All);
    }

    [Fact]
    public void With_bpm_key_time_signature_and_duration_given_phase_1_is_skipped_and_the_block_holds_those_four()
    {
        // Upstream's has_all_metas: no CoT generation; the phase-2 block is the four fields, no caption, no language.
        var forced = new CotMetadata { Bpm = 90, Duration = 6, KeyScale = "A minor", TimeSignature = 4 };
        Assert.True(LmPlanner.SkipsMetadataPhase(forced));
        var reports = new List<double>();
        var plan = _planner.Plan(Request(forced), [1u, 2u], reports.Add);

        Assert.Equal("<think>\nbpm: 90\nduration: 6\nkeyscale: A minor\ntimesignature: 4\n</think>", plan.CotText);
        Assert.Equal(forced, plan.Metadata);
        Assert.All(plan.Codes, c => Assert.Equal(31, c.Length));
        Assert.False(LmPlanner.SkipsMetadataPhase(forced with { KeyScale = null }));
        Assert.False(LmPlanner.SkipsMetadataPhase(new CotMetadata { Bpm = 90, KeyScale = "A minor", TimeSignature = 4 }));
    }

    [Fact]
    public void Fields_the_request_leaves_empty_are_generated_from_the_allowed_values()
    {
        var plan = _planner.Plan(Request(new CotMetadata { Duration = 6 }), [7u]);

        Assert.InRange(plan.Metadata.Bpm!.Value, 30, 300);
        Assert.Contains(plan.Metadata.KeyScale, MetadataGrammarValues.AllKeyScales);
        Assert.Contains(plan.Metadata.TimeSignature!.Value, new[] { 2, 3, 4, 6 });
        Assert.Equal(6, plan.Metadata.Duration);
    }

    [Fact]
    public void The_same_seeds_give_the_same_plan_and_another_seed_other_codes()
    {
        var request = Request(new CotMetadata { Duration = 6 }, seconds: 4);
        var first = _planner.Plan(request, [5u, 6u]);
        var again = _planner.Plan(request, [5u, 6u]);
        var other = _planner.Plan(request, [8u, 6u]);

        Assert.Equal(first.CotText, again.CotText);
        Assert.Equal(first.Codes, again.Codes);

        // Whether two seeds differ depends on how peaked the tiny model is after guidance and top-p; with the whole
        // distribution (no guidance, top-p 1, temperature 1) 31 draws from 100 codes differ unless the seed is ignored.
        using var open = new LmPlanner(_model, QwenTokenizer.Load(_directory), new LmSamplingOptions { CfgScale = 1, TopP = 1, Temperature = 1 },
            new MetadataGrammarValues { Languages = VocalLanguages.All, MaxCaptionTokens = 8 });
        var spread = open.Plan(request, [5u, 6u]);
        var otherSpread = open.Plan(request, [8u, 6u]);
        Assert.NotEqual(spread.Codes[0], spread.Codes[1]);                         // each result its own seed
        Assert.NotEqual(spread.Codes[0], otherSpread.Codes[0]);
    }

    [Fact]
    public void Progress_rises_to_one_and_a_cancelled_token_stops_planning()
    {
        var reports = new List<double>();
        _planner.Plan(Request(new CotMetadata { Duration = 6 }, seconds: 6), [3u], reports.Add);
        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.Second >= p.First), string.Join(", ", reports));
        Assert.Equal(1.0, reports[^1], 9);
        Assert.True(reports.Count > 3);

        // Input tried: a token cancelled before planning starts.
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => _planner.Plan(Request(new CotMetadata()), [3u], cancellationToken: cancelled.Token));
    }

    [Fact]
    public void A_duration_below_one_code_is_refused()
    {
        // Input tried: 0.1 s, which is less than one 5 Hz code.
        Assert.Throws<ArgumentOutOfRangeException>(() => _planner.Plan(Request(new CotMetadata(), seconds: 0.1), [1u]));
    }
}

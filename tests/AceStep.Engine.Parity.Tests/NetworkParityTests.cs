using System.Text.Json;
using AceStep.Engine.Model.Conditioning;
using AceStep.Engine.Model.Config;
using AceStep.Engine.Model.Dit;
using AceStep.Engine.Model.Generation;
using AceStep.Engine.Model.Lm;
using AceStep.Engine.Model.Qwen;
using AceStep.Engine.Model.Weights;
using AceStep.Engine.Vae;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Parity.Tests;

/// <summary>
/// The engine's network stages against upstream's own model classes (<c>AceStepDiTModel</c>,
/// <c>AceStepConditionEncoder</c>, <c>AceStepAudioTokenizer</c> with vector-quantize-pytorch's <c>ResidualFSQ</c>,
/// <c>AudioTokenDetokenizer</c>), transformers' <c>Qwen3Model</c> and <c>Qwen3ForCausalLM</c>, and diffusers'
/// <c>AutoencoderOobleck</c> (whole, tiled by upstream's handler <c>tiled_decode</c>/<c>tiled_encode</c>, and its
/// posterior <c>sample()</c> after <c>torch.manual_seed</c>), run by
/// scripts/parity/make_network_goldens.py on the small random-weight checkpoint
/// committed beside the goldens (Goldens/network/checkpoint and Goldens/network/vae, the official config keys and
/// tensor names), fp32 on the CPU.
/// </summary>
public sealed class NetworkParityTests
{
    private static readonly string s_directory = Path.Combine(Goldens.Directory, "network");
    private static readonly string s_checkpoint = Path.Combine(s_directory, "checkpoint");

    private static readonly Lazy<JsonDocument> s_manifest =
        new(() => JsonDocument.Parse(File.ReadAllText(Path.Combine(s_directory, "manifest.json"))));

    // Per stage in the manifest; docs/parity.md says why (fp32 accumulation order on ≤ 4 layers).
    private static double Tolerance =>
        s_manifest.Value.RootElement.GetProperty("tolerances").GetProperty("max_abs_relative_to_peak").GetDouble();

    // The goldens must be the files the manifest describes (a hand-edited or partly regenerated set fails here).
    private static void AssertAsWritten(string path, string expectedSha256)
    {
        using var stream = File.OpenRead(path);
        Assert.Equal(expectedSha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream)));
    }

    private static Dictionary<string, Tensor> Case(string name)
    {
        var root = s_manifest.Value.RootElement;
        AssertAsWritten(Path.Combine(s_directory, name + ".safetensors"),
            root.GetProperty("cases").GetProperty(name).GetProperty("sha256").GetString()!);
        AssertAsWritten(Path.Combine(s_checkpoint, "model.safetensors"), root.GetProperty("checkpoint_sha256").GetString()!);
        using var file = SafetensorsFile.Open(Path.Combine(s_directory, name + ".safetensors"));
        return file.Tensors.Keys.ToDictionary(k => k, k => file.ReadTensor(k, ScalarType.Float32));
    }

    private static T Loaded<T>(T module, string prefix) where T : nn.Module
    {
        using var checkpoint = CheckpointIndex.Open(s_checkpoint);
        WeightLoader.Load(module, checkpoint, prefix, new WeightLoadOptions());
        module.eval();
        return module;
    }

    private static double MaxRelative(Tensor actual, Tensor expected) =>
        (actual - expected).abs().max().item<float>() / (double)expected.abs().max().item<float>();

    [Fact]
    public void The_dit_decoder_matches_upstreams_AceStepDiTModel_past_the_sliding_window_on_an_odd_length()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var config = AceStepConfig.Load(Path.Combine(s_checkpoint, "config.json"));
        using var decoder = Loaded(new DitDecoder(config.DecoderOptions), "decoder.");
        var g = Case("dit-forward");

        var velocity = decoder.Forward(g["xt"], g["t"], g["r"], g["encoder_states"], g["context"]);

        Assert.Equal(g["out"].shape, velocity.shape);
        var error = MaxRelative(velocity, g["out"]);
        Assert.True(error < Tolerance, $"DiT forward on 301 frames (151 patches, window 128), t = 0.7, r = 0.25: max relative error {error:E2} ≥ {Tolerance:E0}");
    }

    [Fact]
    public void The_condition_encoder_matches_upstreams_AceStepConditionEncoder_with_padding_and_two_clips_on_one_item()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var config = AceStepConfig.Load(Path.Combine(s_checkpoint, "config.json"));
        using var encoder = Loaded(new ConditionEncoder(config), "encoder.");
        var g = Case("condition-encoder");
        var owners = g["ref_owner"].data<float>().Select(o => (int)o).ToArray();
        var inputs = new ConditionInputs(g["text"], g["text_mask"].to_type(ScalarType.Int64), g["lyric"],
            g["lyric_mask"].to_type(ScalarType.Int64), g["refs"], owners);

        var (hidden, mask) = encoder.Forward(inputs);

        Assert.Equal(g["out"].shape, hidden.shape);
        Assert.Equal(g["out_mask"].data<float>().ToArray(), mask.to_type(ScalarType.Float32).data<float>().ToArray());
        var error = MaxRelative(hidden, g["out"]);
        Assert.True(error < Tolerance, $"condition encoder (2 items, caption and lyric padding, clips owned [0, 0, 1]): max relative error {error:E2} ≥ {Tolerance:E0}");
    }

    [Fact]
    public void The_vae_decoder_matches_diffusers_AutoencoderOobleck_decode_untiled()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        AssertAsWritten(Path.Combine(s_directory, "vae", OobleckVae.WeightsFileName),
            s_manifest.Value.RootElement.GetProperty("vae_sha256").GetString()!);
        using var vae = OobleckVae.FromDirectory(Path.Combine(s_directory, "vae"));
        var g = Case("vae-decode");

        var audio = vae.Decode(g["latents"]);

        Assert.Equal(g["out"].shape, audio.shape);
        var error = MaxRelative(audio, g["out"]);
        Assert.True(error < Tolerance, $"VAE decode of 5 latent frames (hop 1920, random Snake α/β): max relative error {error:E2} ≥ {Tolerance:E0}");
    }

    // The sizes upstream's handler was called with (manifest upstream_handler); the engine gets the same numbers.
    private static JsonElement Handler(string name) =>
        s_manifest.Value.RootElement.GetProperty("upstream_handler").GetProperty(name);

    private static OobleckVae GoldenVae()
    {
        AssertAsWritten(Path.Combine(s_directory, "vae", OobleckVae.WeightsFileName),
            s_manifest.Value.RootElement.GetProperty("vae_sha256").GetString()!);
        return OobleckVae.FromDirectory(Path.Combine(s_directory, "vae"));
    }

    [Fact]
    public void The_tiled_vae_decode_matches_upstreams_handler_tiled_decode_seam_for_seam()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var vae = GoldenVae();
        var g = Case("vae-decode-tiled");
        var sizes = Handler("tiled_decode");
        var tiling = new OobleckTiling
        {
            DecodeChunkFrames = sizes.GetProperty("chunk_size").GetInt32(),
            DecodeOverlapFrames = sizes.GetProperty("overlap").GetInt32(),
        };

        var tiled = vae.Decode(g["latents"], tiling);
        var untiled = vae.Decode(g["latents"], OobleckTiling.None);

        Assert.Equal(g["out"].shape, tiled.shape);
        var error = MaxRelative(tiled, g["out"]);
        var seams = MaxRelative(untiled, g["out"]);
        // The context (4 frames) is shorter than the decoder's reach (9), so the seams show: the untiled decode must
        // miss the golden by far more than the tolerance, or this case would not be testing the tiling at all.
        Assert.True(error < Tolerance && seams > 10 * Tolerance,
            $"tiled VAE decode of 13 frames, chunk {tiling.DecodeChunkFrames} / overlap {tiling.DecodeOverlapFrames} (4 windows): " +
            $"max relative error {error:E2} (limit {Tolerance:E0}); the untiled decode is {seams:E2} away (must exceed {10 * Tolerance:E0})");
    }

    [Fact]
    public void The_tiled_vae_encode_matches_upstreams_handler_tiled_encode_mean_seam_for_seam()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var vae = GoldenVae();
        var g = Case("vae-encode-tiled");
        var sizes = Handler("tiled_encode");
        var rate = (double)vae.Config.SamplingRate;
        var tiling = new OobleckTiling
        {
            EncodeChunkSeconds = sizes.GetProperty("chunk_size").GetInt32() / rate,
            EncodeOverlapSeconds = sizes.GetProperty("overlap").GetInt32() / rate,
        };

        // Upstream's tiles sampled with zero noise (manifest): its result is the tiled posterior mean.
        var tiled = vae.Encode(g["audio"], tiling);
        var untiled = vae.Encode(g["audio"], OobleckTiling.None);

        Assert.Equal(g["mean"].shape, tiled.shape);
        var error = MaxRelative(tiled, g["mean"]);
        var seams = MaxRelative(untiled, g["mean"]);
        Assert.True(error < Tolerance && seams > 10 * Tolerance,
            $"tiled VAE encode of 13 hops + 500 samples, chunk {sizes.GetProperty("chunk_size")} / overlap {sizes.GetProperty("overlap")} samples " +
            $"(4 windows, a ragged end): max relative error {error:E2} (limit {Tolerance:E0}); the untiled encode is {seams:E2} away (must exceed {10 * Tolerance:E0})");
    }

    [Fact]
    public void The_tiled_vae_encode_keeps_the_frame_upstreams_rounding_drops_at_a_ragged_end_and_matches_the_rest()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var vae = GoldenVae();
        var g = Case("vae-encode-tiled-ragged");
        var sizes = Handler("tiled_encode");
        var rate = (double)vae.Config.SamplingRate;
        long chunk = sizes.GetProperty("chunk_size").GetInt32(), overlap = sizes.GetProperty("overlap").GetInt32();
        var tiling = new OobleckTiling { EncodeChunkSeconds = chunk / rate, EncodeOverlapSeconds = overlap / rate };

        var tiled = vae.Encode(g["audio"], tiling);

        // 9 hops + 1500 samples: three windows, the second cut by an end 1500 samples (> half a hop) past the grid.
        // Upstream trims round(1.78) = 2 context frames there instead of 1, losing the second core's last frame; the
        // engine keeps ⌊S / hop⌋ frames (docs/vae.md). Every other frame must match.
        long hop = vae.Config.HopLength, samples = g["audio"].shape[2], strideFrames = (chunk - 2 * overlap) / hop;
        var windows = (samples + (chunk - 2 * overlap) - 1) / (chunk - 2 * overlap);
        var dropped = (windows - 1) * strideFrames - 1;
        Assert.Equal(samples / hop, tiled.shape[2]);
        Assert.Equal(tiled.shape[2] - 1, g["mean"].shape[2]);
        var kept = cat([tiled.narrow(2, 0, dropped), tiled.narrow(2, dropped + 1, tiled.shape[2] - dropped - 1)], 2);
        var error = MaxRelative(kept, g["mean"]);
        Assert.True(error < Tolerance,
            $"tiled VAE encode of {samples} samples, chunk {chunk} / overlap {overlap}: without frame {dropped}, max relative error {error:E2} (limit {Tolerance:E0})");
    }

    [Theory]
    [InlineData("short", "vae-encode")]       // 3 frames: 12 draws, torch's scalar normal path
    [InlineData("long", "vae-encode-tiled")]  // 13 frames: 52 draws, its vectorised path (16 and more)
    public void The_seeded_posterior_sample_draws_torchs_noise_and_matches_upstreams_sample(string label, string audioCase)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var vae = GoldenVae();
        var audio = Case(audioCase)["audio"];
        var g = Case("vae-sample");
        var seed = (ulong)g["seed"].item<float>();

        using var posterior = vae.EncodePosterior(audio, OobleckTiling.None);
        // Upstream seeds torch's global CPU generator (torch.manual_seed) and calls sample() without a generator; a
        // TorchSharp generator with the same seed is libtorch's same CPU generator, so the draws are the same numbers.
        using var noise = randn(posterior.Mean.shape, generator: new Generator(seed));
        var sample = posterior.Sample(new Generator(seed));

        Assert.Equal(g["noise_" + label].data<float>().ToArray(), noise.data<float>().ToArray());
        var error = MaxRelative(sample, g["sample_" + label]);
        Assert.True(error < Tolerance,
            $"posterior sample of {audioCase}'s audio, seed {seed}, {noise.numel()} draws: max relative error {error:E2} (limit {Tolerance:E0})");
    }

    [Fact]
    public void The_vae_encoder_posterior_matches_diffusers_AutoencoderOobleck_encode_untiled()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        AssertAsWritten(Path.Combine(s_directory, "vae", OobleckVae.WeightsFileName),
            s_manifest.Value.RootElement.GetProperty("vae_sha256").GetString()!);
        using var vae = OobleckVae.FromDirectory(Path.Combine(s_directory, "vae"));
        var g = Case("vae-encode");

        using var posterior = vae.EncodePosterior(g["audio"]);

        Assert.Equal(g["mean"].shape, posterior.Mean.shape);
        var meanError = MaxRelative(posterior.Mean, g["mean"]);
        var stdError = MaxRelative(posterior.Std(), g["std"]);
        Assert.True(meanError < Tolerance && stdError < Tolerance,
            $"VAE encode of 3 × 1920 samples: posterior mean max relative error {meanError:E2}, std {stdError:E2} (limit {Tolerance:E0})");
    }

    [Fact]
    public void The_checkpoint_loads_strictly_and_its_audio_codes_match_upstreams_tokenizer_fsq_and_detokenizer()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // Strict: every tensor of upstream's AceStepConditionGenerationModel, none unknown (the official layout).
        using var model = AceStepConditionGenerationModel.Load(s_checkpoint, new WeightLoadOptions());
        var g = Case("audio-codes");
        var expectedIndices = g["indices"].to_type(ScalarType.Int64);

        var (quantized, indices) = model.Tokenizer.Forward(g["latents"], zeros(1, 4, 64));
        var hints = model.Detokenizer.Forward(g["quantized"]);
        var fromCodes = model.HintsFromCodes(expectedIndices.squeeze(-1));

        Assert.Equal(expectedIndices.data<long>().ToArray(), indices.to_type(ScalarType.Int64).data<long>().ToArray());
        var errors = new[] { MaxRelative(quantized, g["quantized"]), MaxRelative(hints, g["hints"]), MaxRelative(fromCodes, g["hints"]) };
        Assert.True(errors.All(e => e < Tolerance),
            $"audio codes of 2 × 25 latent frames: quantized {errors[0]:E2}, detokenized hints {errors[1]:E2}, hints from the codes {errors[2]:E2} (limit {Tolerance:E0})");
    }

    [Fact]
    public void The_text_encoder_matches_transformers_Qwen3Model_and_its_token_embedding()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var model = Qwen3TextModel.Load(Path.Combine(s_directory, "text-encoder"), new WeightLoadOptions());
        var g = Case("text-encoder");
        var ids = g["ids"].to_type(ScalarType.Int64);

        var hidden = model.Forward(ids);
        var embeddings = model.Embed(ids);

        var hiddenError = MaxRelative(hidden, g["hidden"]);
        var embeddingError = MaxRelative(embeddings, g["embeddings"]);
        Assert.True(hiddenError < Tolerance && embeddingError < Tolerance,
            $"text encoder on 2 × 9 token ids: last hidden state {hiddenError:E2}, lyric embedding {embeddingError:E2} (limit {Tolerance:E0})");
    }

    [Fact]
    public void The_lm_logits_with_its_kv_cache_match_transformers_Qwen3ForCausalLM_without_one()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var lm = Qwen3CausalLm.Load(Path.Combine(s_directory, "lm"), new WeightLoadOptions());
        var g = Case("lm-logits");
        var ids = g["ids"].to_type(ScalarType.Int64);
        const int Prompt = 8;
        var length = (int)ids.shape[1];
        using var cache = lm.CreateCache(1, length);

        var errors = new List<double> { MaxRelative(lm.Prefill(cache, ids[.., ..Prompt]), g["logits"][.., Prompt - 1]) };
        for (var position = Prompt; position < length; position++)
            errors.Add(MaxRelative(lm.Step(cache, ids[.., position..(position + 1)]), g["logits"][.., position]));

        Assert.True(errors.All(e => e < Tolerance),
            $"LM logits, prefill of 8 tokens then 4 cached steps: max relative errors [{string.Join(", ", errors.Select(e => e.ToString("E2")))}] (limit {Tolerance:E0})");
    }
}

using AceStep.Engine.Vae.Modules;

namespace AceStep.Engine.Vae.Tests;

public class GeometryTests
{
    /// <summary>vae/config.json as the spec (§3.3) quotes it.</summary>
    private const string OfficialConfig = """
        {"_class_name":"AutoencoderOobleck","_diffusers_version":"0.34.0","audio_channels":2,"channel_multiples":[1,2,4,8,16],
        "decoder_channels":128,"decoder_input_channels":64,"downsampling_ratios":[2,4,4,6,10],"encoder_hidden_size":128,"sampling_rate":48000}
        """;

    [Fact]
    public void Official_config_parses_to_hop_1920_at_25_Hz_with_64_latent_channels()
    {
        var config = OobleckVaeConfig.Parse(OfficialConfig);
        Assert.Equal(1920, config.HopLength);
        Assert.Equal(25.0, config.LatentFrameRate);
        Assert.Equal(64, config.LatentChannels);
        Assert.Equal([10, 6, 4, 4, 2], config.UpsamplingRatios);
        Assert.Equal(OobleckVaeConfig.AceStep.HopLength, config.HopLength);
        Assert.Equal(Flatten(OobleckVaeConfig.AceStep), Flatten(config));
    }

    [Fact]
    public void Real_inventory_matches_the_spec_names_and_the_published_file_size()
    {
        var tensors = OobleckVaeConfig.AceStep.CheckpointTensors().ToDictionary(t => t.Name, t => t.Shape);
        // Spec §6.3 examples.
        Assert.Equal([2048, 1024, 20], tensors["decoder.block.0.conv_t1.weight_v"]);
        Assert.Equal([2048, 1, 1], tensors["decoder.block.0.conv_t1.weight_g"]);
        Assert.Equal([1024], tensors["decoder.block.0.conv_t1.bias"]);
        Assert.Equal([2048, 64, 7], tensors["decoder.conv1.weight_v"]);
        Assert.Equal([2, 128, 7], tensors["decoder.conv2.weight_v"]);
        Assert.False(tensors.ContainsKey("decoder.conv2.bias"));
        Assert.Equal([1, 128, 1], tensors["decoder.snake1.alpha"]);
        Assert.Equal([128, 2, 7], tensors["encoder.conv1.weight_v"]);
        Assert.Equal([2048, 1024, 20], tensors["encoder.block.4.conv1.weight_v"]);
        Assert.Equal([1, 1024, 1], tensors["encoder.block.4.res_unit3.snake2.beta"]);
        Assert.Equal([128, 2048, 3], tensors["encoder.conv2.weight_v"]);

        // The file is 337 431 388 bytes (spec §3.1) of 16-bit values plus an 8-byte length and a JSON header of
        // roughly 100 bytes per tensor: the element count must leave exactly that much room.
        var elements = OobleckVaeConfig.AceStep.CheckpointElementCount;
        var headerBytes = 337_431_388L - 2 * elements;
        Assert.InRange(headerBytes, 8 + 60 * tensors.Count, 8 + 200 * tensors.Count);
        Assert.InRange(OobleckVaeConfig.AceStep.ParameterCount, 168_000_000, 169_000_000);   // spec §0: ~168 M
    }

    [Fact]
    public void Module_parameters_equal_the_config_inventory_with_weight_norm_folded()
    {
        using var vae = new OobleckVae(TinyVae.Config);
        using var _ = TorchSharp.torch.NewDisposeScope();
        var map = vae.CheckpointMap().Entries.ToDictionary(e => e.CheckpointName, e => e.Shape.ToArray());
        var inventory = TinyVae.Config.CheckpointTensors().ToDictionary(t => t.Name, t => t.Shape);
        Assert.Equal(inventory.Keys.Order(StringComparer.Ordinal), map.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, shape) in inventory)
            Assert.Equal(shape, map[name]);
        Assert.Equal(TinyVae.Config.ParameterCount, vae.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void Parametrizations_layout_names_the_factors_original0_and_original1()
    {
        Assert.Equal(("a.conv1.weight_g", "a.conv1.weight_v"), WeightNorm.CheckpointNames("a.conv1.weight", WeightNormLayout.WeightGV));
        Assert.Equal(("a.conv1.parametrizations.weight.original0", "a.conv1.parametrizations.weight.original1"),
            WeightNorm.CheckpointNames("a.conv1.weight", WeightNormLayout.Parametrizations));
    }

    [Fact]
    public void Receptive_field_bounds_fit_inside_the_spec_overlaps()
    {
        var config = OobleckVaeConfig.AceStep;
        // Hand sums (spec §6.1 kernels): decoder 3 + Σ max(p, s−p)/rate + 39·Σ 1/rate + 3/1920 ≈ 8.34 → 9;
        // encoder 3/1920 + Σ (39 + max(p, s−p))/rate_in + 1 ≈ 6.34 → 7.
        Assert.Equal(9, config.DecoderReachFrames);
        Assert.Equal(7, config.EncoderReachFrames);
        Assert.True(OobleckTiling.Default.DecodeOverlapFrames >= config.DecoderReachFrames);
        Assert.True(OobleckTiling.Default.EncodeOverlapSeconds * config.LatentFrameRate >= config.EncoderReachFrames);
        // The short-hop test geometry, whose numbers the tiling tests' comments quote.
        Assert.Equal(34, TinyVae.ShortHop.DecoderReachFrames);
        Assert.Equal(32, TinyVae.ShortHop.EncoderReachFrames);
    }

    [Fact]
    public void Flop_estimate_is_about_120_GFLOP_per_second_of_audio_each_way()
    {
        var config = OobleckVaeConfig.AceStep;
        // Dominated by the residual units: 3 units × (7 + 1) × C² MACs per sample at each rate.
        Assert.InRange(config.DecoderFlopsPerFrame * config.LatentFrameRate / 1e9, 100, 140);
        Assert.InRange(config.EncoderFlopsPerFrame * config.LatentFrameRate / 1e9, 100, 140);
    }

    [Theory]
    [InlineData("\"encoder_hidden_size\":128,", "", "lacks 'encoder_hidden_size'")]
    [InlineData("[2,4,4,6,10]", "[2,4,4,6,9]", "must be even")]
    [InlineData("\"decoder_input_channels\":64", "\"decoder_input_channels\":32", "twice decoder_input_channels")]
    [InlineData("[1,2,4,8,16]", "[1,2,4,8]", "one entry per downsampling ratio")]
    public void Bad_configs_fail_naming_the_file_and_the_problem(string from, string to, string expected)
    {
        var json = OfficialConfig.Replace(from, to, StringComparison.Ordinal);
        var error = Assert.Throws<InvalidDataException>(() => OobleckVaeConfig.Parse(json, "vae/config.json"));
        Assert.Contains("vae/config.json", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static List<string> Flatten(OobleckVaeConfig config) =>
        config.CheckpointTensors().Select(t => t.Name + " " + string.Join("x", t.Shape)).ToList();
}

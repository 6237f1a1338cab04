using System.Text.Json;
using AceStep.Engine.Model.Sampling;
using AceStep.Engine.Pipelines.Audio;
using AceStep.Engine.Pipelines.Planning;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Parity.Tests;

/// <summary>
/// The engine's sampler against upstream's <c>generate_audio</c> (base and turbo files), run by
/// scripts/parity/make_goldens.py on the stand-in DiT both sides share: schedules in the model dtype, APG against the
/// null condition with its CFG interval, DCW, the cover switch, the SDEdit start, repaint injection and blend, turbo's
/// step count.
/// </summary>
public sealed class SamplerParityTests
{
    private const int Channels = 64;

    public static TheoryData<string> Cases => new(Goldens.SamplerCases);

    // The stand-in DiT, in upstream's operation order: v = 0.8·x − 0.5·src + 0.3·mask·e + 0.2·t·e,
    // e = the mean condition token's first 64 channels.
    private static Tensor Toy(Tensor x, Tensor t, Tensor enc, Tensor ctx)
    {
        var e = enc[.., .., ..Channels].mean([1L], keepdim: true);
        var a = (0.8 * x) - (0.5 * ctx[.., .., ..Channels]);
        var b = a + ((0.3 * ctx[.., .., Channels..]) * e);
        return b + ((0.2 * t.view(-1, 1, 1)) * e);
    }

    private static double Number(JsonElement call, string name, double fallback) =>
        call.TryGetProperty(name, out var value) ? value.GetDouble() : fallback;

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_sampling_loop_matches_upstreams_generate_audio(string name)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var meta = Goldens.Case(name);
        var call = meta.GetProperty("call");
        var golden = Goldens.Tensors(name);
        var dtype = meta.GetProperty("dtype").GetString() == "bfloat16" ? ScalarType.BFloat16 : ScalarType.Float32;
        var turbo = meta.GetProperty("variant").GetString() == "turbo";
        var steps = call.GetProperty("infer_steps").GetInt32();
        var shift = call.GetProperty("shift").GetDouble();

        var schedule = turbo ? TimestepSchedule.TurboAtSteps(steps, shift, dtype) : TimestepSchedule.Base(steps, shift, dtype);
        var scale = turbo ? 1.0 : Number(call, "diffusion_guidance_scale", 7.0);
        using var guidance = scale > 1.0
            ? Guidance.Apg(scale, intervalStart: Number(call, "cfg_interval_start", 0.0), intervalEnd: Number(call, "cfg_interval_end", 1.0))
            : null;
        var dcw = call.TryGetProperty("dcw_enabled", out var on) && !on.GetBoolean() ? WaveletCorrection.Off : WaveletCorrection.Upstream;

        var batch = golden["enc"].shape[0];
        var frames = golden["src"].shape[1];
        var mask = golden["mask"].unsqueeze(-1).expand(batch, frames, Channels);
        var source = golden["src"].to_type(dtype);
        var noise = golden["noise"].to_type(dtype);
        var (encoder, context) = (golden["enc"].to_type(dtype), cat([golden["src"], mask], -1).to_type(dtype));
        var textOnly = (golden["enc_text"].to_type(dtype), cat([golden["silence"].expand(batch, frames, Channels), mask], -1).to_type(dtype));
        var nullCondition = golden["null"].to_type(dtype);

        VelocityFunction velocity = (x, t, needsUnconditional, _) =>
        {
            var time = full([batch], t, dtype);
            var vc = Toy(x, time, encoder, context);
            var vu = needsUnconditional ? Toy(x, time, nullCondition.expand_as(encoder), context) : null;
            return new VelocityPrediction(vc, vu);
        };

        SamplerStepHook? reinjection = null;
        float[]? blend = null;
        if (meta.GetProperty("repaint") is { ValueKind: JsonValueKind.Array } span)
        {
            var (start, end) = (span[0].GetInt32(), span[1].GetInt32());
            var strength = call.GetProperty("strength").GetDouble();
            var crossfade = JobPlanner.LatentCrossfadeFrames(strength);
            Assert.Equal(call.GetProperty("crossfade_frames").GetInt32(), crossfade);                      // upstream's round()
            var inject = RepaintLatents.InjectionSteps(strength, schedule.Steps);
            Assert.Equal((int)Math.Round(call.GetProperty("injection_ratio").GetDouble() * schedule.Steps, MidpointRounding.ToEven), inject);
            reinjection = RepaintLatents.Reinjection(noise, source, start, end, inject, schedule.Precision, roundComplement: !turbo);
            blend = RepaintLatents.BoundaryWeights((int)frames, start, end, crossfade);
        }

        var sdedit = meta.GetProperty("sdedit").GetDouble();
        var options = new SamplerOptions
        {
            Schedule = schedule,
            Guidance = guidance,
            Dcw = dcw,
            CoverConditioningScale = meta.GetProperty("cover_strength").GetDouble(),
            OnConditionSwitch = _ => (encoder, context) = textOnly,
            SdEditStrength = sdedit,
            SdEditSource = sdedit > 0 ? source : null,
            AfterStep = reinjection,
        };
        var called = new List<double>();
        var inner = velocity;
        velocity = (x, t, u, c) =>
        {
            called.Add(t);
            return inner(x, t, u, c);
        };
        var latents = FlowMatchingSampler.Sample(noise, velocity, options);

        // The schedule upstream walked, value for value in the model's dtype (the t of every DiT call).
        Assert.Equal(meta.GetProperty("timesteps").EnumerateArray().Select(v => v.GetDouble()), called);
        if (blend is not null)
            latents = RepaintLatents.Blend(latents, source, blend);

        var ours = latents.to_type(ScalarType.Float64);
        var theirs = golden["out"].to_type(ScalarType.Float64);
        var peak = theirs.abs().max().item<double>();
        var error = (ours - theirs).abs().max().item<double>() / Math.Max(peak, 1.0);
        var cosine = (ours.flatten().dot(theirs.flatten()) / (ours.norm() * theirs.norm())).item<double>();
        var tolerance = dtype == ScalarType.BFloat16 ? 2e-2 : 1e-5;
        Assert.True(error <= tolerance, $"{name}: max error {error:E2} of the peak {peak:F3} (tolerance {tolerance:E0}), cosine {cosine:F7}");
        Assert.True(cosine >= (dtype == ScalarType.BFloat16 ? 0.9999 : 0.9999999), $"{name}: cosine {cosine:F7}");
    }

    [Fact]
    public void The_goldens_name_their_upstream_commit_and_hash_their_files()
    {
        var manifest = Goldens.Manifest;
        Assert.Matches("^[0-9a-f]{40}$", manifest.GetProperty("upstream").GetProperty("commit").GetString());
        foreach (var name in Goldens.SamplerCases)
        {
            using var stream = File.OpenRead(Path.Combine(Goldens.Directory, name + ".safetensors"));
            Assert.Equal(Goldens.Case(name).GetProperty("sha256").GetString(), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream)));
        }
    }
}

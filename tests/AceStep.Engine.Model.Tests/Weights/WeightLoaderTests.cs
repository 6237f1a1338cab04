using AceStep.Engine.Model.Weights;
using AceStep.Engine.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Tests.Weights;

public class WeightLoaderTests
{
    /// <summary>An RMSNorm-style module: one weight vector.</summary>
    private sealed class Norm : nn.Module<Tensor, Tensor>
    {
        private readonly Parameter _weight;

        public Norm(long size)
            : base(nameof(Norm))
        {
            _weight = new Parameter(ones(size));
            register_parameter("weight", _weight);
        }

        public override Tensor forward(Tensor input) => input * _weight;
    }

    /// <summary>Linear(3→4) then RMSNorm weight [4]: parameters proj.weight [4,3], proj.bias [4], norm.weight [4].</summary>
    private sealed class Tiny : nn.Module<Tensor, Tensor>
    {
        private readonly Linear _proj = nn.Linear(3, 4);
        private readonly Norm _norm = new(4);

        public Tiny()
            : base(nameof(Tiny))
        {
            register_module("proj", _proj);
            register_module("norm", _norm);
        }

        public override Tensor forward(Tensor input) => _norm.forward(_proj.forward(input));
    }

    private static readonly float[] ProjWeight = [1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f];
    private static readonly float[] ProjBias = [0.5f, -0.5f, 0.25f, -0.25f];
    private static readonly float[] NormWeight = [1.5f, 2.5f, 3.5f, 4.5f];

    private static string WriteTiny(string path, string prefix = "model.", long[]? projShape = null, bool withNorm = true, bool extra = false)
    {
        var tensors = new List<(string, Tensor)>
        {
            (prefix + "proj.weight", tensor(ProjWeight).reshape(projShape ?? [4, 3]).to(ScalarType.BFloat16)),
            (prefix + "proj.bias", tensor(ProjBias).to(ScalarType.BFloat16)),
        };
        if (withNorm)
            tensors.Add((prefix + "norm.weight", tensor(NormWeight).to(ScalarType.BFloat16)));
        if (extra)
            tensors.Add((prefix + "extra.weight", zeros(2)));
        return WeightsTestFiles.Write(path, [.. tensors]);
    }

    private static void AssertTinyLoaded(Tiny module)
    {
        var parameters = module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Equal(ScalarType.Float32, parameters["proj.weight"].dtype);
        Assert.Equal(ProjWeight, parameters["proj.weight"].data<float>().ToArray());
        Assert.Equal(ProjBias, parameters["proj.bias"].data<float>().ToArray());
        Assert.Equal(NormWeight, parameters["norm.weight"].data<float>().ToArray());
        Assert.True(parameters["proj.weight"].requires_grad);
    }

    [Fact]
    public void Strict_load_fills_a_linear_and_a_norm_weight_with_the_cpu_policy_dtype()
    {
        // Input: a bf16 checkpoint holding exactly model.{proj.weight,proj.bias,norm.weight}; runtime policy on CPU (fp32).
        using var dir = new TempDir();
        var path = WriteTiny(dir.File("model.safetensors"));
        var runtime = TorchRuntime.Create(new TorchRuntimeOptions { Device = Engine.Torch.TorchDevicePreference.Cpu });
        using var module = new Tiny();
        using var checkpoint = CheckpointIndex.Open(path);

        var report = WeightLoader.Load(module, checkpoint, "model.", WeightLoadOptions.ForRuntime(runtime) with { RejectUnexpected = true });

        Assert.Equal(3, report.Loaded.Count);
        Assert.Empty(report.Unexpected);
        AssertTinyLoaded(module);
    }

    [Fact]
    public void Missing_and_mis_shaped_tensors_are_all_listed_with_shapes_and_file()
    {
        // Input: a checkpoint without model.norm.weight and with model.proj.weight stored as [3, 4] instead of [4, 3].
        using var dir = new TempDir();
        var path = WriteTiny(dir.File("bad.safetensors"), projShape: [3, 4], withNorm: false);
        using var module = new Tiny();
        using var checkpoint = CheckpointIndex.Open(path);
        var before = module.named_parameters().First(p => p.name == "proj.bias").parameter.data<float>().ToArray();

        var e = Assert.Throws<CheckpointMismatchException>(() => WeightLoader.Load(module, checkpoint, "model."));

        Assert.Equal("model.norm.weight", Assert.Single(e.Missing).Name);
        var mismatch = Assert.Single(e.Mismatched);
        Assert.Equal("model.proj.weight", mismatch.Name);
        Assert.Equal([4L, 3L], mismatch.ExpectedShape);
        Assert.Equal([3L, 4L], mismatch.FoundShape);
        Assert.Equal(path, mismatch.FilePath);
        Assert.Contains("missing: model.norm.weight (expected [4])", e.Message, StringComparison.Ordinal);
        Assert.Contains($"model.proj.weight: expected [4, 3], found [3, 4] in {path}", e.Message, StringComparison.Ordinal);
        // Nothing was copied: the failure comes before any parameter changes.
        Assert.Equal(before, module.named_parameters().First(p => p.name == "proj.bias").parameter.data<float>().ToArray());
    }

    [Fact]
    public void Unexpected_tensors_are_warnings_or_with_the_strict_flag_errors()
    {
        // Input: the full tiny checkpoint plus model.extra.weight, which no parameter takes.
        using var dir = new TempDir();
        var path = WriteTiny(dir.File("x.safetensors"), extra: true);
        using var module = new Tiny();
        using var checkpoint = CheckpointIndex.Open(path);

        var report = WeightLoader.Load(module, checkpoint, "model.");
        Assert.Equal("model.extra.weight", Assert.Single(report.Unexpected).Name);

        var e = Assert.Throws<CheckpointMismatchException>(
            () => WeightLoader.Load(module, checkpoint, "model.", new WeightLoadOptions { RejectUnexpected = true }));
        Assert.Equal("model.extra.weight", Assert.Single(e.Unexpected).Name);
        Assert.Contains($"unexpected: model.extra.weight in {path}", e.Message, StringComparison.Ordinal);

        var ignored = WeightLoader.Load(module, checkpoint, "model.",
            new WeightLoadOptions { RejectUnexpected = true, IgnoreUnexpected = n => n.EndsWith("extra.weight", StringComparison.Ordinal) });
        Assert.Empty(ignored.Unexpected);
    }

    [Theory]
    [InlineData("", "model.")]
    [InlineData("model.", "")]
    public void Key_prefix_aliases_find_tensors_stored_with_or_without_model_prefix(string storedPrefix, string expectedPrefix)
    {
        // Input: the tiny checkpoint stored under "<storedPrefix>" while the module is mapped under "<expectedPrefix>"
        // (LM checkpoints come as model.layers.N… or layers.N…, spec §3.4), with alias "model.".
        using var dir = new TempDir();
        var path = WriteTiny(dir.File("p.safetensors"), prefix: storedPrefix);
        using var module = new Tiny();
        using var checkpoint = CheckpointIndex.Open(path);
        var map = TensorMap.FromModule(module, expectedPrefix);

        Assert.Throws<CheckpointMismatchException>(() => WeightLoader.Resolve(checkpoint, map));
        var report = WeightLoader.Load(module, checkpoint, map,
            new WeightLoadOptions { PrefixAliases = ["model."], RejectUnexpected = true, DType = ScalarType.Float32 });

        Assert.Equal(3, report.Loaded.Count);
        Assert.All(report.Loaded, l => Assert.StartsWith(storedPrefix, l.Source.Info.Name, StringComparison.Ordinal));
        AssertTinyLoaded(module);
    }

    [Fact]
    public void Explicit_map_with_rename_covers_names_that_differ()
    {
        // Input: checkpoint names model.proj.* and model.final_norm.weight (module calls it norm.weight).
        using var dir = new TempDir();
        var path = WeightsTestFiles.Write(dir.File("r.safetensors"),
            ("model.proj.weight", tensor(ProjWeight).reshape(4, 3)),
            ("model.proj.bias", tensor(ProjBias)),
            ("model.final_norm.weight", tensor(NormWeight)));
        using var module = new Tiny();
        using var checkpoint = CheckpointIndex.Open(path);
        var map = TensorMap.FromModule(module, "model.", n => n.Replace("model.norm.", "model.final_norm.", StringComparison.Ordinal));

        WeightLoader.Load(module, checkpoint, map, new WeightLoadOptions { RejectUnexpected = true });
        AssertTinyLoaded(module);
    }

    [Fact]
    public void Load_on_first_use_loads_once_and_reloads_after_unload()
    {
        // Input: a holder whose loader builds and loads the tiny module from a checkpoint file.
        using var dir = new TempDir();
        var path = WriteTiny(dir.File("l.safetensors"));
        var loads = 0;
        using var holder = new LoadOnFirstUse<Tiny>(() =>
        {
            loads++;
            var module = new Tiny();
            using var checkpoint = CheckpointIndex.Open(path);
            WeightLoader.Load(module, checkpoint, "model.");
            return module;
        });

        Assert.False(holder.IsLoaded);
        var first = holder.Value;
        Assert.Same(first, holder.Value);
        AssertTinyLoaded(first);
        holder.Unload();
        Assert.False(holder.IsLoaded);
        Assert.NotSame(first, holder.Value);
        Assert.Equal(2, loads);
    }
}

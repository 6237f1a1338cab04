using AceStep.Engine.Model.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Vae.Modules;

/// <summary>How a checkpoint stores the two factors of a weight-normalised conv.</summary>
public enum WeightNormLayout
{
    /// <summary>
    /// <c>torch.nn.utils.weight_norm</c>, which diffusers' <c>AutoencoderOobleck</c> applies: <c>{conv}.weight_g</c>
    /// (magnitude) and <c>{conv}.weight_v</c> (direction). The official <c>vae/</c> file uses this (spec §6.1, §6.3).
    /// </summary>
    WeightGV,

    /// <summary>
    /// <c>torch.nn.utils.parametrizations.weight_norm</c>: <c>{conv}.parametrizations.weight.original0</c> (g) and
    /// <c>…original1</c> (v). Some re-saved checkpoints use it; accepted so they load too.
    /// </summary>
    Parametrizations,
}

/// <summary>
/// Weight normalisation as PyTorch's <c>weight_norm(dim=0)</c> defines it, folded once at load into a plain weight
/// W = g · v / ‖v‖ (norm over every dimension but 0) so inference runs ordinary convolutions (spec §6.1, §14.1).
/// </summary>
public static class WeightNorm
{
    private const string ParametrizationG = ".parametrizations.weight.original0";
    private const string ParametrizationV = ".parametrizations.weight.original1";

    /// <summary>
    /// W = g · v / ‖v‖ with the norm over all dimensions except 0, computed in fp32 whatever the stored dtype (the
    /// checkpoint is 16-bit; folding in fp32 matches diffusers on CPU, where the factors are fp32).
    /// </summary>
    /// <param name="g">Magnitudes [d0, 1, …, 1].</param>
    /// <param name="v">Directions [d0, …] (Conv1d [out, in, k]; ConvTranspose1d [in, out, k]).</param>
    /// <returns>The folded weight, shaped like <paramref name="v"/>, fp32.</returns>
    public static Tensor Fold(Tensor g, Tensor v)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(v);
        if (v.dim() < 2 || g.dim() != v.dim() || g.shape[0] != v.shape[0] || g.numel() != v.shape[0])
            throw new ArgumentException($"weight_g {Shape(g)} does not fit weight_v {Shape(v)} for weight_norm(dim=0).", nameof(g));
        using var scope = NewDisposeScope();
        var v32 = v.to_type(ScalarType.Float32);
        var others = Enumerable.Range(1, (int)v.dim() - 1).Select(d => (long)d).ToArray();
        var norm = v32.square().sum(others, keepdim: true).sqrt();                 // [d0, 1, …, 1]
        return (v32 * (g.to_type(ScalarType.Float32) / norm)).MoveToOuterDisposeScope();
    }

    /// <summary>The checkpoint names of the g and v factors of the module weight <paramref name="weightName"/> (ending in <c>.weight</c>).</summary>
    public static (string G, string V) CheckpointNames(string weightName, WeightNormLayout layout)
    {
        ArgumentNullException.ThrowIfNull(weightName);
        if (!weightName.EndsWith(".weight", StringComparison.Ordinal))
            throw new ArgumentException($"'{weightName}' is not a module weight name.", nameof(weightName));
        var module = weightName[..^".weight".Length];
        return layout switch
        {
            WeightNormLayout.WeightGV => (weightName + "_g", weightName + "_v"),
            WeightNormLayout.Parametrizations => (module + ParametrizationG, module + ParametrizationV),
            _ => throw new ArgumentOutOfRangeException(nameof(layout), layout, "Unknown weight-norm layout."),
        };
    }

    /// <summary>
    /// The layout <paramref name="checkpoint"/> uses: <see cref="WeightNormLayout.Parametrizations"/> if any tensor is
    /// named like one, else <see cref="WeightNormLayout.WeightGV"/> (the official file; a checkpoint with neither then
    /// fails strict loading with every <c>weight_g</c>/<c>weight_v</c> listed as missing).
    /// </summary>
    public static WeightNormLayout Detect(CheckpointIndex checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return checkpoint.Tensors.Keys.Any(n => n.EndsWith(ParametrizationG, StringComparison.Ordinal) || n.EndsWith(ParametrizationV, StringComparison.Ordinal))
            ? WeightNormLayout.Parametrizations
            : WeightNormLayout.WeightGV;
    }

    private static string Shape(Tensor t) => "[" + string.Join(", ", t.shape) + "]";
}

using AceStep.Engine.Model.Compact;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Modules;

/// <summary>
/// Qwen3 MLP (spec §4.1): y = down(SiLU(gate(x)) ⊙ up(x)), no biases. Parameters: <c>gate_proj.weight</c>
/// [intermediate, hidden], <c>up_proj.weight</c> [intermediate, hidden], <c>down_proj.weight</c> [hidden, intermediate].
/// </summary>
public sealed class SwiGluMlp : nn.Module<Tensor, Tensor>
{
    private readonly Projection _gateProj;
    private readonly Projection _upProj;
    private readonly Projection _downProj;

    /// <summary>Creates the MLP with TorchSharp's default (seeded) initialisation.</summary>
    /// <param name="hidden">Model width (2048 in the checkpoint).</param>
    /// <param name="intermediate">Inner width (6144 in the checkpoint).</param>
    public SwiGluMlp(long hidden, long intermediate) : base(nameof(SwiGluMlp))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hidden);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(intermediate);
        _gateProj = new Projection(hidden, intermediate);
        _upProj = new Projection(hidden, intermediate);
        _downProj = new Projection(intermediate, hidden);
        register_module(TensorNames.GateProj, _gateProj);
        register_module(TensorNames.UpProj, _upProj);
        register_module(TensorNames.DownProj, _downProj);
    }

    internal Projection GateProj => _gateProj;

    internal Projection UpProj => _upProj;

    internal Projection DownProj => _downProj;

    /// <summary>Applies the MLP to x [..., hidden] → [..., hidden].</summary>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        var gated = nn.functional.silu(_gateProj.forward(input)) * _upProj.forward(input);  // [..., intermediate]
        return _downProj.forward(gated).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The MLP with <c>down_proj</c> computed in float32 from its own weight upcast on the fly; the result is float32.
    /// For fp16 runs where that projection's output exceeds fp16's 65 504 (the lyric encoder's last layer, issue 18).
    /// </summary>
    public Tensor ForwardWithFloat32Down(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        var gated = nn.functional.silu(_gateProj.forward(input)) * _upProj.forward(input);
        var weight = _downProj.Float32Weight();
        return nn.functional.linear(gated.to_type(ScalarType.Float32), weight).MoveToOuterDisposeScope();
    }
}

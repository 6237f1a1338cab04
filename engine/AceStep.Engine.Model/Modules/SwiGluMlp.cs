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
    private readonly Linear _gateProj;
    private readonly Linear _upProj;
    private readonly Linear _downProj;

    /// <summary>Creates the MLP with TorchSharp's default (seeded) initialisation.</summary>
    /// <param name="hidden">Model width (2048 in the checkpoint).</param>
    /// <param name="intermediate">Inner width (6144 in the checkpoint).</param>
    public SwiGluMlp(long hidden, long intermediate) : base(nameof(SwiGluMlp))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hidden);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(intermediate);
        _gateProj = nn.Linear(hidden, intermediate, hasBias: false);
        _upProj = nn.Linear(hidden, intermediate, hasBias: false);
        _downProj = nn.Linear(intermediate, hidden, hasBias: false);
        register_module(TensorNames.GateProj, _gateProj);
        register_module(TensorNames.UpProj, _upProj);
        register_module(TensorNames.DownProj, _downProj);
    }

    /// <summary>Applies the MLP to x [..., hidden] → [..., hidden].</summary>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        var gated = nn.functional.silu(_gateProj.forward(input)) * _upProj.forward(input);  // [..., intermediate]
        return _downProj.forward(gated).MoveToOuterDisposeScope();
    }
}

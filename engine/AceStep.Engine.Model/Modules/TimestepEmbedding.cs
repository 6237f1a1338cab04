using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Modules;

/// <summary>
/// Timestep embedding (spec §4.3): s = t·1000 (in t's dtype); f = [cos(s·freqs), sin(s·freqs)] with freqs_k = exp(−ln(10000)·k/half);
/// temb = linear_2(SiLU(linear_1(f))); proj = time_proj(SiLU(temb)) reshaped to [B, 6, hidden]. Parameters:
/// <c>linear_1.{weight,bias}</c> [hidden, in], <c>linear_2.{weight,bias}</c> [hidden, hidden],
/// <c>time_proj.{weight,bias}</c> [6·hidden, hidden].
/// </summary>
public sealed class TimestepEmbedding : nn.Module
{
    /// <summary>Number of modulation vectors in <c>proj</c> (shift, scale, gate for attention and MLP).</summary>
    public const int ModulationCount = 6;

    private readonly Linear _linear1;
    private readonly Linear _linear2;
    private readonly Linear _timeProj;

    /// <summary>Creates the embedding with TorchSharp's default (seeded) initialisation.</summary>
    /// <param name="inChannels">Sinusoid size (256, even).</param>
    /// <param name="hidden">Model width (2048).</param>
    /// <param name="timeScale">Factor applied to t before the sinusoid (1000).</param>
    public TimestepEmbedding(long inChannels = 256, long hidden = 2048, double timeScale = 1000.0) : base(nameof(TimestepEmbedding))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hidden);
        if (inChannels % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(inChannels), inChannels, "The sinusoid needs an even size.");
        }

        InChannels = inChannels;
        Hidden = hidden;
        TimeScale = timeScale;
        _linear1 = nn.Linear(inChannels, hidden, hasBias: true);
        _linear2 = nn.Linear(hidden, hidden, hasBias: true);
        _timeProj = nn.Linear(hidden, hidden * ModulationCount, hasBias: true);
        register_module(TensorNames.Linear1, _linear1);
        register_module(TensorNames.Linear2, _linear2);
        register_module(TensorNames.TimeProj, _timeProj);
    }

    /// <summary>Sinusoid size.</summary>
    public long InChannels { get; }

    /// <summary>Model width.</summary>
    public long Hidden { get; }

    /// <summary>Factor applied to t before the sinusoid.</summary>
    public double TimeScale { get; }

    /// <summary>The fp32 sinusoid [B, inChannels] = [cos(args) | sin(args)] for timesteps t [B].</summary>
    public Tensor Sinusoid(Tensor t)
    {
        ArgumentNullException.ThrowIfNull(t);
        using var scope = NewDisposeScope();
        var half = InChannels / 2;
        // As upstream: freqs = exp(−ln(10000)·k / half) in float32, and s = t·1000 computed in t's own dtype (on a bf16
        // device the product is rounded to bf16 before it becomes float32).
        var freqs = exp(arange(0, half, dtype: ScalarType.Float32, device: t.device) * -Math.Log(10000.0) / half);   // [half]
        var args = (t * TimeScale).to_type(ScalarType.Float32).unsqueeze(1) * freqs.unsqueeze(0);                  // [B, half]
        return cat([args.cos(), args.sin()], dim: -1).MoveToOuterDisposeScope();                                    // [B, in]
    }

    /// <summary>Embeds timesteps t [B] (in [0, 1]) → (temb [B, hidden], proj [B, 6, hidden]) in the weights' dtype.</summary>
    public (Tensor Temb, Tensor Proj) Forward(Tensor t)
    {
        ArgumentNullException.ThrowIfNull(t);
        using var scope = NewDisposeScope();
        var f = Sinusoid(t).to_type(_linear1.weight!.dtype);
        var temb = _linear2.forward(nn.functional.silu(_linear1.forward(f)));                                     // [B, hidden]
        var proj = _timeProj.forward(nn.functional.silu(temb)).view(-1, ModulationCount, Hidden);                 // [B, 6, hidden]
        return (temb.MoveToOuterDisposeScope(), proj.MoveToOuterDisposeScope());
    }
}

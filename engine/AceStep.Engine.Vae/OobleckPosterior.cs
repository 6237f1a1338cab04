using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Vae;

/// <summary>
/// The encoder's diagonal Gaussian posterior (diffusers <c>OobleckDiagonalGaussianDistribution</c>, spec §6.2): the
/// encoder output [B, 2·latent, T] splits along channels into mean (first half) and scale (second half);
/// std = softplus(scale) + 1e-4.
/// </summary>
/// <remarks>
/// ACE-Step's handler <em>samples</em> (mean + std · N(0, 1), global unseeded RNG). The engine takes the
/// <see cref="Mean"/> by default so that the same audio always gives the same latents (a deviation the spec allows,
/// §14.13); <see cref="Sample"/> reproduces upstream's behaviour, with a caller-seeded generator.
/// </remarks>
public sealed class OobleckPosterior : IDisposable
{
    /// <summary>Takes ownership of <paramref name="parameters"/> [B, 2·latent, T] (detaching it from any dispose scope).</summary>
    public OobleckPosterior(Tensor parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.dim() != 3 || parameters.shape[1] % 2 != 0)
            throw new ArgumentException($"Posterior parameters must be [B, 2·latent, T], not [{string.Join(", ", parameters.shape)}].", nameof(parameters));
        // The posterior owns its tensors until Dispose, whatever scope it was created in.
        Parameters = parameters.DetachFromDisposeScope();
        var halves = parameters.chunk(2, dim: 1);
        Mean = halves[0].DetachFromDisposeScope();                      // [B, latent, T] (a view)
        Scale = halves[1].DetachFromDisposeScope();                     // [B, latent, T] (a view)
    }

    /// <summary>The encoder output [B, 2·latent, T].</summary>
    public Tensor Parameters { get; }

    /// <summary>The mean [B, latent, T] (a view of <see cref="Parameters"/>): the deterministic latents.</summary>
    public Tensor Mean { get; }

    /// <summary>The raw scale [B, latent, T] (a view of <see cref="Parameters"/>).</summary>
    public Tensor Scale { get; }

    /// <summary>The standard deviation softplus(scale) + 1e-4 [B, latent, T] (a new tensor, the caller's to dispose).</summary>
    public Tensor Std()
    {
        using var scope = NewDisposeScope();
        return (nn.functional.softplus(Scale) + 1e-4).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Draws mean + std · ε, ε ~ N(0, 1) from <paramref name="generator"/> (seed it for reproducible latents), in the
    /// posterior's dtype and device, as diffusers' <c>sample(generator)</c>.
    /// </summary>
    public Tensor Sample(Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        var noise = randn(Mean.shape, dtype: Mean.dtype, device: Mean.device, generator: generator);
        return (Mean + Std() * noise).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Mean.Dispose();
        Scale.Dispose();
        Parameters.Dispose();
    }
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Compact;

/// <summary>
/// The common part of <see cref="Projection"/> and <see cref="TokenEmbedding"/>: a registered <c>weight</c> [rows,
/// columns] and how it is held once loaded.
/// </summary>
public abstract class PackableModule : nn.Module<Tensor, Tensor>, IPackableWeight
{
    private protected PackableModule(string name, long rows, long columns, Action<Tensor> initialise) : base(name)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        State = new PackableWeightState(rows, columns);
        var w = empty(rows, columns);
        if (!ParameterInitialisation.IsSkipped)
            initialise(w);
        register_parameter("weight", new Parameter(w));
    }

    /// <summary>
    /// The weight parameter: fp32, bf16 when held so, or empty once packed compactly. Looked up by name, and settable
    /// like nn.Linear's: Module.to(dtype/device) swaps registered parameters for new objects and assigns them to the
    /// property of the same name.
    /// </summary>
#pragma warning disable IDE1006, CA1707 // the checkpoint's (and nn.Linear's / nn.Embedding's) name
    public Parameter weight
    {
        get => get_parameter("weight") ?? throw new InvalidOperationException($"{GetType().Name} lost its weight.");
        set => ConditionallyRegisterParameter("weight", value);
    }
#pragma warning restore IDE1006, CA1707

    /// <inheritdoc />
    public WeightHolding? Holding => State.Holding;

    /// <summary>The packed matrix when held <see cref="WeightHolding.Packed"/>, for callers that run the kernel on raw
    /// memory (the LM's decode step); null otherwise.</summary>
    internal Kernels.PackedMatrix? Packed => State.Packed;

    private protected PackableWeightState State { get; }

    /// <inheritdoc />
    public void Hold(WeightHolding holding)
    {
        var held = State.Hold(weight, holding);
        if (ReferenceEquals(held, weight))
            return;
        var previous = weight;
        weight = new Parameter(held, requires_grad: false);
        previous.Dispose();
    }

    /// <inheritdoc />
    public Tensor MultiplyRows(Tensor x, int firstRow, int rowCount) => State.MultiplyRows(weight, x, firstRow, rowCount);

    /// <summary>The weight in fp32, however it is held (a copy unless it is the fp32 parameter).</summary>
    public Tensor Float32Weight() => State.Float32(weight, 0, State.Rows);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            State.Dispose();
        base.Dispose(disposing);
    }
}

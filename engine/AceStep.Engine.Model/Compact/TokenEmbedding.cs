using AceStep.Engine.Kernels;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Compact;

/// <summary>
/// A token embedding table <c>weight</c> [vocab, hidden] (nn.Embedding's lookup and N(0, 1) initialisation) that can be
/// packed like a <see cref="Projection"/>. With tied embeddings the LM's output head is this same matrix, so packing it
/// shrinks both the largest tensor of the LM and the bytes every decode step's head reads.
/// </summary>
public sealed class TokenEmbedding : nn.Module<Tensor, Tensor>, IPackableWeight
{
    private readonly PackableWeightState _state;

    /// <summary>Creates the table with nn.Embedding's default (seeded) initialisation, unless
    /// <see cref="ParameterInitialisation.Skip"/> is in effect.</summary>
    public TokenEmbedding(long vocabulary, long hidden) : base(nameof(TokenEmbedding))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(vocabulary);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hidden);
        _state = new PackableWeightState(vocabulary, hidden);
        var w = empty(vocabulary, hidden);
        if (!ParameterInitialisation.IsSkipped)
            nn.init.normal_(w);
        weight = new Parameter(w);
        register_parameter("weight", weight);
    }

    /// <summary>The fp32 table [vocab, hidden]; an empty tensor once a compact format has replaced it.</summary>
#pragma warning disable IDE1006, CA1707 // the checkpoint's (and nn.Embedding's) name
    public Parameter weight { get; private set; }
#pragma warning restore IDE1006, CA1707

    /// <inheritdoc />
    public WeightFormat? PackedFormat => _state.Format;

    /// <inheritdoc />
    public void Pack(WeightFormat format)
    {
        if (!_state.Pack(weight, format))
            return;
        var placeholder = new Parameter(empty(0), requires_grad: false);
        ConditionallyRegisterParameter("weight", placeholder);
        weight.Dispose();
        weight = placeholder;
    }

    /// <inheritdoc />
    public Tensor MultiplyRows(Tensor x, int firstRow, int rowCount) => _state.MultiplyRows(weight, x, firstRow, rowCount);

    /// <summary>Token ids (int64, any shape) → their rows [..., hidden].</summary>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!_state.FloatReleased)
            return weight.index_select(0, input.flatten()).view([.. input.shape, _state.Columns]);

        // Compact table: each id's row is converted on its own (a prompt is at most a few thousand ids).
        using var scope = NewDisposeScope();
        var ids = input.flatten().cpu().data<long>().ToArray();
        var rows = empty([ids.Length, _state.Columns], ScalarType.Float32);
        for (var i = 0; i < ids.Length; i++)
        {
            if (ids[i] < 0 || ids[i] >= _state.Rows)
                throw new ArgumentOutOfRangeException(nameof(input), $"Token id {ids[i]} lies outside the table's {_state.Rows} rows.");
            using var row = _state.Dequantise((int)ids[i], 1);
            rows[i].copy_(row[0]);
        }

        return rows.view([.. input.shape, _state.Columns]).to(input.device).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _state.Dispose();
        base.Dispose(disposing);
    }
}

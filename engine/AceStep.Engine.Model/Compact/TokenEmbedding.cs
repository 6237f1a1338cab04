using static TorchSharp.torch;

namespace AceStep.Engine.Model.Compact;

/// <summary>
/// A token embedding table <c>weight</c> [vocab, hidden] (nn.Embedding's lookup and N(0, 1) initialisation) that can be
/// held like a <see cref="Projection"/>'s weight. With tied embeddings the LM's output head is this same matrix, so
/// packing it shrinks both the LM's largest tensor and the bytes each decode step's head reads.
/// </summary>
public sealed class TokenEmbedding : PackableModule
{
    /// <summary>Creates the table with nn.Embedding's default (seeded) initialisation, unless
    /// <see cref="ParameterInitialisation.Skip"/> is in effect.</summary>
    public TokenEmbedding(long vocabulary, long hidden)
        : base(nameof(TokenEmbedding), vocabulary, hidden, w => nn.init.normal_(w))
    {
    }

    /// <summary>Token ids (int64, any shape) → their rows [..., hidden] in fp32.</summary>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!State.FloatReleased)
        {
            using var scope = NewDisposeScope();
            var rows = weight.index_select(0, input.flatten()).view([.. input.shape, State.Columns]);
            return rows.to_type(ScalarType.Float32).MoveToOuterDisposeScope();
        }

        // A compact table: each id's row is converted straight into the output (a prompt is at most a few thousand ids).
        var ids = input.flatten().cpu().data<long>().ToArray();
        var output = State.Gather(ids);
        return output.view([.. input.shape, State.Columns]).to(input.device);
    }
}

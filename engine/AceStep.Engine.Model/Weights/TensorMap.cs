using TorchSharp;

namespace AceStep.Engine.Model.Weights;

/// <summary>A tensor the model expects: which module parameter takes it, its checkpoint name and its exact shape.</summary>
/// <param name="ParameterName">The name in the module's <c>named_parameters()</c> (or <c>named_buffers()</c>).</param>
/// <param name="CheckpointName">The name in the checkpoint.</param>
/// <param name="Shape">The exact shape required.</param>
public sealed record ExpectedTensor(string ParameterName, string CheckpointName, IReadOnlyList<long> Shape)
{
    /// <inheritdoc />
    public override string ToString() => $"{ParameterName} ← {CheckpointName} {ShapeText.Format(Shape)}";
}

/// <summary>
/// The one place a module's parameters are mapped to checkpoint tensor names with their expected shapes. Built from
/// a TorchSharp module (names match PyTorch's, so a module tree mirroring the reference model maps 1:1; a rename
/// function covers the exceptions) or from an explicit list.
/// </summary>
public sealed class TensorMap
{
    /// <summary>Creates a map from explicit entries.</summary>
    /// <param name="entries">The expected tensors; parameter and checkpoint names must each be unique.</param>
    /// <param name="checkpointScope">
    /// Checkpoint-name prefix this map covers (e.g. <c>decoder.</c>); unexpected tensors are only reported under it.
    /// Empty means the whole checkpoint.
    /// </param>
    /// <exception cref="ArgumentException">A name appears twice.</exception>
    public TensorMap(IEnumerable<ExpectedTensor> entries, string checkpointScope = "")
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(checkpointScope);
        Entries = entries.ToList();
        CheckpointScope = checkpointScope;
        var duplicate = Entries.GroupBy(e => e.ParameterName, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)
            ?? Entries.GroupBy(e => e.CheckpointName, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Tensor map names '{duplicate.Key}' more than once.", nameof(entries));
    }

    /// <summary>The expected tensors, in module order.</summary>
    public IReadOnlyList<ExpectedTensor> Entries { get; }

    /// <summary>Checkpoint-name prefix under which unexpected tensors are reported (empty: all).</summary>
    public string CheckpointScope { get; }

    /// <summary>
    /// Maps every parameter of <paramref name="module"/> (and, optionally, its persistent buffers) to
    /// <paramref name="checkpointPrefix"/> + its name, with its current shape.
    /// </summary>
    /// <param name="module">The module, already built with the configuration's sizes.</param>
    /// <param name="checkpointPrefix">Prefix of the module in the checkpoint, e.g. <c>decoder.</c>; also the map's scope.</param>
    /// <param name="rename">Optional rewrite of the prefixed name, for the few tensors whose names differ.</param>
    /// <param name="includeBuffers">Also map persistent buffers (non-persistent ones are computed, never stored).</param>
    public static TensorMap FromModule(torch.nn.Module module, string checkpointPrefix = "", Func<string, string>? rename = null,
        bool includeBuffers = false)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(checkpointPrefix);
        var entries = new List<ExpectedTensor>();
        foreach (var (name, parameter) in module.named_parameters())
            entries.Add(Entry(name, parameter));
        if (includeBuffers)
        {
            foreach (var (name, buffer) in module.named_buffers(true, false))
                entries.Add(Entry(name, buffer));
        }

        return new TensorMap(entries, checkpointPrefix);

        ExpectedTensor Entry(string name, torch.Tensor tensor)
        {
            var checkpointName = checkpointPrefix + name;
            return new ExpectedTensor(name, rename is null ? checkpointName : rename(checkpointName), tensor.shape);
        }
    }
}

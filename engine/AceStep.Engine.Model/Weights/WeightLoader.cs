using AceStep.Engine.Torch;
using TorchSharp;

namespace AceStep.Engine.Model.Weights;

/// <summary>How <see cref="WeightLoader"/> resolves names and where the weights go.</summary>
public sealed record WeightLoadOptions
{
    /// <summary>
    /// Prefixes a checkpoint may add or omit, tried in order when the exact name is absent: with <c>model.</c> an
    /// expected <c>model.layers.0.mlp.up_proj.weight</c> is also found as <c>layers.0.mlp.up_proj.weight</c> and vice
    /// versa (LM checkpoints come both ways, spec §3.4).
    /// </summary>
    public IReadOnlyList<string> PrefixAliases { get; init; } = [];

    /// <summary>When true, checkpoint tensors in the map's scope that nothing takes are errors, not warnings.</summary>
    public bool RejectUnexpected { get; init; }

    /// <summary>Checkpoint names never reported as unexpected (e.g. a tied <c>lm_head.weight</c>).</summary>
    public Func<string, bool>? IgnoreUnexpected { get; init; }

    /// <summary>Device the module is moved to before loading; null leaves it where it is.</summary>
    public torch.Device? Device { get; init; }

    /// <summary>Floating-point dtype the module is converted to before loading; null leaves it as it is.</summary>
    public torch.ScalarType? DType { get; init; }

    /// <summary>
    /// How the linear layers' and token embeddings' weights (<see cref="Compact.IPackableWeight"/>) are held once loaded:
    /// each is converted as soon as its tensor is copied, so a model never sits whole in fp32 when held compactly;
    /// null keeps the fp32 parameters.
    /// </summary>
    public Compact.WeightHolding? Holding { get; init; }

    /// <summary>The engine policy: the runtime's device and compute dtype (fp32 on CPU; bf16, or fp16 if chosen, on CUDA).</summary>
    public static WeightLoadOptions ForRuntime(TorchRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        return new WeightLoadOptions { Device = runtime.Device, DType = runtime.ComputeDType };
    }
}

/// <summary>What a successful load did.</summary>
/// <param name="Loaded">Each expected tensor with the checkpoint tensor that filled it.</param>
/// <param name="Unexpected">Checkpoint tensors in scope that nothing took (warnings, unless rejected).</param>
public sealed record WeightLoadReport(IReadOnlyList<(ExpectedTensor Expected, CheckpointTensor Source)> Loaded, IReadOnlyList<UnexpectedTensor> Unexpected);

/// <summary>
/// Strict loading of checkpoint tensors into TorchSharp modules: every expected tensor must be present with the
/// exact shape, or nothing is loaded and a <see cref="CheckpointMismatchException"/> lists every problem.
/// </summary>
public static class WeightLoader
{
    /// <summary>
    /// Matches <paramref name="map"/> against <paramref name="checkpoint"/> without reading any data.
    /// </summary>
    /// <exception cref="CheckpointMismatchException">Missing or mis-shaped tensors, or unexpected ones when rejected.</exception>
    public static WeightLoadReport Resolve(CheckpointIndex checkpoint, TensorMap map, WeightLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(map);
        options ??= new WeightLoadOptions();

        var loaded = new List<(ExpectedTensor, CheckpointTensor)>();
        var missing = new List<MissingTensor>();
        var mismatched = new List<MismatchedTensor>();
        var consumed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var expected in map.Entries)
        {
            var found = Candidates(expected.CheckpointName, options.PrefixAliases)
                .Select(n => checkpoint.TryGet(n, out var t) ? t : null)
                .FirstOrDefault(t => t is not null);
            if (found is null)
            {
                missing.Add(new MissingTensor(expected.CheckpointName, expected.Shape));
                continue;
            }

            consumed.Add(found.Info.Name);
            if (!found.Info.Shape.SequenceEqual(expected.Shape))
                mismatched.Add(new MismatchedTensor(found.Info.Name, expected.Shape, found.Info.Shape, found.FilePath));
            else
                loaded.Add((expected, found));
        }

        var unexpected = checkpoint.Tensors.Values
            .Where(t => !consumed.Contains(t.Info.Name)
                && Candidates(t.Info.Name, options.PrefixAliases).Any(n => n.StartsWith(map.CheckpointScope, StringComparison.Ordinal))
                && options.IgnoreUnexpected?.Invoke(t.Info.Name) != true)
            .OrderBy(t => t.Info.Name, StringComparer.Ordinal)
            .Select(t => new UnexpectedTensor(t.Info.Name, t.FilePath))
            .ToList();

        if (missing.Count > 0 || mismatched.Count > 0 || (options.RejectUnexpected && unexpected.Count > 0))
        {
            var rejected = options.RejectUnexpected ? unexpected : new List<UnexpectedTensor>();
            throw new CheckpointMismatchException(Describe(checkpoint, missing, mismatched, rejected))
            {
                Missing = missing,
                Mismatched = mismatched,
                Unexpected = rejected,
            };
        }

        return new WeightLoadReport(loaded, unexpected);
    }

    /// <summary>
    /// Strictly loads <paramref name="module"/>'s parameters from <paramref name="checkpoint"/>: resolves the map
    /// (failing before any copy), moves/converts the module per <paramref name="options"/>, then copies each tensor
    /// from the mapped file into its parameter under no_grad (libtorch converts the stored dtype on the copy).
    /// </summary>
    /// <exception cref="CheckpointMismatchException">Missing or mis-shaped tensors, or unexpected ones when rejected.</exception>
    /// <exception cref="ArgumentException">The map names a parameter the module does not have.</exception>
    public static WeightLoadReport Load(torch.nn.Module module, CheckpointIndex checkpoint, TensorMap map, WeightLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        options ??= new WeightLoadOptions();
        var report = Resolve(checkpoint, map, options);

        if (options.DType is { } dtype)
            module.to(dtype);
        if (options.Device is { } device)
            module.to(device);

        var targets = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        foreach (var (name, parameter) in module.named_parameters())
            targets[name] = parameter;
        foreach (var (name, buffer) in module.named_buffers(true, false))
            targets.TryAdd(name, buffer);

        var packables = options.Holding is null ? null : Compact.WeightPacking.Find(module);
        using var noGrad = torch.no_grad();
        foreach (var (expected, source) in report.Loaded)
        {
            if (!targets.TryGetValue(expected.ParameterName, out var target))
                throw new ArgumentException($"The module has no parameter '{expected.ParameterName}' named by the tensor map.", nameof(map));
            using (torch.NewDisposeScope())
            {
                var stored = source.File.ReadTensor(source.Info.Name);
                target.copy_(stored);
            }

            if (packables is not null && packables.TryGetValue(expected.ParameterName, out var packable))
                packable.Hold(options.Holding!);
        }

        return report;
    }

    /// <summary>Loads a module whose parameter names equal the checkpoint names after <paramref name="checkpointPrefix"/>.</summary>
    /// <exception cref="CheckpointMismatchException">Missing or mis-shaped tensors, or unexpected ones when rejected.</exception>
    public static WeightLoadReport Load(torch.nn.Module module, CheckpointIndex checkpoint, string checkpointPrefix = "", WeightLoadOptions? options = null) =>
        Load(module, checkpoint, TensorMap.FromModule(module, checkpointPrefix), options);

    private static IEnumerable<string> Candidates(string name, IReadOnlyList<string> aliases)
    {
        yield return name;
        foreach (var alias in aliases)
            yield return name.StartsWith(alias, StringComparison.Ordinal) ? name[alias.Length..] : alias + name;
    }

    private static string Describe(CheckpointIndex checkpoint, List<MissingTensor> missing, List<MismatchedTensor> mismatched,
        List<UnexpectedTensor> unexpected)
    {
        var files = string.Join(", ", checkpoint.Files.Select(f => f.FilePath));
        var lines = new List<string>
        {
            $"Checkpoint {checkpoint.Source} does not match the model: {missing.Count} missing, {mismatched.Count} with the wrong shape" +
            (unexpected.Count > 0 ? $", {unexpected.Count} unexpected." : "."),
        };
        lines.AddRange(missing.Select(m => $"  missing: {m} — not in {files}"));
        lines.AddRange(mismatched.Select(m => $"  wrong shape: {m}"));
        lines.AddRange(unexpected.Select(u => $"  unexpected: {u}"));
        return string.Join(Environment.NewLine, lines);
    }
}

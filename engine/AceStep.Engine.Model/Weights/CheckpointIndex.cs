using System.Text.Json;
using TorchSharp;

namespace AceStep.Engine.Model.Weights;

/// <summary>Where a checkpoint tensor lives: its file and its header entry.</summary>
/// <param name="File">The open safetensors file holding it.</param>
/// <param name="Info">Its header entry.</param>
public sealed record CheckpointTensor(SafetensorsFile File, SafetensorsTensorInfo Info)
{
    /// <summary>Path of the file holding the tensor.</summary>
    public string FilePath => File.FilePath;
}

/// <summary>
/// One name → (file, entry) view over a checkpoint that is either a single <c>.safetensors</c> file or a sharded one
/// described by <c>*.safetensors.index.json</c> (<c>{"metadata": …, "weight_map": {name: shard file}}</c>, shard paths
/// relative to the index). Owns the open (memory-mapped) files.
/// </summary>
public sealed class CheckpointIndex : IDisposable
{
    /// <summary>The index file name Hugging Face uses for sharded safetensors checkpoints.</summary>
    public const string ShardIndexFileName = "model.safetensors.index.json";

    private readonly List<SafetensorsFile> _files;
    private readonly Dictionary<string, CheckpointTensor> _tensors;

    private CheckpointIndex(string source, List<SafetensorsFile> files, Dictionary<string, CheckpointTensor> tensors)
    {
        Source = source;
        _files = files;
        _tensors = tensors;
    }

    /// <summary>The path the checkpoint was opened from (file, index or directory).</summary>
    public string Source { get; }

    /// <summary>The open files, in shard order.</summary>
    public IReadOnlyList<SafetensorsFile> Files => _files;

    /// <summary>All tensors by checkpoint name.</summary>
    public IReadOnlyDictionary<string, CheckpointTensor> Tensors => _tensors;

    /// <summary>
    /// Opens a checkpoint: a <c>.safetensors</c> file, an <c>.index.json</c> file, or a directory holding
    /// <see cref="ShardIndexFileName"/> or exactly one <c>.safetensors</c> file.
    /// </summary>
    /// <exception cref="FileNotFoundException">The path, or a directory's checkpoint, does not exist.</exception>
    /// <exception cref="CheckpointFormatException">A file is malformed, a shard is missing, or the index and shards disagree.</exception>
    public static CheckpointIndex Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        path = Path.GetFullPath(path);
        if (Directory.Exists(path))
        {
            var index = Path.Combine(path, ShardIndexFileName);
            if (File.Exists(index))
                return OpenSharded(index);
            var candidates = Directory.GetFiles(path, "*.safetensors");
            return candidates.Length == 1
                ? OpenSingle(candidates[0])
                : throw new FileNotFoundException(candidates.Length == 0
                    ? $"No {ShardIndexFileName} or .safetensors file in {path}."
                    : $"{path} holds {candidates.Length} .safetensors files and no {ShardIndexFileName}; open one file or add an index.", path);
        }

        if (!File.Exists(path))
            throw new FileNotFoundException($"Checkpoint not found: {path}", path);
        return path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? OpenSharded(path) : OpenSingle(path);
    }

    /// <summary>True when the checkpoint holds a tensor of that name.</summary>
    public bool Contains(string name) => _tensors.ContainsKey(name);

    /// <summary>Looks a tensor up by checkpoint name.</summary>
    public bool TryGet(string name, out CheckpointTensor tensor) => _tensors.TryGetValue(name, out tensor!);

    /// <summary>Reads a tensor by checkpoint name (see <see cref="SafetensorsFile.ReadTensor"/>).</summary>
    /// <exception cref="KeyNotFoundException">No tensor of that name.</exception>
    public torch.Tensor ReadTensor(string name, torch.ScalarType? dtype = null, torch.Device? device = null) =>
        _tensors.TryGetValue(name, out var tensor)
            ? tensor.File.ReadTensor(name, dtype, device)
            : throw new KeyNotFoundException($"Tensor '{name}' is not in checkpoint {Source}.");

    /// <summary>Unmaps every file.</summary>
    public void Dispose()
    {
        foreach (var file in _files)
            file.Dispose();
    }

    private static CheckpointIndex OpenSingle(string path)
    {
        var file = SafetensorsFile.Open(path);
        var tensors = file.Tensors.Values.ToDictionary(i => i.Name, i => new CheckpointTensor(file, i), StringComparer.Ordinal);
        return new CheckpointIndex(path, [file], tensors);
    }

    private static CheckpointIndex OpenSharded(string indexPath)
    {
        var weightMap = ReadWeightMap(indexPath);
        var directory = Path.GetDirectoryName(indexPath)!;
        var shardNames = weightMap.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var missing = shardNames.Where(s => !File.Exists(Path.Combine(directory, s))).ToList();
        if (missing.Count > 0)
        {
            var details = missing.Select(s => $"{Path.Combine(directory, s)} (holds e.g. '{weightMap.First(p => p.Value == s).Key}')");
            throw new CheckpointFormatException(
                $"Sharded checkpoint {indexPath}: {missing.Count} shard file(s) missing: {string.Join("; ", details)}.")
            { FilePath = Path.Combine(directory, missing[0]) };
        }

        var files = new List<SafetensorsFile>();
        try
        {
            var byShard = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
            foreach (var shard in shardNames)
            {
                var file = SafetensorsFile.Open(Path.Combine(directory, shard));
                files.Add(file);
                byShard[shard] = file;
            }

            var tensors = new Dictionary<string, CheckpointTensor>(StringComparer.Ordinal);
            foreach (var (name, shard) in weightMap)
            {
                var file = byShard[shard];
                if (!file.Tensors.TryGetValue(name, out var info))
                {
                    throw new CheckpointFormatException(
                        $"Sharded checkpoint {indexPath}: the weight_map puts tensor '{name}' in {file.FilePath}, which does not hold it.")
                    { FilePath = file.FilePath, TensorName = name };
                }

                tensors[name] = new CheckpointTensor(file, info);
            }

            // Tensors a shard holds that the index does not list are still part of the checkpoint, unless two shards
            // claim the same name.
            foreach (var file in files)
            {
                foreach (var info in file.Tensors.Values)
                {
                    if (weightMap.ContainsKey(info.Name))
                        continue;
                    if (!tensors.TryAdd(info.Name, new CheckpointTensor(file, info)))
                    {
                        throw new CheckpointFormatException(
                            $"Sharded checkpoint {indexPath}: tensor '{info.Name}' is in both {tensors[info.Name].FilePath} and {file.FilePath}.")
                        { FilePath = file.FilePath, TensorName = info.Name };
                    }
                }
            }

            return new CheckpointIndex(indexPath, files, tensors);
        }
        catch
        {
            foreach (var file in files)
                file.Dispose();
            throw;
        }
    }

    private static Dictionary<string, string> ReadWeightMap(string indexPath)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(indexPath));
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
                throw new CheckpointFormatException($"Checkpoint index {indexPath} has no weight_map object.") { FilePath = indexPath };
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in map.EnumerateObject())
            {
                var shard = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString() : null;
                if (string.IsNullOrEmpty(shard) || Path.IsPathRooted(shard) || shard.Contains("..", StringComparison.Ordinal))
                {
                    throw new CheckpointFormatException(
                        $"Checkpoint index {indexPath}: tensor '{entry.Name}' maps to an invalid shard {entry.Value.GetRawText()}.")
                    { FilePath = indexPath, TensorName = entry.Name };
                }

                result[entry.Name] = shard;
            }

            return result;
        }
        catch (JsonException e)
        {
            throw new CheckpointFormatException($"Checkpoint index {indexPath} is not valid JSON ({e.Message}).", e) { FilePath = indexPath };
        }
    }
}

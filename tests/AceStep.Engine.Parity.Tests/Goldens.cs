using System.Text.Json;
using AceStep.Engine.Model.Weights;
using static TorchSharp.torch;

namespace AceStep.Engine.Parity.Tests;

/// <summary>The committed goldens (Goldens/manifest.json and one safetensors file per sampler case).</summary>
internal static class Goldens
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "Goldens");

    private static readonly Lazy<JsonDocument> s_manifest = new(() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "manifest.json"))));

    public static JsonElement Manifest => s_manifest.Value.RootElement;

    public static IEnumerable<string> SamplerCases => Manifest.GetProperty("cases").EnumerateObject().Select(c => c.Name);

    public static JsonElement Case(string name) => Manifest.GetProperty("cases").GetProperty(name);

    /// <summary>Every tensor of a case, as float32 on the CPU (bf16 outputs were stored widened to float32).</summary>
    public static Dictionary<string, Tensor> Tensors(string name)
    {
        using var file = SafetensorsFile.Open(Path.Combine(Directory, name + ".safetensors"));
        return file.Tensors.Keys.ToDictionary(k => k, k => file.ReadTensor(k, ScalarType.Float32));
    }
}

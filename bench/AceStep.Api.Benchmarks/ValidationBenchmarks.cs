using System.Text;
using System.Text.Json.Nodes;
using AceStep.Contracts.Tasks;
using AceStep.Contracts.Validation;
using BenchmarkDotNet.Attributes;

namespace AceStep.Api.Benchmarks;

/// <summary>
/// Validating one <c>audioInference</c> task: the seed document's longest example (seed 2, about 2.9 kB of JSON) and
/// a minimal task, from UTF-8 JSON text (parse + validate) and from an already parsed <see cref="JsonObject"/>.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ValidationBenchmarks
{
    private byte[] _seedUtf8 = [];
    private JsonObject _seedParsed = [];
    private byte[] _minimalUtf8 = [];
    private JsonObject _invalidParsed = [];

    [GlobalSetup]
    public void Setup()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestData", "seed-2-glasshouse-tango.request.json");
        _seedUtf8 = File.ReadAllBytes(path);
        _seedParsed = JsonNode.Parse(_seedUtf8)!.AsObject();
        _minimalUtf8 = Encoding.UTF8.GetBytes(
            """{"taskType":"audioInference","taskUUID":"3f0b8a0e-6c1d-4e2f-9a3b-5c6d7e8f9a0b","model":"runware:ace-step@v1.5-base","positivePrompt":"warm lo-fi piano"}""");
        var invalid = JsonNode.Parse(_seedUtf8)!.AsObject();
        invalid["duration"] = 500;
        invalid["CFGScale"] = "8";
        invalid["settings"]!["keyScale"] = "H major";
        _invalidParsed = invalid;
        if (!AudioInferenceValidator.Validate(_seedParsed, TransportKind.Http).IsValid ||
            AudioInferenceValidator.Validate(_invalidParsed, TransportKind.Http).Errors.Count != 3)
        {
            throw new InvalidOperationException("The benchmark inputs do not validate as expected.");
        }
    }

    [Benchmark(Baseline = true, Description = "seed example: parse + validate")]
    public AudioInferenceRequest? SeedFromText() =>
        AudioInferenceValidator.Validate(JsonNode.Parse(_seedUtf8)!.AsObject(), TransportKind.Http).Value;

    [Benchmark(Description = "seed example: validate pre-parsed")]
    public AudioInferenceRequest? SeedPreParsed() =>
        AudioInferenceValidator.Validate(_seedParsed, TransportKind.Http).Value;

    [Benchmark(Description = "minimal task: parse + validate")]
    public AudioInferenceRequest? MinimalFromText() =>
        AudioInferenceValidator.Validate(JsonNode.Parse(_minimalUtf8)!.AsObject(), TransportKind.Http).Value;

    [Benchmark(Description = "seed example with 3 errors: validate pre-parsed")]
    public int InvalidPreParsed() =>
        AudioInferenceValidator.Validate(_invalidParsed, TransportKind.Http).Errors.Count;
}

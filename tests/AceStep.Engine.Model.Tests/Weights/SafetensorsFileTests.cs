using AceStep.Engine.Model.Weights;
using TorchSharp;

namespace AceStep.Engine.Model.Tests.Weights;

public class SafetensorsFileTests
{
    [Theory]
    [InlineData(torch.ScalarType.Float32, "F32")]
    [InlineData(torch.ScalarType.Float16, "F16")]
    [InlineData(torch.ScalarType.BFloat16, "BF16")]
    public void Round_trip_keeps_values_shape_and_dtype(torch.ScalarType dtype, string headerName)
    {
        // Input: values exactly representable in every dtype (small dyadic rationals), 2-D and 1-D, plus metadata.
        using var dir = new TempDir();
        using var scope = torch.NewDisposeScope();
        var a = torch.tensor(new float[] { 1f, -2f, 0.5f, 3.25f, -0.125f, 100f }).reshape(2, 3).to(dtype);
        var b = torch.tensor(new float[] { 0f, 7f }).to(dtype);
        SafetensorsWriter.Write(dir.File("m.safetensors"), new Dictionary<string, torch.Tensor> { ["a.weight"] = a, ["b"] = b },
            new Dictionary<string, string> { ["format"] = "pt" });

        using var file = SafetensorsFile.Open(dir.File("m.safetensors"));
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal(0, file.DataStart % 8);
        Assert.Equal(headerName, file.GetInfo("a.weight").DType.ToHeaderName());
        Assert.Equal([2L, 3L], file.GetInfo("a.weight").Shape);
        var read = file.ReadTensor("a.weight");
        Assert.Equal(dtype, read.dtype);
        Assert.True(read.eq(a).all().item<bool>());
        Assert.True(file.ReadTensor("b").eq(b).all().item<bool>());
        var asFloat = file.ReadTensor("a.weight", torch.ScalarType.Float32);
        Assert.Equal(new float[] { 1f, -2f, 0.5f, 3.25f, -0.125f, 100f }, asFloat.data<float>().ToArray());
    }

    [Fact]
    public void Bf16_written_by_hand_decodes_as_the_high_half_of_fp32()
    {
        // Input: a hand-made file with BF16 bit patterns 0x3FC0 (1.5), 0xC049 (-3.140625), 0x7F80 (+inf), 0x0001 (2^-133).
        using var dir = new TempDir();
        var path = WeightsTestFiles.WriteRaw(dir.File("h.safetensors"),
            """{"x":{"dtype":"BF16","shape":[4],"data_offsets":[0,8]}}""",
            [0xC0, 0x3F, 0x49, 0xC0, 0x80, 0x7F, 0x01, 0x00]);

        using var file = SafetensorsFile.Open(path);
        using var scope = torch.NewDisposeScope();
        var values = file.ReadTensor("x", torch.ScalarType.Float32).data<float>().ToArray();
        Assert.Equal(1.5f, values[0]);
        Assert.Equal(-3.140625f, values[1]);
        Assert.Equal(float.PositiveInfinity, values[2]);
        Assert.Equal(BitConverter.Int32BitsToSingle(0x00010000), values[3]);
    }

    [Fact]
    public void Bf16_write_rounds_fp32_to_nearest_even_as_computed_by_hand()
    {
        // Input: fp32 1 + 2^-8 (0x3F808000: a tie, rounds down to even 0x3F80 = 1.0) and 1 + 3·2^-8 (0x3F818000: a tie,
        // rounds up to even 0x3F82 = 1.015625) and 1 + 2^-8 + 2^-20 (above the tie, rounds up to 0x3F81 = 1.0078125).
        using var dir = new TempDir();
        float[] input = [1.00390625f, 1.01171875f, 1.00390625f + MathF.Pow(2, -20)];
        var path = WeightsTestFiles.Write(dir.File("r.safetensors"),
            ("x", torch.tensor(input).to(torch.ScalarType.BFloat16)));

        using var file = SafetensorsFile.Open(path);
        var bytes = File.ReadAllBytes(path).AsSpan((int)file.DataStart).ToArray();
        Assert.Equal(new byte[] { 0x80, 0x3F, 0x82, 0x3F, 0x81, 0x3F }, bytes);
        using var scope = torch.NewDisposeScope();
        Assert.Equal(new[] { 1.0f, 1.015625f, 1.0078125f }, file.ReadTensor("x", torch.ScalarType.Float32).data<float>().ToArray());
    }

    [Fact]
    public void Truncated_file_is_a_format_error_naming_file_and_tensor()
    {
        // Input: a valid F32 [4] file with its last 4 data bytes cut off.
        using var dir = new TempDir();
        var path = WeightsTestFiles.Write(dir.File("t.safetensors"), ("w", torch.ones(4)));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^4]);

        var e = Assert.Throws<CheckpointFormatException>(() => SafetensorsFile.Open(path));
        Assert.Equal(path, e.FilePath);
        Assert.Equal("w", e.TensorName);
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void File_shorter_than_its_declared_header_is_truncated()
    {
        // Input: a header length of 1000 followed by only 10 bytes; and a 3-byte file.
        using var dir = new TempDir();
        var path = WeightsTestFiles.WriteRaw(dir.File("h.safetensors"), "{\"a\":1234}", [], declaredHeaderLength: 1000);
        Assert.Contains("truncated", Assert.Throws<CheckpointFormatException>(() => SafetensorsFile.Open(path)).Message, StringComparison.Ordinal);
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.Contains("truncated", Assert.Throws<CheckpointFormatException>(() => SafetensorsFile.Open(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_that_is_not_json_is_a_format_error()
    {
        // Input: header bytes "this is not json" followed by 8 data bytes.
        using var dir = new TempDir();
        var path = WeightsTestFiles.WriteRaw(dir.File("j.safetensors"), "this is not json", new byte[8]);
        var e = Assert.Throws<CheckpointFormatException>(() => SafetensorsFile.Open(path));
        Assert.Contains("not valid JSON", e.Message, StringComparison.Ordinal);
        Assert.Equal(path, e.FilePath);
    }

    [Fact]
    public void Out_of_range_offsets_are_a_format_error_naming_the_tensor()
    {
        // Input: F32 [2] declared at data_offsets [8, 16] while the data section holds only 8 bytes.
        using var dir = new TempDir();
        var path = WeightsTestFiles.WriteRaw(dir.File("o.safetensors"),
            """{"far":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}""", new byte[8]);
        var e = Assert.Throws<CheckpointFormatException>(() => SafetensorsFile.Open(path));
        Assert.Equal("far", e.TensorName);
        Assert.Contains("[8, 16]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Overlapping_offsets_are_a_format_error()
    {
        // Input: two F32 [2] tensors at [0, 8] and [4, 12] in a 12-byte data section.
        using var dir = new TempDir();
        var path = WeightsTestFiles.WriteRaw(dir.File("v.safetensors"),
            """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", new byte[12]);
        var e = Assert.Throws<CheckpointFormatException>(() => SafetensorsFile.Open(path));
        Assert.Contains("overlapping", e.Message, StringComparison.Ordinal);
        Assert.Equal("b", e.TensorName);
    }

    [Fact]
    public void Size_not_matching_shape_and_unknown_dtype_are_format_errors()
    {
        // Input: F32 [3] over 8 bytes; then dtype "F8_E4M3".
        using var dir = new TempDir();
        var path = WeightsTestFiles.WriteRaw(dir.File("s.safetensors"),
            """{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", new byte[8]);
        Assert.Contains("needs 12", Assert.Throws<CheckpointFormatException>(() => SafetensorsFile.Open(path)).Message, StringComparison.Ordinal);

        WeightsTestFiles.WriteRaw(path, """{"a":{"dtype":"F8_E4M3","shape":[8],"data_offsets":[0,8]}}""", new byte[8]);
        var e = Assert.Throws<CheckpointFormatException>(() => SafetensorsFile.Open(path));
        Assert.Contains("unknown dtype 'F8_E4M3'", e.Message, StringComparison.Ordinal);
        Assert.Equal("a", e.TensorName);
    }
}

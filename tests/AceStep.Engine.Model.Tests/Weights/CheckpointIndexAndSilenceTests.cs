using AceStep.Engine.Model.Weights;
using TorchSharp;

namespace AceStep.Engine.Model.Tests.Weights;

public class CheckpointIndexTests
{
    private static void WriteSharded(TempDir dir)
    {
        WeightsTestFiles.Write(dir.File("model-00001-of-00002.safetensors"),
            ("decoder.a.weight", torch.arange(6, dtype: torch.ScalarType.Float32).reshape(2, 3).to(torch.ScalarType.BFloat16)));
        WeightsTestFiles.Write(dir.File("model-00002-of-00002.safetensors"),
            ("decoder.b.bias", torch.tensor(new float[] { 9f, 8f })));
        File.WriteAllText(dir.File(CheckpointIndex.ShardIndexFileName), """
            {"metadata": {"total_size": 20}, "weight_map": {
              "decoder.a.weight": "model-00001-of-00002.safetensors",
              "decoder.b.bias": "model-00002-of-00002.safetensors"}}
            """);
    }

    [Fact]
    public void Sharded_checkpoint_gives_one_name_view_over_both_shards()
    {
        // Input: a directory with model.safetensors.index.json mapping two tensors to two shard files.
        using var dir = new TempDir();
        WriteSharded(dir);

        using var checkpoint = CheckpointIndex.Open(dir.Path);
        using var scope = torch.NewDisposeScope();
        Assert.Equal(2, checkpoint.Files.Count);
        Assert.Equal(dir.File("model-00001-of-00002.safetensors"), checkpoint.Tensors["decoder.a.weight"].FilePath);
        Assert.Equal(dir.File("model-00002-of-00002.safetensors"), checkpoint.Tensors["decoder.b.bias"].FilePath);
        Assert.Equal(new float[] { 0, 1, 2, 3, 4, 5 }, checkpoint.ReadTensor("decoder.a.weight", torch.ScalarType.Float32).data<float>().ToArray());
        Assert.Equal(new float[] { 9, 8 }, checkpoint.ReadTensor("decoder.b.bias").data<float>().ToArray());

        var map = new TensorMap([new ExpectedTensor("a", "decoder.a.weight", [2, 3]), new ExpectedTensor("b", "decoder.b.bias", [3])], "decoder.");
        var e = Assert.Throws<CheckpointMismatchException>(() => WeightLoader.Resolve(checkpoint, map));
        Assert.Contains($"decoder.b.bias: expected [3], found [2] in {dir.File("model-00002-of-00002.safetensors")}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_shard_file_is_a_clear_error()
    {
        // Input: the sharded checkpoint with its second shard file deleted.
        using var dir = new TempDir();
        WriteSharded(dir);
        File.Delete(dir.File("model-00002-of-00002.safetensors"));

        var e = Assert.Throws<CheckpointFormatException>(() => CheckpointIndex.Open(dir.File(CheckpointIndex.ShardIndexFileName)));
        Assert.Contains("shard file(s) missing", e.Message, StringComparison.Ordinal);
        Assert.Contains("model-00002-of-00002.safetensors", e.Message, StringComparison.Ordinal);
        Assert.Contains("decoder.b.bias", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Index_naming_a_tensor_its_shard_lacks_is_an_error()
    {
        // Input: the index also maps decoder.c.weight to shard 1, which does not hold it.
        using var dir = new TempDir();
        WriteSharded(dir);
        File.WriteAllText(dir.File(CheckpointIndex.ShardIndexFileName), """
            {"weight_map": {"decoder.a.weight": "model-00001-of-00002.safetensors",
              "decoder.b.bias": "model-00002-of-00002.safetensors", "decoder.c.weight": "model-00001-of-00002.safetensors"}}
            """);
        var e = Assert.Throws<CheckpointFormatException>(() => CheckpointIndex.Open(dir.Path));
        Assert.Equal("decoder.c.weight", e.TensorName);
    }
}

public class SilenceLatentTests
{
    [Fact]
    public void Reads_the_official_layout_and_transposes_to_time_major()
    {
        // Input: a torch.save-style zip "silence_latent/{data.pkl,data/0,byteorder,version}" with a float32
        // [1, 64, 15000] tensor whose element (c, t) is c * 1000 + t.
        using var dir = new TempDir();
        var values = new float[64 * 15000];
        for (var c = 0; c < 64; c++)
        {
            for (var t = 0; t < 15000; t++)
                values[(c * 15000) + t] = (c * 1000) + t;
        }

        var path = dir.File("silence_latent.pt");
        WeightsTestFiles.WriteTorchZip(path, "silence_latent", [1, 64, 15000], values);

        using var scope = torch.NewDisposeScope();
        var latent = SilenceLatent.Load(path);
        Assert.Equal([1L, SilenceLatent.Frames, SilenceLatent.Channels], latent.shape);
        Assert.Equal(torch.ScalarType.Float32, latent.dtype);
        Assert.Equal(0f, latent[0, 0, 0].item<float>());
        Assert.Equal(63 * 1000 + 14999f, latent[0, 14999, 63].item<float>());
        Assert.Equal(5 * 1000 + 123f, latent[0, 123, 5].item<float>());
        Assert.True(latent.is_contiguous());
    }

    [Fact]
    public void Wrong_shape_wrong_storage_and_foreign_globals_are_refused()
    {
        // Input: (1) a [1, 32, 10] tensor; (2) a HalfStorage; (3) a pickle whose GLOBAL is os.system.
        using var dir = new TempDir();
        var path = dir.File("s.pt");
        WeightsTestFiles.WriteTorchZip(path, "archive", [1, 32, 10], new float[320]);
        Assert.Contains("expected [1, 64, T]", Assert.Throws<CheckpointFormatException>(() => SilenceLatent.Load(path)).Message, StringComparison.Ordinal);

        File.Delete(path);
        WeightsTestFiles.WriteTorchZip(path, "archive", [1, 64, 2], new float[128], storageType: "HalfStorage");
        Assert.Contains("HalfStorage", Assert.Throws<CheckpointFormatException>(() => SilenceLatent.Load(path)).Message, StringComparison.Ordinal);

        File.Delete(path);
        WeightsTestFiles.WriteTorchZip(path, "archive", [1, 64, 2], new float[128], storageType: "system", storageModule: "os");
        Assert.Contains("Refusing pickle global", Assert.Throws<CheckpointFormatException>(() => SilenceLatent.Load(path)).Message, StringComparison.Ordinal);
    }
}

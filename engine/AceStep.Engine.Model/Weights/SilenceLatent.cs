using System.IO.Compression;
using TorchSharp;

namespace AceStep.Engine.Model.Weights;

/// <summary>
/// Reads <c>silence_latent.pt</c> (spec §3.1): a torch.save zip holding one float32 tensor [1, 64, 15000], the
/// VAE latent of 600 s of silence, without Python. The zip has <c>&lt;archive&gt;/data.pkl</c> (a pickle that rebuilds
/// the tensor from a storage key, offset, size and stride, read by a small opcode reader that runs nothing) and
/// <c>&lt;archive&gt;/data/&lt;key&gt;</c> (the storage's raw little-endian float32 bytes).
/// </summary>
public static class SilenceLatent
{
    /// <summary>Latent channels.</summary>
    public const int Channels = 64;

    /// <summary>Frames in the official file (600 s at 25 Hz).</summary>
    public const int Frames = 15000;

    /// <summary>
    /// Loads the file and returns it as [1, frames, 64] (time-major, as the handler transposes it), float32 on the
    /// CPU unless <paramref name="dtype"/>/<paramref name="device"/> say otherwise. Any frame count is accepted; the
    /// official file has <see cref="Frames"/>.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="CheckpointFormatException">Not a torch zip with one float32 [1, 64, T] tensor.</exception>
    public static torch.Tensor Load(string path, torch.ScalarType? dtype = null, torch.Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        path = Path.GetFullPath(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Silence latent not found: {path}", path);
        using var scope = torch.NewDisposeScope();
        var stored = ReadTorchZipTensor(path);
        if (stored.shape is not [1, Channels, > 0])
            throw Error(path, $"holds a tensor of shape {ShapeText.Format(stored.shape)}, expected [1, {Channels}, T] (T = {Frames} in the official file)");
        var result = stored.transpose(1, 2).contiguous().to(dtype ?? torch.ScalarType.Float32, device ?? torch.CPU);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>Reads the single float32 tensor of a torch.save zip as stored (e.g. [1, 64, 15000]).</summary>
    /// <exception cref="CheckpointFormatException">The zip, pickle or storage is not as expected.</exception>
    public static unsafe torch.Tensor ReadTorchZipTensor(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException e)
        {
            throw new CheckpointFormatException($"Torch file {path} is not a zip archive (legacy torch.save format?): {e.Message}", e) { FilePath = path };
        }

        using (zip)
        {
            var pickleEntry = zip.Entries.FirstOrDefault(e => e.FullName == "data.pkl" || e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal))
                ?? throw Error(path, "has no data.pkl entry");
            var root = pickleEntry.FullName[..^"data.pkl".Length];
            var byteOrder = zip.GetEntry(root + "byteorder");
            if (byteOrder is not null)
            {
                using var reader = new StreamReader(byteOrder.Open());
                if (reader.ReadToEnd().Trim() != "little")
                    throw Error(path, "stores big-endian data, which is not supported");
            }

            object? pickled;
            try
            {
                pickled = TorchPickleReader.Read(ReadAll(pickleEntry));
            }
            catch (InvalidDataException e)
            {
                throw new CheckpointFormatException($"Torch file {path}: data.pkl cannot be read: {e.Message}", e) { FilePath = path };
            }

            var tensors = TorchPickleReader.Tensors(pickled).ToList();
            if (tensors.Count != 1)
                throw Error(path, $"holds {tensors.Count} tensors, expected exactly one");
            var tensor = tensors[0];
            if (tensor.Storage.StorageType != "FloatStorage")
                throw Error(path, $"stores a {tensor.Storage.StorageType}, expected FloatStorage (float32)");
            CheckView(path, tensor);

            var dataEntry = zip.GetEntry(root + "data/" + tensor.Storage.Key)
                ?? throw Error(path, $"has no storage entry {root}data/{tensor.Storage.Key}");
            var byteCount = tensor.Storage.ElementCount * sizeof(float);
            if (dataEntry.Length != byteCount)
                throw Error(path, $"storage {dataEntry.FullName} has {dataEntry.Length} bytes, expected {tensor.Storage.ElementCount} float32 = {byteCount}");

            var storage = torch.empty([tensor.Storage.ElementCount], torch.ScalarType.Float32);
            try
            {
                if (byteCount > 0)
                {
                    using var stream = dataEntry.Open();
                    var pointer = TensorMemory.DataPointer(storage);
                    for (long done = 0; done < byteCount;)
                    {
                        var read = stream.Read(new Span<byte>(pointer + done, (int)Math.Min(byteCount - done, 1 << 24)));
                        if (read == 0)
                            throw Error(path, $"storage {dataEntry.FullName} ends after {done} of {byteCount} bytes");
                        done += read;
                    }
                }

                if (!BitConverter.IsLittleEndian)
                    throw Error(path, "cannot be read on a big-endian machine");
                using (storage)
                    return storage.as_strided(tensor.Size, tensor.Stride, tensor.Offset).contiguous();
            }
            catch
            {
                storage.Dispose();
                throw;
            }
        }
    }

    private static void CheckView(string path, PickledTensor tensor)
    {
        if (tensor.Offset < 0 || tensor.Size.Any(s => s < 0) || tensor.Stride.Any(s => s < 0))
            throw Error(path, "has a negative offset, size or stride");
        if (tensor.Size.Any(s => s == 0))
            return;
        var last = tensor.Offset + tensor.Size.Zip(tensor.Stride, (s, st) => (s - 1) * st).Sum();
        if (last >= tensor.Storage.ElementCount)
            throw Error(path, $"views element {last} of a {tensor.Storage.ElementCount}-element storage");
    }

    private static byte[] ReadAll(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static CheckpointFormatException Error(string path, string problem) =>
        new($"Torch file {path} {problem}.") { FilePath = path };

    /// <summary>
    /// Writes latents [1, T, 64] as <c>torch.save</c> does for the official file (a zip with <c>data.pkl</c>, one float32
    /// storage of [1, 64, T]), so converted or synthetic silence latents load like the shipped one.
    /// </summary>
    public static void Save(string path, torch.Tensor latents)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(latents);
        if (latents.shape is not [1, > 0, Channels])
            throw new ArgumentException($"Expected silence latents [1, T, {Channels}], got {ShapeText.Format(latents.shape)}.", nameof(latents));
        using var stored = latents.transpose(1, 2).contiguous().to(torch.ScalarType.Float32, torch.CPU);   // [1, 64, T]
        var values = stored.data<float>().ToArray();
        var frames = stored.shape[2];
        using var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create);
        Entry("silence_latent/data.pkl", Pickle(values.Length, frames));
        Entry("silence_latent/byteorder", "little"u8.ToArray());
        var data = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, data, 0, data.Length);
        Entry("silence_latent/data/0", data);
        Entry("silence_latent/version", "3\n"u8.ToArray());

        void Entry(string name, byte[] bytes)
        {
            using var stream = zip.CreateEntry(name, System.IO.Compression.CompressionLevel.NoCompression).Open();
            stream.Write(bytes);
        }
    }

    // Protocol-2 pickle of torch._utils._rebuild_tensor_v2 over one FloatStorage of shape [1, 64, T], contiguous: the
    // exact subset ReadTorchZipTensor accepts.
    private static byte[] Pickle(int numel, long frames)
    {
        var p = new MemoryStream();
        void Op(char c) => p.WriteByte((byte)c);
        void Text(string s) => p.Write(System.Text.Encoding.ASCII.GetBytes(s));
        void Str(string s)
        {
            Op('X');
            p.Write(BitConverter.GetBytes((uint)s.Length));
            Text(s);
        }

        void Int(long v)
        {
            Op('J');
            p.Write(BitConverter.GetBytes(checked((int)v)));
        }

        p.Write([0x80, 0x02]);
        Op('c');
        Text("torch._utils\n_rebuild_tensor_v2\n");
        Op('(');
        Op('(');
        Str("storage");
        Op('c');
        Text("torch\nFloatStorage\n");
        Str("0");
        Str("cpu");
        Int(numel);
        Op('t');
        Op('Q');
        Op('K');
        p.WriteByte(0);
        Op('(');
        Int(1);
        Int(Channels);
        Int(frames);
        Op('t');
        Op('(');
        Int(Channels * frames);
        Int(frames);
        Int(1);
        Op('t');
        p.WriteByte(0x89);
        Op('c');
        Text("collections\nOrderedDict\n");
        Op(')');
        Op('R');
        Op('t');
        Op('R');
        Op('.');
        return p.ToArray();
    }
}

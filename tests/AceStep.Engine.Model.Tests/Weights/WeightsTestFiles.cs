using System.IO.Compression;
using System.Text;
using AceStep.Engine.Model.Weights;
using TorchSharp;

namespace AceStep.Engine.Model.Tests.Weights;

/// <summary>A temporary directory for checkpoint files, deleted on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "acestep-weights-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

internal static class WeightsTestFiles
{
    /// <summary>Writes a safetensors file from (name, tensor) pairs, disposing the tensors.</summary>
    public static string Write(string path, params (string Name, torch.Tensor Tensor)[] tensors)
    {
        try
        {
            SafetensorsWriter.Write(path, tensors.ToDictionary(t => t.Name, t => t.Tensor));
            return path;
        }
        finally
        {
            foreach (var (_, tensor) in tensors)
                tensor.Dispose();
        }
    }

    /// <summary>Writes a safetensors file from a raw header JSON and data bytes, exactly as given.</summary>
    public static string WriteRaw(string path, string headerJson, byte[] data, long? declaredHeaderLength = null)
    {
        var header = Encoding.UTF8.GetBytes(headerJson);
        using var stream = System.IO.File.Create(path);
        stream.Write(BitConverter.GetBytes(declaredHeaderLength ?? header.Length));
        stream.Write(header);
        stream.Write(data);
        return path;
    }

    /// <summary>
    /// Writes a torch.save-style zip holding one float32 tensor of shape <paramref name="shape"/> (contiguous) whose
    /// element i is <paramref name="values"/>[i]. Layout produced (what torch.save writes for one tensor, protocol 2):
    /// <code>
    /// {root}/data.pkl   pickle:
    ///   80 02                                   PROTO 2
    ///   'c' "torch._utils\n_rebuild_tensor_v2\n"  GLOBAL
    ///   'q' 00                                  BINPUT 0
    ///   '('                                     MARK (args of _rebuild_tensor_v2)
    ///   '('                                     MARK (persistent id)
    ///   'X' u32 "storage"                       BINUNICODE
    ///   'c' "torch\nFloatStorage\n"             GLOBAL
    ///   'X' u32 "0"                             storage key
    ///   'X' u32 "cpu"                           location
    ///   'J' i32 numel                           BININT
    ///   't'                                     TUPLE  → ('storage', FloatStorage, '0', 'cpu', numel)
    ///   'Q'                                     BINPERSID
    ///   'K' 00                                  storage offset 0
    ///   '(' 'J' d0 'J' d1 … 't'                 size tuple
    ///   '(' 'J' s0 'J' s1 … 't'                 stride tuple (contiguous)
    ///   89                                      NEWFALSE (requires_grad)
    ///   'c' "collections\nOrderedDict\n" ')' 'R'  OrderedDict() (backward hooks)
    ///   't'                                     TUPLE (the args)
    ///   'R'                                     REDUCE
    ///   '.'                                     STOP
    /// {root}/byteorder  "little"
    /// {root}/data/0     numel × float32 little-endian
    /// {root}/version    "3\n"
    /// </code>
    /// </summary>
    public static void WriteTorchZip(string path, string root, long[] shape, float[] values, string storageType = "FloatStorage", string storageModule = "torch")
    {
        var pickle = new MemoryStream();
        void Op(char c) => pickle.WriteByte((byte)c);
        void Bytes(params byte[] b) => pickle.Write(b);
        void Text(string s) => pickle.Write(Encoding.ASCII.GetBytes(s));
        void Str(string s)
        {
            Op('X');
            Bytes(BitConverter.GetBytes((uint)s.Length));
            Text(s);
        }

        void Int(long v)
        {
            Op('J');
            Bytes(BitConverter.GetBytes((int)v));
        }

        Bytes(0x80, 0x02);
        Op('c');
        Text("torch._utils\n_rebuild_tensor_v2\n");
        Op('q');
        Bytes(0);
        Op('(');
        Op('(');
        Str("storage");
        Op('c');
        Text($"{storageModule}\n{storageType}\n");
        Str("0");
        Str("cpu");
        Int(values.Length);
        Op('t');
        Op('Q');
        Op('K');
        Bytes(0);
        Op('(');
        foreach (var d in shape)
            Int(d);
        Op('t');
        Op('(');
        for (var i = 0; i < shape.Length; i++)
            Int(shape.Skip(i + 1).Aggregate(1L, (a, b) => a * b));
        Op('t');
        Bytes(0x89);
        Op('c');
        Text("collections\nOrderedDict\n");
        Op(')');
        Op('R');
        Op('t');
        Op('R');
        Op('.');

        var data = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, data, 0, data.Length);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        Add(zip, root + "/data.pkl", pickle.ToArray());
        Add(zip, root + "/byteorder", Encoding.ASCII.GetBytes("little"));
        Add(zip, root + "/data/0", data);
        Add(zip, root + "/version", Encoding.ASCII.GetBytes("3\n"));
    }

    private static void Add(ZipArchive zip, string name, byte[] content)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        stream.Write(content);
    }
}

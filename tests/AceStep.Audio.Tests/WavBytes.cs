using System.Text;

namespace AceStep.Audio.Tests;

/// <summary>Builds WAV files byte by byte, so the reader is tested on layouts our writer never produces.</summary>
public static class WavBytes
{
    /// <summary>A RIFF/WAVE file of the given chunks, in order.</summary>
    public static byte[] Build(params byte[][] chunks)
    {
        var body = chunks.SelectMany(c => c).ToArray();
        return [.. Encoding.ASCII.GetBytes("RIFF"), .. BitConverter.GetBytes(4 + body.Length), .. Encoding.ASCII.GetBytes("WAVE"), .. body];
    }

    /// <summary>A chunk, padded to an even length; <paramref name="declaredSize"/> overrides the size field.</summary>
    public static byte[] Chunk(string id, byte[] payload, int? declaredSize = null)
    {
        byte[] pad = payload.Length % 2 == 1 ? [0] : [];
        return [.. Encoding.ASCII.GetBytes(id), .. BitConverter.GetBytes(declaredSize ?? payload.Length), .. payload, .. pad];
    }

    /// <summary>A 16-byte fmt chunk.</summary>
    public static byte[] Fmt(ushort tag, ushort channels, int rate, ushort bits)
    {
        var block = (ushort)Math.Max(1, channels * bits / 8);
        return Chunk("fmt ", [.. BitConverter.GetBytes(tag), .. BitConverter.GetBytes(channels), .. BitConverter.GetBytes(rate),
            .. BitConverter.GetBytes(rate * block), .. BitConverter.GetBytes(block), .. BitConverter.GetBytes(bits)]);
    }

    /// <summary>A 40-byte WAVE_FORMAT_EXTENSIBLE fmt chunk with the IEEE float sub-format.</summary>
    public static byte[] ExtensibleFloatFmt(ushort channels, int rate)
    {
        var block = (ushort)(channels * 4);
        var floatSubFormat = new Guid("00000003-0000-0010-8000-00aa00389b71").ToByteArray();
        return Chunk("fmt ", [.. BitConverter.GetBytes((ushort)0xFFFE), .. BitConverter.GetBytes(channels), .. BitConverter.GetBytes(rate),
            .. BitConverter.GetBytes(rate * block), .. BitConverter.GetBytes(block), .. BitConverter.GetBytes((ushort)32),
            .. BitConverter.GetBytes((ushort)22), .. BitConverter.GetBytes((ushort)32), .. BitConverter.GetBytes(3u), .. floatSubFormat]);
    }
}

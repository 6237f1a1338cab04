using System.Buffers.Binary;
using System.Text;

namespace AceStep.Ardour.Tests;

/// <summary>
/// The VST3 preset format Ardour stores a plugin's state in: "VST3", version (i32), the class ID as 32 ASCII hex
/// digits, the offset of the chunk list (i64); the list is "List", a count (i32) and per entry a four-letter id,
/// offset and size (i64 each). "Comp" is the component's (processor's) state, "Cont" the controller's.
/// </summary>
internal static class Vst3Preset
{
    /// <summary>The class ID the preset names.</summary>
    public static string ClassId(byte[] preset)
    {
        CheckHeader(preset);
        return Encoding.ASCII.GetString(preset, 8, 32);
    }

    /// <summary>The bytes of one chunk ("Comp" or "Cont").</summary>
    public static byte[] Chunk(byte[] preset, string id)
    {
        CheckHeader(preset);
        long list = BinaryPrimitives.ReadInt64LittleEndian(preset.AsSpan(40));
        if (list < 48 || list + 8 > preset.Length || Encoding.ASCII.GetString(preset, (int)list, 4) != "List")
        {
            throw new InvalidDataException("VST3 preset: no chunk list");
        }

        int count = BinaryPrimitives.ReadInt32LittleEndian(preset.AsSpan((int)list + 4));
        for (int i = 0; i < count; i++)
        {
            int entry = (int)list + 8 + (i * 20);
            if (Encoding.ASCII.GetString(preset, entry, 4) != id)
            {
                continue;
            }

            long offset = BinaryPrimitives.ReadInt64LittleEndian(preset.AsSpan(entry + 4));
            long size = BinaryPrimitives.ReadInt64LittleEndian(preset.AsSpan(entry + 12));
            if (offset < 0 || size < 0 || offset + size > preset.Length)
            {
                throw new InvalidDataException($"VST3 preset: chunk {id} lies outside the preset");
            }

            return preset.AsSpan((int)offset, (int)size).ToArray();
        }

        throw new InvalidDataException($"VST3 preset: no {id} chunk");
    }

    private static void CheckHeader(byte[] preset)
    {
        if (preset.Length < 48 || Encoding.ASCII.GetString(preset, 0, 4) != "VST3")
        {
            throw new InvalidDataException("not a VST3 preset");
        }
    }
}

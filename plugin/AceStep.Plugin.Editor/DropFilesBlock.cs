using System.Buffers.Binary;
using System.Text;

namespace AceStep.Plugin.Editor;

/// <summary>
/// The bytes of a Windows <c>CF_HDROP</c> block: a 20-byte <c>DROPFILES</c> header (offset of the list, drop point,
/// non-client flag, wide-character flag) followed by the paths as NUL-terminated UTF-16 strings and one more NUL,
/// which is what <c>DragQueryFileW</c> walks. Plain bytes, so its layout is checked on every platform.
/// </summary>
internal static class DropFilesBlock
{
    /// <summary>sizeof(DROPFILES) on Windows: DWORD pFiles, POINT pt, BOOL fNC, BOOL fWide.</summary>
    public const int HeaderSize = 20;

    /// <summary>The block for <paramref name="paths"/> (absolute Windows paths, at least one, none empty or with NUL).</summary>
    /// <exception cref="ArgumentException">No path, or an empty one, or one containing NUL (it would end the list early).</exception>
    public static byte[] Build(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
            throw new ArgumentException("A file drop needs at least one path.", nameof(paths));
        int chars = 1; // the list's closing NUL
        foreach (string path in paths)
        {
            if (string.IsNullOrEmpty(path) || path.Contains('\0', StringComparison.Ordinal))
                throw new ArgumentException($"A dropped path must be non-empty and free of NUL characters: \"{path}\".", nameof(paths));
            chars += path.Length + 1;
        }

        var block = new byte[HeaderSize + (chars * 2)];
        BinaryPrimitives.WriteUInt32LittleEndian(block, HeaderSize); // pFiles: the list follows the header
        // pt (0, 0) and fNC (FALSE): the drop point is the target's business.
        BinaryPrimitives.WriteInt32LittleEndian(block.AsSpan(16), 1); // fWide: UTF-16 paths
        int at = HeaderSize;
        foreach (string path in paths)
        {
            at += Encoding.Unicode.GetBytes(path, block.AsSpan(at));
            at += 2; // the path's NUL (the array is zeroed)
        }

        return block;
    }
}

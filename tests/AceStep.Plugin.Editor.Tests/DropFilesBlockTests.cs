using System.Buffers.Binary;
using System.Text;

namespace AceStep.Plugin.Editor.Tests;

/// <summary>The CF_HDROP block a dragged take is offered as on Windows, read back the way DragQueryFileW walks it.</summary>
public class DropFilesBlockTests
{
    [Fact]
    public void One_path_follows_a_wide_DROPFILES_header_and_ends_with_two_NULs()
    {
        // Input tried: a Windows path with an accent, CJK and a character outside the BMP (a surrogate pair in UTF-16).
        const string path = @"C:\Users\me\Takes é 中\AceStep 0001 take 🎺.wav";
        byte[] block = DropFilesBlock.Build([path]);

        Assert.Equal(20u, BinaryPrimitives.ReadUInt32LittleEndian(block)); // pFiles: right after the header
        Assert.Equal(0, BinaryPrimitives.ReadInt32LittleEndian(block.AsSpan(4))); // pt.x
        Assert.Equal(0, BinaryPrimitives.ReadInt32LittleEndian(block.AsSpan(8))); // pt.y
        Assert.Equal(0, BinaryPrimitives.ReadInt32LittleEndian(block.AsSpan(12))); // fNC
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(block.AsSpan(16))); // fWide
        Assert.Equal([path], Paths(block));
        // The path's NUL and the list's NUL close the block; nothing follows them.
        Assert.Equal(20 + ((path.Length + 2) * 2), block.Length);
        Assert.True(block.AsSpan(block.Length - 4).SequenceEqual(new byte[4]));
    }

    [Fact]
    public void Several_paths_are_listed_in_order()
    {
        string[] paths = [@"Z:\tmp\takes\a.wav", @"\\server\share\b take.wav"];
        Assert.Equal(paths, Paths(DropFilesBlock.Build(paths)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("C:\\takes\\a\0b.wav")]
    public void An_empty_path_or_one_with_NUL_is_refused(string path)
    {
        // Input tried: an empty path, and one with a NUL inside (it would end the list early for the target).
        var error = Assert.Throws<ArgumentException>(() => DropFilesBlock.Build([path]));
        Assert.Contains("NUL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_path_is_refused()
    {
        // Input tried: an empty list.
        Assert.Throws<ArgumentException>(() => DropFilesBlock.Build([]));
    }

    /// <summary>What DragQueryFileW reads: from pFiles, NUL-terminated UTF-16 strings until an empty one.</summary>
    private static List<string> Paths(byte[] block)
    {
        var paths = new List<string>();
        int at = (int)BinaryPrimitives.ReadUInt32LittleEndian(block);
        while (true)
        {
            int end = at;
            while (BinaryPrimitives.ReadUInt16LittleEndian(block.AsSpan(end)) != 0)
                end += 2;
            if (end == at)
                return paths;
            paths.Add(Encoding.Unicode.GetString(block, at, end - at));
            at = end + 2;
        }
    }
}

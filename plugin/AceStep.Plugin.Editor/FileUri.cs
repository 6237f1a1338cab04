using System.Text;

namespace AceStep.Plugin.Editor;

/// <summary>
/// <c>file://</c> URIs of local paths, as drag and drop hands them to other programs (XDND's <c>text/uri-list</c>,
/// RFC 2483): an empty host and the path's UTF-8 bytes percent-encoded (RFC 3986/8089), so spaces and non-ASCII names
/// arrive intact in any target.
/// </summary>
internal static class FileUri
{
    /// <summary>The URI of an absolute path, e.g. <c>/a b/Ä.wav</c> → <c>file:///a%20b/%C3%84.wav</c>.</summary>
    /// <exception cref="ArgumentException">The path is not absolute (a drop target could not resolve it).</exception>
    public static string FromPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!path.StartsWith('/'))
            throw new ArgumentException($"A file URI needs an absolute path; got \"{path}\".", nameof(path));
        var uri = new StringBuilder("file://", path.Length + 16);
        foreach (byte b in Encoding.UTF8.GetBytes(path))
        {
            // Unreserved characters and the path separator stay; everything else (space, %, #, ?, non-ASCII) is encoded.
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~' or (byte)'/')
                uri.Append((char)b);
            else
                uri.Append('%').Append(HexDigits[b >> 4]).Append(HexDigits[b & 15]);
        }

        return uri.ToString();
    }

    private const string HexDigits = "0123456789ABCDEF";
}

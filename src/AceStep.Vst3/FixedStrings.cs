using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace AceStep.Vst3;

/// <summary>Reads and writes NUL-terminated strings in the fixed-size arrays of VST3 structs.</summary>
public static class FixedString
{
    /// <summary>Writes <paramref name="value"/> as UTF-8, cut at a character boundary so a terminating NUL always fits; the rest is zeroed.</summary>
    /// <param name="destination">The <c>char8[N]</c> array.</param>
    /// <param name="value">The text (ASCII in practice).</param>
    public static void Write(Span<byte> destination, ReadOnlySpan<char> value)
    {
        destination.Clear();
        if (destination.IsEmpty)
        {
            return;
        }

        // FromUtf16 stops before a character that does not fit whole, so a cut string is still valid UTF-8.
        System.Text.Unicode.Utf8.FromUtf16(value, destination[..^1], out _, out _);
    }

    /// <summary>Writes <paramref name="value"/> as UTF-16, cut so a terminating NUL always fits; the rest is zeroed.</summary>
    /// <param name="destination">The <c>char16[N]</c> array.</param>
    /// <param name="value">The text.</param>
    public static void Write(Span<char> destination, ReadOnlySpan<char> value)
    {
        destination.Clear();
        if (destination.IsEmpty)
        {
            return;
        }

        int length = Math.Min(value.Length, destination.Length - 1);
        if (length > 0 && length < value.Length && char.IsHighSurrogate(value[length - 1]))
        {
            length--;
        }

        value[..length].CopyTo(destination);
    }

    /// <summary>Reads UTF-8 up to the first NUL (or the end of the array).</summary>
    /// <param name="source">The <c>char8[N]</c> array.</param>
    /// <returns>The text.</returns>
    public static string Read(ReadOnlySpan<byte> source)
    {
        int end = source.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? source : source[..end]);
    }

    /// <summary>Reads UTF-16 up to the first NUL (or the end of the array).</summary>
    /// <param name="source">The <c>char16[N]</c> array.</param>
    /// <returns>The text.</returns>
    public static string Read(ReadOnlySpan<char> source)
    {
        int end = source.IndexOf('\0');
        return new string(end < 0 ? source : source[..end]);
    }
}

/// <summary>A <c>char8[32]</c> (UTF-8, NUL-terminated) inside a VST3 struct.</summary>
[InlineArray(Length)]
public struct CString32
{
    /// <summary>Number of elements, including the terminating NUL.</summary>
    public const int Length = 32;

    private byte _element0;

    /// <summary>Creates the array holding <paramref name="value"/>.</summary>
    /// <param name="value">The text; cut if too long.</param>
    /// <returns>The filled array.</returns>
    public static CString32 From(string value)
    {
        var result = default(CString32);
        result.Set(value);
        return result;
    }

    /// <summary>The raw elements.</summary>
    /// <returns>A span over this array.</returns>
    [UnscopedRef]
    public Span<byte> AsSpan() => MemoryMarshal.CreateSpan(ref _element0, Length);

    /// <summary>Replaces the content with <paramref name="value"/>, cut if too long.</summary>
    /// <param name="value">The text.</param>
    public void Set(ReadOnlySpan<char> value) => FixedString.Write(AsSpan(), value);

    /// <summary>The text up to the first NUL.</summary>
    /// <returns>The text.</returns>
    public override readonly string ToString() =>
        FixedString.Read(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.AsRef(in _element0), Length));
}

/// <summary>A <c>char8[64]</c> (UTF-8, NUL-terminated) inside a VST3 struct.</summary>
[InlineArray(Length)]
public struct CString64
{
    /// <summary>Number of elements, including the terminating NUL.</summary>
    public const int Length = 64;

    private byte _element0;

    /// <summary>Creates the array holding <paramref name="value"/>.</summary>
    /// <param name="value">The text; cut if too long.</param>
    /// <returns>The filled array.</returns>
    public static CString64 From(string value)
    {
        var result = default(CString64);
        result.Set(value);
        return result;
    }

    /// <summary>The raw elements.</summary>
    /// <returns>A span over this array.</returns>
    [UnscopedRef]
    public Span<byte> AsSpan() => MemoryMarshal.CreateSpan(ref _element0, Length);

    /// <summary>Replaces the content with <paramref name="value"/>, cut if too long.</summary>
    /// <param name="value">The text.</param>
    public void Set(ReadOnlySpan<char> value) => FixedString.Write(AsSpan(), value);

    /// <summary>The text up to the first NUL.</summary>
    /// <returns>The text.</returns>
    public override readonly string ToString() =>
        FixedString.Read(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.AsRef(in _element0), Length));
}

/// <summary>A <c>char8[128]</c> (UTF-8, NUL-terminated) inside a VST3 struct.</summary>
[InlineArray(Length)]
public struct CString128
{
    /// <summary>Number of elements, including the terminating NUL.</summary>
    public const int Length = 128;

    private byte _element0;

    /// <summary>Creates the array holding <paramref name="value"/>.</summary>
    /// <param name="value">The text; cut if too long.</param>
    /// <returns>The filled array.</returns>
    public static CString128 From(string value)
    {
        var result = default(CString128);
        result.Set(value);
        return result;
    }

    /// <summary>The raw elements.</summary>
    /// <returns>A span over this array.</returns>
    [UnscopedRef]
    public Span<byte> AsSpan() => MemoryMarshal.CreateSpan(ref _element0, Length);

    /// <summary>Replaces the content with <paramref name="value"/>, cut if too long.</summary>
    /// <param name="value">The text.</param>
    public void Set(ReadOnlySpan<char> value) => FixedString.Write(AsSpan(), value);

    /// <summary>The text up to the first NUL.</summary>
    /// <returns>The text.</returns>
    public override readonly string ToString() =>
        FixedString.Read(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.AsRef(in _element0), Length));
}

/// <summary>A <c>char8[256]</c> (UTF-8, NUL-terminated) inside a VST3 struct.</summary>
[InlineArray(Length)]
public struct CString256
{
    /// <summary>Number of elements, including the terminating NUL.</summary>
    public const int Length = 256;

    private byte _element0;

    /// <summary>Creates the array holding <paramref name="value"/>.</summary>
    /// <param name="value">The text; cut if too long.</param>
    /// <returns>The filled array.</returns>
    public static CString256 From(string value)
    {
        var result = default(CString256);
        result.Set(value);
        return result;
    }

    /// <summary>The raw elements.</summary>
    /// <returns>A span over this array.</returns>
    [UnscopedRef]
    public Span<byte> AsSpan() => MemoryMarshal.CreateSpan(ref _element0, Length);

    /// <summary>Replaces the content with <paramref name="value"/>, cut if too long.</summary>
    /// <param name="value">The text.</param>
    public void Set(ReadOnlySpan<char> value) => FixedString.Write(AsSpan(), value);

    /// <summary>The text up to the first NUL.</summary>
    /// <returns>The text.</returns>
    public override readonly string ToString() =>
        FixedString.Read(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.AsRef(in _element0), Length));
}

/// <summary>A <c>char16[64]</c> (UTF-16, NUL-terminated) inside a VST3 struct.</summary>
[InlineArray(Length)]
public struct String64
{
    /// <summary>Number of elements, including the terminating NUL.</summary>
    public const int Length = 64;

    private char _element0;

    /// <summary>Creates the array holding <paramref name="value"/>.</summary>
    /// <param name="value">The text; cut if too long.</param>
    /// <returns>The filled array.</returns>
    public static String64 From(string value)
    {
        var result = default(String64);
        result.Set(value);
        return result;
    }

    /// <summary>The raw elements.</summary>
    /// <returns>A span over this array.</returns>
    [UnscopedRef]
    public Span<char> AsSpan() => MemoryMarshal.CreateSpan(ref _element0, Length);

    /// <summary>Replaces the content with <paramref name="value"/>, cut if too long.</summary>
    /// <param name="value">The text.</param>
    public void Set(ReadOnlySpan<char> value) => FixedString.Write(AsSpan(), value);

    /// <summary>The text up to the first NUL.</summary>
    /// <returns>The text.</returns>
    public override readonly string ToString() =>
        FixedString.Read(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.AsRef(in _element0), Length));
}

/// <summary>A <c>char16[128]</c> (UTF-16, NUL-terminated, the SDK&apos;s String128) inside a VST3 struct.</summary>
[InlineArray(Length)]
public struct String128
{
    /// <summary>Number of elements, including the terminating NUL.</summary>
    public const int Length = 128;

    private char _element0;

    /// <summary>Creates the array holding <paramref name="value"/>.</summary>
    /// <param name="value">The text; cut if too long.</param>
    /// <returns>The filled array.</returns>
    public static String128 From(string value)
    {
        var result = default(String128);
        result.Set(value);
        return result;
    }

    /// <summary>The raw elements.</summary>
    /// <returns>A span over this array.</returns>
    [UnscopedRef]
    public Span<char> AsSpan() => MemoryMarshal.CreateSpan(ref _element0, Length);

    /// <summary>Replaces the content with <paramref name="value"/>, cut if too long.</summary>
    /// <param name="value">The text.</param>
    public void Set(ReadOnlySpan<char> value) => FixedString.Write(AsSpan(), value);

    /// <summary>The text up to the first NUL.</summary>
    /// <returns>The text.</returns>
    public override readonly string ToString() =>
        FixedString.Read(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.AsRef(in _element0), Length));
}

using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AceStep.Vst3;

/// <summary>
/// The 16 bytes of a VST3 <c>TUID</c> exactly as they lie in memory. Blittable, so a <c>const TUID</c> argument can be
/// read as <c>Tuid*</c>. Which bytes an interface has depends on the encoding; build one from a <see cref="Vst3Uid"/>.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct Tuid : IEquatable<Tuid>
{
    // C++ declares char[16]: alignment 1, so a TUID inside PClassInfo adds no padding (a ulong pair would add 4 bytes).
    private readonly Bytes16 _bytes;

    /// <summary>Creates a TUID from 16 bytes in memory order.</summary>
    /// <param name="bytes">Exactly 16 bytes.</param>
    public Tuid(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 16)
        {
            throw new ArgumentException("A TUID has exactly 16 bytes.", nameof(bytes));
        }

        bytes.CopyTo(_bytes);
    }

    /// <summary>The all-zero TUID.</summary>
    public static Tuid Empty => default;

    /// <summary>The 16 bytes in memory order.</summary>
    /// <returns>A new array.</returns>
    public byte[] ToByteArray()
    {
        var bytes = new byte[16];
        CopyTo(bytes);
        return bytes;
    }

    /// <summary>Writes the 16 bytes in memory order to <paramref name="destination"/>.</summary>
    /// <param name="destination">At least 16 bytes.</param>
    public void CopyTo(Span<byte> destination) => ((ReadOnlySpan<byte>)_bytes).CopyTo(destination);

    /// <summary>Reads a TUID from native memory.</summary>
    /// <param name="source">16 readable bytes.</param>
    /// <returns>The TUID.</returns>
    public static unsafe Tuid Read(void* source) => Unsafe.ReadUnaligned<Tuid>(source);

    /// <summary>Writes this TUID to native memory.</summary>
    /// <param name="destination">16 writable bytes.</param>
    public unsafe void Write(void* destination) => Unsafe.WriteUnaligned(destination, this);

    /// <summary>Parses 32 hexadecimal digits (memory order), as moduleinfo.json and hosts print class IDs.</summary>
    /// <param name="hex">32 hex digits; dashes and braces are ignored.</param>
    /// <returns>The TUID.</returns>
    public static Tuid Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        string digits = hex.Replace("-", "", StringComparison.Ordinal).Trim('{', '}');
        if (digits.Length != 32)
        {
            throw new FormatException($"A TUID needs 32 hex digits, got '{hex}'.");
        }

        return new Tuid(Convert.FromHexString(digits));
    }

    /// <summary>The 32 upper-case hex digits of the bytes in memory order.</summary>
    /// <returns>For example <c>E831FF31F2D54301928EBBEE25697802</c>.</returns>
    public override string ToString() => Convert.ToHexString(_bytes);

    /// <inheritdoc/>
    public bool Equals(Tuid other) => ((ReadOnlySpan<byte>)_bytes).SequenceEqual(other._bytes);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Tuid other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }

    /// <summary>Compares two TUIDs byte for byte.</summary>
    /// <param name="left">One TUID.</param>
    /// <param name="right">The other.</param>
    /// <returns>Whether all 16 bytes are equal.</returns>
    public static bool operator ==(Tuid left, Tuid right) => left.Equals(right);

    /// <summary>Compares two TUIDs byte for byte.</summary>
    /// <param name="left">One TUID.</param>
    /// <param name="right">The other.</param>
    /// <returns>Whether any byte differs.</returns>
    public static bool operator !=(Tuid left, Tuid right) => !left.Equals(right);
}

/// <summary>
/// An interface or class identifier as the SDK declares it: four uint32s (<c>DECLARE_CLASS_IID(name, l1, l2, l3, l4)</c>).
/// The bytes a binary compares depend on the encoding, so both are derived here from the same four numbers.
/// </summary>
public readonly struct Vst3Uid : IEquatable<Vst3Uid>
{
    /// <summary>Creates an identifier from the four numbers of its declaration.</summary>
    /// <param name="l1">First uint32.</param>
    /// <param name="l2">Second uint32.</param>
    /// <param name="l3">Third uint32.</param>
    /// <param name="l4">Fourth uint32.</param>
    public Vst3Uid(uint l1, uint l2, uint l3, uint l4)
    {
        L1 = l1;
        L2 = l2;
        L3 = l3;
        L4 = l4;
        Tuid = ToTuid(Vst3Platform.Encoding);
    }

    /// <summary>First uint32 of the declaration.</summary>
    public uint L1 { get; }

    /// <summary>Second uint32 of the declaration.</summary>
    public uint L2 { get; }

    /// <summary>Third uint32 of the declaration.</summary>
    public uint L3 { get; }

    /// <summary>Fourth uint32 of the declaration.</summary>
    public uint L4 { get; }

    /// <summary>The bytes for the current platform, computed once.</summary>
    public Tuid Tuid { get; }

    /// <summary>The bytes a binary of <paramref name="encoding"/> uses.</summary>
    /// <param name="encoding">Linux/macOS (<see cref="Vst3Encoding.NonCom"/>) or Windows (<see cref="Vst3Encoding.Com"/>).</param>
    /// <returns>The TUID.</returns>
    public Tuid ToTuid(Vst3Encoding encoding)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (encoding == Vst3Encoding.Com)
        {
            // GUID memory layout: Data1, Data2, Data3 little-endian, Data4 (l3, l4) as bytes.
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, L1);
            BinaryPrimitives.WriteUInt16LittleEndian(bytes[4..], (ushort)(L2 >> 16));
            BinaryPrimitives.WriteUInt16LittleEndian(bytes[6..], (ushort)(L2 & 0xFFFF));
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, L1);
            BinaryPrimitives.WriteUInt32BigEndian(bytes[4..], L2);
        }

        BinaryPrimitives.WriteUInt32BigEndian(bytes[8..], L3);
        BinaryPrimitives.WriteUInt32BigEndian(bytes[12..], L4);
        return new Tuid(bytes);
    }

    /// <summary>The same identifier as a .NET <see cref="Guid"/> (<c>L1-L2hi-L2lo-L3hi-L3lo+L4</c>).</summary>
    /// <returns>The GUID.</returns>
    public Guid ToGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        ToTuid(Vst3Encoding.NonCom).CopyTo(bytes);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>Splits a GUID into the four numbers of a declaration.</summary>
    /// <param name="value">Any GUID.</param>
    /// <returns>The identifier.</returns>
    public static Vst3Uid FromGuid(Guid value)
    {
        Span<byte> bytes = stackalloc byte[16];
        value.TryWriteBytes(bytes, bigEndian: true, out _);
        return new Vst3Uid(
            BinaryPrimitives.ReadUInt32BigEndian(bytes),
            BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(bytes[12..]));
    }

    /// <summary>The declaration form, e.g. <c>E831FF31 F2D54301 928EBBEE 25697802</c>.</summary>
    /// <returns>Four groups of eight hex digits.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{L1:X8} {L2:X8} {L3:X8} {L4:X8}");

    /// <inheritdoc/>
    public bool Equals(Vst3Uid other) => L1 == other.L1 && L2 == other.L2 && L3 == other.L3 && L4 == other.L4;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Vst3Uid other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(L1, L2, L3, L4);

    /// <summary>Compares the four numbers.</summary>
    /// <param name="left">One identifier.</param>
    /// <param name="right">The other.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(Vst3Uid left, Vst3Uid right) => left.Equals(right);

    /// <summary>Compares the four numbers.</summary>
    /// <param name="left">One identifier.</param>
    /// <param name="right">The other.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(Vst3Uid left, Vst3Uid right) => !left.Equals(right);
}

[InlineArray(16)]
internal struct Bytes16
{
    private byte _element0;
}

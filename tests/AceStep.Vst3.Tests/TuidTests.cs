using AceStep.Vst3;

namespace AceStep.Vst3.Tests;

public class TuidTests
{
    [Fact]
    public void Bytes_round_trip_in_memory_order()
    {
        byte[] bytes = Convert.FromHexString("00112233445566778899AABBCCDDEEFF");
        var tuid = new Tuid(bytes);
        Assert.Equal(bytes, tuid.ToByteArray());
        Assert.Equal("00112233445566778899AABBCCDDEEFF", tuid.ToString());
        Assert.Equal(tuid, Tuid.Parse("00112233-4455-6677-8899-aabbccddeeff"));
    }

    [Fact]
    public unsafe void Read_and_write_go_through_native_memory()
    {
        var tuid = Iids.IPluginFactory3.ToTuid(Vst3Encoding.NonCom);
        byte* buffer = stackalloc byte[17];
        tuid.Write(buffer + 1); // deliberately unaligned
        Assert.Equal("4555A2ABC1234E579B12291036878931", Convert.ToHexString(new ReadOnlySpan<byte>(buffer + 1, 16)));
        Assert.Equal(tuid, Tuid.Read(buffer + 1));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0011")]
    [InlineData("00112233445566778899AABBCCDDEEFF00")]
    public void Parse_rejects_a_wrong_number_of_digits(string input)
    {
        Assert.Throws<FormatException>(() => Tuid.Parse(input));
    }

    [Fact]
    public void Parse_rejects_non_hex_digits()
    {
        // Input: 32 characters, the last one not hex.
        Assert.Throws<FormatException>(() => Tuid.Parse("00112233445566778899AABBCCDDEEFZ"));
    }

    [Fact]
    public void Constructor_rejects_fifteen_bytes()
    {
        Assert.Throws<ArgumentException>(() => new Tuid(new byte[15]));
    }

    [Fact]
    public void Equality_compares_all_sixteen_bytes()
    {
        var a = Iids.IComponent.ToTuid(Vst3Encoding.NonCom);
        byte[] changed = a.ToByteArray();
        changed[15] ^= 1;
        Assert.NotEqual(a, new Tuid(changed));
        Assert.True(a != new Tuid(changed));
        Assert.True(a == new Tuid(a.ToByteArray()));
    }
}

using AceStep.Vst3;

namespace AceStep.Vst3.Tests;

public class ResultCodeTests
{
    [Fact]
    public void Linux_and_macOS_codes_are_the_small_non_com_values()
    {
        var c = ResultCodes.NonCom;
        Assert.Equal(-1, c.NoInterface);
        Assert.Equal(0, c.ResultOk);
        Assert.Equal(0, c.ResultTrue);
        Assert.Equal(1, c.ResultFalse);
        Assert.Equal(2, c.InvalidArgument);
        Assert.Equal(3, c.NotImplemented);
        Assert.Equal(4, c.InternalError);
        Assert.Equal(5, c.NotInitialized);
        Assert.Equal(6, c.OutOfMemory);
    }

    [Fact]
    public void Windows_codes_are_hresults()
    {
        var c = ResultCodes.Com;
        Assert.Equal(0x80004002u, (uint)c.NoInterface);
        Assert.Equal(0, c.ResultOk);
        Assert.Equal(0, c.ResultTrue);
        Assert.Equal(1, c.ResultFalse);
        Assert.Equal(0x80070057u, (uint)c.InvalidArgument);
        Assert.Equal(0x80004001u, (uint)c.NotImplemented);
        Assert.Equal(0x80004005u, (uint)c.InternalError);
        Assert.Equal(0x8000FFFFu, (uint)c.NotInitialized);
        Assert.Equal(0x8007000Eu, (uint)c.OutOfMemory);
    }

    [Fact]
    public void Current_codes_follow_the_platform_switch()
    {
        var expected = OperatingSystem.IsWindows() ? ResultCodes.Com : ResultCodes.NonCom;
        Assert.Equal(expected, Vst3Result.Codes);
        Assert.Equal(expected, ResultCodes.For(Vst3Platform.Encoding));
        Assert.Equal(expected.NoInterface, Vst3Result.NoInterface);
        Assert.Equal(expected.InvalidArgument, Vst3Result.InvalidArgument);
        Assert.Equal(expected.InternalError, Vst3Result.InternalError);
        Assert.Equal(expected.ResultFalse, Vst3Result.False);
    }

    [Fact]
    public void Describe_names_the_code()
    {
        Assert.Equal("kNoInterface (-1)", ResultCodes.NonCom.Describe(-1));
        Assert.Equal("unknown (77)", ResultCodes.NonCom.Describe(77));
    }
}

using System.Reflection;
using AceStep.Vst3;

namespace AceStep.Vst3.Tests;

/// <summary>Interface IDs against the Linux byte column of shared/spec/vst3-abi.md §1.4 (measured with the real SDK).</summary>
public class IidTests
{
    private static readonly Dictionary<string, Vst3Uid> s_byName = new()
    {
        [nameof(Iids.FUnknown)] = Iids.FUnknown,
        [nameof(Iids.IPluginBase)] = Iids.IPluginBase,
        [nameof(Iids.IPluginFactory)] = Iids.IPluginFactory,
        [nameof(Iids.IPluginFactory2)] = Iids.IPluginFactory2,
        [nameof(Iids.IPluginFactory3)] = Iids.IPluginFactory3,
        [nameof(Iids.IComponent)] = Iids.IComponent,
        [nameof(Iids.IAudioProcessor)] = Iids.IAudioProcessor,
        [nameof(Iids.IProcessContextRequirements)] = Iids.IProcessContextRequirements,
        [nameof(Iids.IAudioPresentationLatency)] = Iids.IAudioPresentationLatency,
        [nameof(Iids.IEditController)] = Iids.IEditController,
        [nameof(Iids.IEditController2)] = Iids.IEditController2,
        [nameof(Iids.IComponentHandler)] = Iids.IComponentHandler,
        [nameof(Iids.IComponentHandler2)] = Iids.IComponentHandler2,
        [nameof(Iids.IConnectionPoint)] = Iids.IConnectionPoint,
        [nameof(Iids.IMessage)] = Iids.IMessage,
        [nameof(Iids.IAttributeList)] = Iids.IAttributeList,
        [nameof(Iids.IBStream)] = Iids.IBStream,
        [nameof(Iids.ISizeableStream)] = Iids.ISizeableStream,
        [nameof(Iids.IStreamAttributes)] = Iids.IStreamAttributes,
        [nameof(Iids.IInfoListener)] = Iids.IInfoListener,
        [nameof(Iids.IParameterChanges)] = Iids.IParameterChanges,
        [nameof(Iids.IParamValueQueue)] = Iids.IParamValueQueue,
        [nameof(Iids.IEventList)] = Iids.IEventList,
        [nameof(Iids.IHostApplication)] = Iids.IHostApplication,
        [nameof(Iids.IPlugInterfaceSupport)] = Iids.IPlugInterfaceSupport,
        [nameof(Iids.IUnitInfo)] = Iids.IUnitInfo,
        [nameof(Iids.IMidiMapping)] = Iids.IMidiMapping,
        [nameof(Iids.IPlugView)] = Iids.IPlugView,
        [nameof(Iids.IPlugFrame)] = Iids.IPlugFrame,
        [nameof(Iids.IPlugViewContentScaleSupport)] = Iids.IPlugViewContentScaleSupport,
        [nameof(Iids.IRunLoop)] = Iids.IRunLoop,
        [nameof(Iids.IEventHandler)] = Iids.IEventHandler,
        [nameof(Iids.ITimerHandler)] = Iids.ITimerHandler,
        [nameof(Iids.IReaperHostApplication)] = Iids.IReaperHostApplication,
        [nameof(Iids.IReaperUIEmbedInterface)] = Iids.IReaperUIEmbedInterface,
    };

    public static TheoryData<string, string> LinuxBytes => new()
    {
        { nameof(Iids.FUnknown), "0000000000000000C000000000000046" },
        { nameof(Iids.IPluginBase), "22888DDB156E45AE8358B34808190625" },
        { nameof(Iids.IPluginFactory), "7A4D811C52114A1FAED9D2EE0B43BF9F" },
        { nameof(Iids.IPluginFactory2), "0007B650F24B4C0BA464EDB9F00B2ABB" },
        { nameof(Iids.IPluginFactory3), "4555A2ABC1234E579B12291036878931" },
        { nameof(Iids.IComponent), "E831FF31F2D54301928EBBEE25697802" },
        { nameof(Iids.IAudioProcessor), "42043F99B7DA453CA569E79D9AAEC33D" },
        { nameof(Iids.IProcessContextRequirements), "2A654303EF764E3D95B5FE83730EF6D0" },
        { nameof(Iids.IAudioPresentationLatency), "309ECE78EB7D4FAE8B2225D909FD08B6" },
        { nameof(Iids.IEditController), "DCD7BBE37742448DA874AACC979C759E" },
        { nameof(Iids.IEditController2), "7F4EFE59F3204967AC27A3AEAFB63038" },
        { nameof(Iids.IComponentHandler), "93A0BEA30BD045DB8E890B0CC1E46AC6" },
        { nameof(Iids.IComponentHandler2), "F040B4B3A36045ECABCDC045B4D5A2CC" },
        { nameof(Iids.IConnectionPoint), "70A4156F6E6E4026989148BFAA60D8D1" },
        { nameof(Iids.IMessage), "936F033BC6C047DBBB0882F813C1E613" },
        { nameof(Iids.IAttributeList), "1E5F0AEBCC7F4533A254401138AD5EE4" },
        { nameof(Iids.IBStream), "C3BF6EA2309947529B6BF9901EE33E9B" },
        { nameof(Iids.ISizeableStream), "04F9549EE02F4E6E87E86A8747F4E17F" },
        { nameof(Iids.IStreamAttributes), "D6CE2FFCEFAF4B8C9E74F1BB12DA44B4" },
        // Not in shared/spec/vst3-abi.md's table: from pluginterfaces/vst/ivstchannelcontextinfo.h
        // (DECLARE_CLASS_IID IInfoListener 0x0F194781, 0x8D984ADA, 0xBBA0C1EF, 0xC011D8D0).
        { nameof(Iids.IInfoListener), "0F1947818D984ADABBA0C1EFC011D8D0" },
        { nameof(Iids.IParameterChanges), "A47796630BB64A56B44384A8466FEB9D" },
        { nameof(Iids.IParamValueQueue), "01263A18ED074F6F98C9D3564686F9BA" },
        { nameof(Iids.IEventList), "3A2C4214346349FEB2C4F397B9695A44" },
        { nameof(Iids.IHostApplication), "58E595CCDB2D49698B6AAF8C36A664E5" },
        { nameof(Iids.IPlugInterfaceSupport), "4FB58B9E9EAA4E0FAB361C1CCCB56FEA" },
        { nameof(Iids.IUnitInfo), "3D4BD6B5913A4FD2A886E768A5EB92C1" },
        { nameof(Iids.IMidiMapping), "DF0FF9F749B74669B63AB7327ADBF5E5" },
        { nameof(Iids.IPlugView), "5BC32507D06049EAA6151B522B755B29" },
        { nameof(Iids.IPlugFrame), "367FAF01AFA946938D4DA2A0ED0882A3" },
        { nameof(Iids.IPlugViewContentScaleSupport), "65ED96908AC445258AADEF7A72EA703F" },
        { nameof(Iids.IRunLoop), "18C3536697764F1A9C5B83857A871389" },
        { nameof(Iids.IEventHandler), "561E65C913A0496F813A2C35654D7983" },
        { nameof(Iids.ITimerHandler), "10BDD94F41424774821FAD8FECA72CA9" },
        { nameof(Iids.IReaperHostApplication), "79655E3677EE4267A573FEF74912C27C" },
        { nameof(Iids.IReaperUIEmbedInterface), "049BF9E7BC74EAD0C4101E867F725981" },
    };

    [Theory]
    [MemberData(nameof(LinuxBytes))]
    public void Linux_encoding_matches_the_measured_bytes(string name, string expectedHex)
    {
        Assert.Equal(expectedHex, s_byName[name].ToTuid(Vst3Encoding.NonCom).ToString());
    }

    [Theory]
    [MemberData(nameof(LinuxBytes))]
    public void Windows_encoding_is_the_guid_memory_layout(string name, string linuxHex)
    {
        // .NET's Guid big-endian bytes are the Linux TUID and its default bytes are the Windows TUID (spec §1.1).
        var guid = new Guid(Convert.FromHexString(linuxHex), bigEndian: true);
        Assert.Equal(Convert.ToHexString(guid.ToByteArray()), s_byName[name].ToTuid(Vst3Encoding.Com).ToString());
        Assert.Equal(guid, s_byName[name].ToGuid());
    }

    [Fact]
    public void IComponent_has_the_documented_bytes_in_both_encodings()
    {
        Assert.Equal("E831FF31F2D54301928EBBEE25697802", Iids.IComponent.ToTuid(Vst3Encoding.NonCom).ToString());
        Assert.Equal("31FF31E8D5F20143928EBBEE25697802", Iids.IComponent.ToTuid(Vst3Encoding.Com).ToString());
    }

    [Fact]
    public void The_platform_tuid_follows_the_platform_switch()
    {
        Assert.Equal(OperatingSystem.IsWindows() ? Vst3Encoding.Com : Vst3Encoding.NonCom, Vst3Platform.Encoding);
        Assert.Equal(Iids.IComponent.ToTuid(Vst3Platform.Encoding), Iids.IComponent.Tuid);
    }

    [Fact]
    public void Every_iid_in_the_table_is_checked_and_distinct()
    {
        var declared = typeof(Iids).GetFields(BindingFlags.Public | BindingFlags.Static)
            .ToDictionary(f => f.Name, f => (Vst3Uid)f.GetValue(null)!);
        Assert.Equal(declared.Keys.Order(), s_byName.Keys.Order());
        Assert.Equal(declared.Count, declared.Values.Distinct().Count());
    }

    [Fact]
    public void Guid_round_trips_through_the_four_numbers()
    {
        var guid = Guid.Parse("E831FF31-F2D5-4301-928E-BBEE25697802");
        Assert.Equal(Iids.IComponent, Vst3Uid.FromGuid(guid));
        Assert.Equal("E831FF31 F2D54301 928EBBEE 25697802", Iids.IComponent.ToString());
    }
}

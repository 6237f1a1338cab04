using AceStep.Vst3;

namespace AceStep.Plugin.Editor;

/// <summary>The OLE interface IDs this plugin implements or asks for, in GUID (Windows) byte order.</summary>
internal static class OleIids
{
    /// <summary><c>IDataObject</c> {0000010E-0000-0000-C000-000000000046}.</summary>
    public static readonly Tuid IDataObject = Com(0x0000010E);

    /// <summary><c>IDropSource</c> {00000121-0000-0000-C000-000000000046}.</summary>
    public static readonly Tuid IDropSource = Com(0x00000121);

    private static Tuid Com(uint data1) =>
        new Vst3Uid(data1, 0, 0xC0000000, 0x00000046).ToTuid(Vst3Encoding.Com);
}

namespace AceStep.Vst3;

/// <summary>The <c>tresult</c> values of one encoding (see <c>funknown.h</c>).</summary>
/// <param name="NoInterface"><c>kNoInterface</c>: the object does not implement the requested interface.</param>
/// <param name="ResultOk"><c>kResultOk</c> (and <c>kResultTrue</c>).</param>
/// <param name="ResultFalse"><c>kResultFalse</c>.</param>
/// <param name="InvalidArgument"><c>kInvalidArgument</c>.</param>
/// <param name="NotImplemented"><c>kNotImplemented</c>.</param>
/// <param name="InternalError"><c>kInternalError</c>.</param>
/// <param name="NotInitialized"><c>kNotInitialized</c>.</param>
/// <param name="OutOfMemory"><c>kOutOfMemory</c>.</param>
public readonly record struct ResultCodes(
    int NoInterface,
    int ResultOk,
    int ResultFalse,
    int InvalidArgument,
    int NotImplemented,
    int InternalError,
    int NotInitialized,
    int OutOfMemory)
{
    /// <summary>Linux and macOS values.</summary>
    public static ResultCodes NonCom { get; } = new(-1, 0, 1, 2, 3, 4, 5, 6);

    /// <summary>Windows HRESULTs (E_NOINTERFACE, S_OK, S_FALSE, E_INVALIDARG, E_NOTIMPL, E_FAIL, E_UNEXPECTED, E_OUTOFMEMORY).</summary>
    public static ResultCodes Com { get; } = new(
        unchecked((int)0x80004002),
        0,
        1,
        unchecked((int)0x80070057),
        unchecked((int)0x80004001),
        unchecked((int)0x80004005),
        unchecked((int)0x8000FFFF),
        unchecked((int)0x8007000E));

    /// <summary><c>kResultTrue</c>, which equals <see cref="ResultOk"/> in both encodings.</summary>
    public int ResultTrue => ResultOk;

    /// <summary>The codes of <paramref name="encoding"/>.</summary>
    /// <param name="encoding">The binary encoding.</param>
    /// <returns>Its result codes.</returns>
    public static ResultCodes For(Vst3Encoding encoding) => encoding == Vst3Encoding.Com ? Com : NonCom;

    /// <summary>A readable name for <paramref name="result"/>, for messages and logs.</summary>
    /// <param name="result">A <c>tresult</c> in this encoding.</param>
    /// <returns>For example <c>kNoInterface (-1)</c>.</returns>
    public string Describe(int result)
    {
        string name =
            result == ResultOk ? "kResultOk" :
            result == ResultFalse ? "kResultFalse" :
            result == NoInterface ? "kNoInterface" :
            result == InvalidArgument ? "kInvalidArgument" :
            result == NotImplemented ? "kNotImplemented" :
            result == InternalError ? "kInternalError" :
            result == NotInitialized ? "kNotInitialized" :
            result == OutOfMemory ? "kOutOfMemory" : "unknown";
        return $"{name} ({result})";
    }
}

/// <summary>The <c>tresult</c> values of the current platform; use these in plugin and host code.</summary>
public static class Vst3Result
{
    private static readonly ResultCodes s_codes = ResultCodes.For(Vst3Platform.Encoding);

    /// <summary>The full table for the current platform.</summary>
    public static ResultCodes Codes => s_codes;

    /// <summary><c>kNoInterface</c>.</summary>
    public static readonly int NoInterface = s_codes.NoInterface;

    /// <summary><c>kResultOk</c>.</summary>
    public static readonly int Ok = s_codes.ResultOk;

    /// <summary><c>kResultTrue</c> (same value as <see cref="Ok"/>).</summary>
    public static readonly int True = s_codes.ResultTrue;

    /// <summary><c>kResultFalse</c>.</summary>
    public static readonly int False = s_codes.ResultFalse;

    /// <summary><c>kInvalidArgument</c>.</summary>
    public static readonly int InvalidArgument = s_codes.InvalidArgument;

    /// <summary><c>kNotImplemented</c>.</summary>
    public static readonly int NotImplemented = s_codes.NotImplemented;

    /// <summary><c>kInternalError</c>.</summary>
    public static readonly int InternalError = s_codes.InternalError;

    /// <summary><c>kNotInitialized</c>.</summary>
    public static readonly int NotInitialized = s_codes.NotInitialized;

    /// <summary><c>kOutOfMemory</c>.</summary>
    public static readonly int OutOfMemory = s_codes.OutOfMemory;
}

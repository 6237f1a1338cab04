using TorchSharp;

namespace AceStep.Engine.Model.Weights;

/// <summary>Element types a safetensors header may name that this reader understands.</summary>
public enum SafetensorsDType
{
    /// <summary>IEEE 754 binary32 ("F32").</summary>
    F32,

    /// <summary>IEEE 754 binary16 ("F16").</summary>
    F16,

    /// <summary>bfloat16, the high 16 bits of a binary32 ("BF16").</summary>
    BF16,

    /// <summary>IEEE 754 binary64 ("F64").</summary>
    F64,

    /// <summary>Signed 64-bit integer ("I64").</summary>
    I64,

    /// <summary>Signed 32-bit integer ("I32").</summary>
    I32,

    /// <summary>Signed 16-bit integer ("I16").</summary>
    I16,

    /// <summary>Signed 8-bit integer ("I8").</summary>
    I8,

    /// <summary>Unsigned 8-bit integer ("U8").</summary>
    U8,

    /// <summary>Boolean, one byte each ("BOOL").</summary>
    Bool,
}

/// <summary>Conversions between safetensors dtype names, <see cref="SafetensorsDType"/> and TorchSharp scalar types.</summary>
public static class SafetensorsDTypes
{
    /// <summary>Parses a header dtype string; false for a name this reader does not know (e.g. F8_E4M3).</summary>
    public static bool TryParse(string text, out SafetensorsDType dtype)
    {
        switch (text)
        {
            case "F32": dtype = SafetensorsDType.F32; return true;
            case "F16": dtype = SafetensorsDType.F16; return true;
            case "BF16": dtype = SafetensorsDType.BF16; return true;
            case "F64": dtype = SafetensorsDType.F64; return true;
            case "I64": dtype = SafetensorsDType.I64; return true;
            case "I32": dtype = SafetensorsDType.I32; return true;
            case "I16": dtype = SafetensorsDType.I16; return true;
            case "I8": dtype = SafetensorsDType.I8; return true;
            case "U8": dtype = SafetensorsDType.U8; return true;
            case "BOOL": dtype = SafetensorsDType.Bool; return true;
            default: dtype = default; return false;
        }
    }

    /// <summary>The name the header uses for <paramref name="dtype"/>.</summary>
    public static string ToHeaderName(this SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.Bool => "BOOL",
        _ => dtype.ToString(),
    };

    /// <summary>Bytes per element.</summary>
    public static int ElementSize(this SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.F64 or SafetensorsDType.I64 => 8,
        SafetensorsDType.F32 or SafetensorsDType.I32 => 4,
        SafetensorsDType.F16 or SafetensorsDType.BF16 or SafetensorsDType.I16 => 2,
        _ => 1,
    };

    /// <summary>The TorchSharp scalar type with the same bytes.</summary>
    public static torch.ScalarType ToScalarType(this SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.F32 => torch.ScalarType.Float32,
        SafetensorsDType.F16 => torch.ScalarType.Float16,
        SafetensorsDType.BF16 => torch.ScalarType.BFloat16,
        SafetensorsDType.F64 => torch.ScalarType.Float64,
        SafetensorsDType.I64 => torch.ScalarType.Int64,
        SafetensorsDType.I32 => torch.ScalarType.Int32,
        SafetensorsDType.I16 => torch.ScalarType.Int16,
        SafetensorsDType.I8 => torch.ScalarType.Int8,
        SafetensorsDType.U8 => torch.ScalarType.Byte,
        SafetensorsDType.Bool => torch.ScalarType.Bool,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown safetensors dtype."),
    };

    /// <summary>The safetensors dtype for a TorchSharp scalar type; false when the format has none this writer supports.</summary>
    public static bool TryFromScalarType(torch.ScalarType type, out SafetensorsDType dtype)
    {
        switch (type)
        {
            case torch.ScalarType.Float32: dtype = SafetensorsDType.F32; return true;
            case torch.ScalarType.Float16: dtype = SafetensorsDType.F16; return true;
            case torch.ScalarType.BFloat16: dtype = SafetensorsDType.BF16; return true;
            case torch.ScalarType.Float64: dtype = SafetensorsDType.F64; return true;
            case torch.ScalarType.Int64: dtype = SafetensorsDType.I64; return true;
            case torch.ScalarType.Int32: dtype = SafetensorsDType.I32; return true;
            case torch.ScalarType.Int16: dtype = SafetensorsDType.I16; return true;
            case torch.ScalarType.Int8: dtype = SafetensorsDType.I8; return true;
            case torch.ScalarType.Byte: dtype = SafetensorsDType.U8; return true;
            case torch.ScalarType.Bool: dtype = SafetensorsDType.Bool; return true;
            default: dtype = default; return false;
        }
    }
}

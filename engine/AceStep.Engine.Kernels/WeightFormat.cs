namespace AceStep.Engine.Kernels;

/// <summary>How a <see cref="PackedMatrix"/> stores its values.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "The formats are named after the number types they store.")]
public enum WeightFormat
{
    /// <summary>32-bit floats, exactly the loaded weight (4 bytes a value).</summary>
    Float32,

    /// <summary>bfloat16: the upper half of each fp32 value, rounded to nearest even (2 bytes a value). The official
    /// ACE-Step checkpoints are stored in bf16, so for them this is lossless.</summary>
    BFloat16,

    /// <summary>Symmetric int8 with one fp32 scale per output row (max |w| / 127; 1 byte a value).</summary>
    Int8,
}

/// <summary>Parsing and naming of <see cref="WeightFormat"/> for options, status lines and logs.</summary>
public static class WeightFormats
{
    /// <summary>The short names: <c>fp32</c>, <c>bf16</c>, <c>int8</c>.</summary>
    public static string Name(this WeightFormat format) => format switch
    {
        WeightFormat.Float32 => "fp32",
        WeightFormat.BFloat16 => "bf16",
        WeightFormat.Int8 => "int8",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>Bytes per stored value.</summary>
    public static int BytesPerValue(this WeightFormat format) => format switch
    {
        WeightFormat.Float32 => 4,
        WeightFormat.BFloat16 => 2,
        WeightFormat.Int8 => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>Parses <c>fp32</c>/<c>float32</c>, <c>bf16</c>/<c>bfloat16</c> or <c>int8</c> (case-insensitive).</summary>
    public static bool TryParse(string? text, out WeightFormat format)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "FP32" or "FLOAT32":
                format = WeightFormat.Float32;
                return true;
            case "BF16" or "BFLOAT16":
                format = WeightFormat.BFloat16;
                return true;
            case "INT8":
                format = WeightFormat.Int8;
                return true;
            default:
                format = WeightFormat.Float32;
                return false;
        }
    }
}

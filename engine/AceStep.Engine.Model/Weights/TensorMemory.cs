using TorchSharp;

namespace AceStep.Engine.Model.Weights;

/// <summary>Raw access to a CPU tensor's storage, for copies that must not go through managed arrays.</summary>
public static unsafe class TensorMemory
{
    /// <summary>
    /// The address of the first element of a contiguous CPU tensor with at least one element. TorchSharp's
    /// <c>bytes</c> span is limited to 2 GiB, so this takes the span of a one-element view of the first element,
    /// whose address is the storage's, and the caller copies the full length through the pointer.
    /// </summary>
    public static byte* DataPointer(torch.Tensor tensor)
    {
        if (tensor.device_type != DeviceType.CPU || !tensor.is_contiguous() || tensor.numel() == 0)
            throw new ArgumentException("Raw access needs a contiguous CPU tensor with at least one element.", nameof(tensor));
        using var flat = tensor.reshape(-1);
        using var first = flat.narrow(0, 0, 1);
        fixed (byte* pointer = first.bytes)
            return pointer;
    }
}

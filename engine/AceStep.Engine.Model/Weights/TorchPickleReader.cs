using System.Buffers.Binary;
using System.Text;

namespace AceStep.Engine.Model.Weights;

/// <summary>A storage reference from a torch zip pickle's persistent id ('storage', type, key, location, numel).</summary>
internal sealed record PickledStorage(string StorageType, string Key, string Location, long ElementCount);

/// <summary>A tensor rebuilt by <c>torch._utils._rebuild_tensor_v2(storage, offset, size, stride, …)</c>.</summary>
internal sealed record PickledTensor(PickledStorage Storage, long Offset, long[] Size, long[] Stride);

/// <summary>
/// A deliberately tiny, safe reader for the <c>data.pkl</c> of a torch.save zip: it evaluates only the opcodes torch
/// emits for tensors and plain containers and only three globals (<c>torch._utils._rebuild_tensor_v2</c>,
/// <c>torch.*Storage</c>, <c>collections.OrderedDict</c>); any other opcode or global is refused, so no code from the
/// file ever runs.
/// </summary>
internal static class TorchPickleReader
{
    private sealed record Global(string Module, string Name);

    private sealed class Mark;

    private sealed class PickledDict : Dictionary<object, object?>;

    /// <summary>Evaluates the pickle and returns its top-level object (a <see cref="PickledTensor"/>, dict, tuple, …).</summary>
    /// <exception cref="InvalidDataException">An unsupported opcode or global, or a malformed stream.</exception>
    public static object? Read(ReadOnlySpan<byte> data)
    {
        var stack = new List<object?>();
        var memo = new Dictionary<long, object?>();
        var position = 0;
        while (true)
        {
            if (position >= data.Length)
                throw new InvalidDataException("The pickle ends without STOP.");
            var opcode = data[position++];
            switch (opcode)
            {
                case 0x80: // PROTO n
                    Take(data, ref position, 1);
                    break;
                case 0x95: // FRAME (8-byte length), framing only
                    Take(data, ref position, 8);
                    break;
                case (byte)'c': // GLOBAL "module\nname\n"
                    {
                        var module = ReadLine(data, ref position);
                        var name = ReadLine(data, ref position);
                        stack.Add(CheckGlobal(module, name));
                        break;
                    }

                case 0x93: // STACK_GLOBAL
                    {
                        var name = Pop(stack) as string ?? throw new InvalidDataException("STACK_GLOBAL needs strings.");
                        var module = Pop(stack) as string ?? throw new InvalidDataException("STACK_GLOBAL needs strings.");
                        stack.Add(CheckGlobal(module, name));
                        break;
                    }

                case (byte)'X': // BINUNICODE (u32 length)
                    stack.Add(Encoding.UTF8.GetString(Take(data, ref position, checked((int)BinaryPrimitives.ReadUInt32LittleEndian(Take(data, ref position, 4))))));
                    break;
                case 0x8c: // SHORT_BINUNICODE (u8 length)
                    stack.Add(Encoding.UTF8.GetString(Take(data, ref position, Take(data, ref position, 1)[0])));
                    break;
                case (byte)'K': // BININT1
                    stack.Add((long)Take(data, ref position, 1)[0]);
                    break;
                case (byte)'M': // BININT2
                    stack.Add((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(data, ref position, 2)));
                    break;
                case (byte)'J': // BININT (signed 32-bit)
                    stack.Add((long)BinaryPrimitives.ReadInt32LittleEndian(Take(data, ref position, 4)));
                    break;
                case 0x8a: // LONG1: n-byte little-endian two's complement
                    {
                        var bytes = Take(data, ref position, Take(data, ref position, 1)[0]);
                        if (bytes.Length > 8)
                            throw new InvalidDataException("LONG1 wider than 64 bits.");
                        long value = 0;
                        for (var i = bytes.Length - 1; i >= 0; i--)
                            value = (value << 8) | bytes[i];
                        if (bytes.Length is > 0 and < 8 && (bytes[^1] & 0x80) != 0)
                            value -= 1L << (8 * bytes.Length);
                        stack.Add(value);
                        break;
                    }

                case 0x88: // NEWTRUE
                    stack.Add(true);
                    break;
                case 0x89: // NEWFALSE
                    stack.Add(false);
                    break;
                case (byte)'N': // NONE
                    stack.Add(null);
                    break;
                case (byte)'(': // MARK
                    stack.Add(new Mark());
                    break;
                case (byte)')': // EMPTY_TUPLE
                    stack.Add(Array.Empty<object?>());
                    break;
                case (byte)'t': // TUPLE (from MARK)
                    stack.Add(PopToMark(stack).ToArray());
                    break;
                case 0x85: // TUPLE1
                case 0x86: // TUPLE2
                case 0x87: // TUPLE3
                    {
                        var count = opcode - 0x84;
                        if (stack.Count < count)
                            throw new InvalidDataException("Tuple opcode on a short stack.");
                        var items = stack.GetRange(stack.Count - count, count).ToArray();
                        stack.RemoveRange(stack.Count - count, count);
                        stack.Add(items);
                        break;
                    }

                case (byte)'}': // EMPTY_DICT
                    stack.Add(new PickledDict());
                    break;
                case (byte)'s': // SETITEM
                    {
                        var value = Pop(stack);
                        var key = Pop(stack) ?? throw new InvalidDataException("None as a dict key.");
                        (Peek(stack) as PickledDict ?? throw new InvalidDataException("SETITEM without a dict."))[key] = value;
                        break;
                    }

                case (byte)'u': // SETITEMS (pairs from MARK)
                    {
                        var items = PopToMark(stack);
                        var dict = Peek(stack) as PickledDict ?? throw new InvalidDataException("SETITEMS without a dict.");
                        for (var i = 0; i + 1 < items.Count; i += 2)
                            dict[items[i] ?? throw new InvalidDataException("None as a dict key.")] = items[i + 1];
                        break;
                    }

                case (byte)'Q': // BINPERSID
                    stack.Add(ToStorage(Pop(stack)));
                    break;
                case (byte)'R': // REDUCE
                    {
                        var args = Pop(stack) as object?[] ?? throw new InvalidDataException("REDUCE needs an argument tuple.");
                        var callable = Pop(stack) as Global ?? throw new InvalidDataException("REDUCE needs a global.");
                        stack.Add(Reduce(callable, args));
                        break;
                    }

                case (byte)'q': // BINPUT
                    memo[Take(data, ref position, 1)[0]] = Peek(stack);
                    break;
                case (byte)'r': // LONG_BINPUT
                    memo[BinaryPrimitives.ReadUInt32LittleEndian(Take(data, ref position, 4))] = Peek(stack);
                    break;
                case 0x94: // MEMOIZE
                    memo[memo.Count] = Peek(stack);
                    break;
                case (byte)'h': // BINGET
                    stack.Add(Recall(memo, Take(data, ref position, 1)[0]));
                    break;
                case (byte)'j': // LONG_BINGET
                    stack.Add(Recall(memo, BinaryPrimitives.ReadUInt32LittleEndian(Take(data, ref position, 4))));
                    break;
                case (byte)'.': // STOP
                    return stack.Count == 1 ? stack[0] : throw new InvalidDataException("The pickle stops with a malformed stack.");
                default:
                    throw new InvalidDataException($"Unsupported pickle opcode 0x{opcode:x2} at byte {position - 1} (this reader only understands torch tensor pickles).");
            }
        }
    }

    private static Global CheckGlobal(string module, string name) =>
        (module, name) switch
        {
            ("torch._utils", "_rebuild_tensor_v2") => new Global(module, name),
            ("collections", "OrderedDict") => new Global(module, name),
            ("torch", _) when name.EndsWith("Storage", StringComparison.Ordinal) => new Global(module, name),
            _ => throw new InvalidDataException($"Refusing pickle global {module}.{name} (only tensors are allowed)."),
        };

    private static PickledStorage ToStorage(object? pid)
    {
        if (pid is object?[] { Length: 5 } t && t[0] is "storage" && t[1] is Global type && t[2] is string key && t[3] is string location
            && t[4] is long count)
            return new PickledStorage(type.Name, key, location, count);
        throw new InvalidDataException("Persistent id is not ('storage', type, key, location, numel).");
    }

    private static object Reduce(Global callable, object?[] args)
    {
        if (callable.Name == "OrderedDict")
            return args.Length == 0 ? new PickledDict() : throw new InvalidDataException("OrderedDict with arguments is not supported.");
        if (callable.Name == "_rebuild_tensor_v2" && args.Length >= 4 && args[0] is PickledStorage storage && args[1] is long offset
            && args[2] is object?[] size && args[3] is object?[] stride && size.Length == stride.Length)
            return new PickledTensor(storage, offset, size.Select(ToLong).ToArray(), stride.Select(ToLong).ToArray());
        throw new InvalidDataException($"Unsupported call {callable.Module}.{callable.Name} in the pickle.");
    }

    private static long ToLong(object? value) => value as long? ?? throw new InvalidDataException("Expected an integer in a size/stride tuple.");

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> data, ref int position, int count)
    {
        if (count < 0 || position + count > data.Length)
            throw new InvalidDataException("The pickle is truncated.");
        var slice = data.Slice(position, count);
        position += count;
        return slice;
    }

    private static string ReadLine(ReadOnlySpan<byte> data, ref int position)
    {
        var end = data[position..].IndexOf((byte)'\n');
        if (end < 0)
            throw new InvalidDataException("The pickle is truncated in a GLOBAL.");
        var text = Encoding.ASCII.GetString(data.Slice(position, end));
        position += end + 1;
        return text;
    }

    private static object? Pop(List<object?> stack)
    {
        var value = Peek(stack);
        stack.RemoveAt(stack.Count - 1);
        return value is Mark ? throw new InvalidDataException("Unexpected MARK on the pickle stack.") : value;
    }

    private static object? Peek(List<object?> stack) =>
        stack.Count > 0 ? stack[^1] : throw new InvalidDataException("Pickle stack underflow.");

    private static List<object?> PopToMark(List<object?> stack)
    {
        var mark = stack.FindLastIndex(o => o is Mark);
        if (mark < 0)
            throw new InvalidDataException("No MARK on the pickle stack.");
        var items = stack.GetRange(mark + 1, stack.Count - mark - 1);
        stack.RemoveRange(mark, stack.Count - mark);
        return items;
    }

    private static object? Recall(Dictionary<long, object?> memo, long key) =>
        memo.TryGetValue(key, out var value) ? value : throw new InvalidDataException($"Pickle memo {key} is not set.");

    /// <summary>The tensors of a pickled object: itself, or the values of a dict.</summary>
    public static IEnumerable<PickledTensor> Tensors(object? root) => root switch
    {
        PickledTensor tensor => [tensor],
        PickledDict dict => dict.Values.OfType<PickledTensor>(),
        _ => [],
    };
}

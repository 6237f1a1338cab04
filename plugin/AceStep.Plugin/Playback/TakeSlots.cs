namespace AceStep.Plugin.Playback;

/// <summary>
/// A fixed set of take slots and which one is active: the lock-free hand-off from the threads that make takes to the
/// audio thread. A slot is one reference, published and retired with atomic exchanges; the audio thread only reads
/// (<see cref="Active"/>, once per block). Takes are immutable, so replacing or retiring a slot while a block still
/// reads the old take is safe: the block keeps its reference until it returns.
/// </summary>
internal sealed class TakeSlots
{
    /// <summary>How many takes an instance keeps at once.</summary>
    public const int Count = 8;

    /// <summary>The <see cref="ActiveSlot"/> value meaning "no take plays".</summary>
    public const int None = -1;

    private readonly Take?[] _slots = new Take?[Count];
    private int _active = None;

    /// <summary>The active slot, or <see cref="None"/>.</summary>
    public int ActiveSlot => Volatile.Read(ref _active);

    /// <summary>The take that plays now, or null (audio thread: no allocation, no lock).</summary>
    public Take? Active
    {
        get
        {
            int slot = Volatile.Read(ref _active);
            return (uint)slot < Count ? Volatile.Read(ref _slots[slot]) : null;
        }
    }

    /// <summary>The take in <paramref name="slot"/>, or null.</summary>
    public Take? this[int slot] => (uint)slot < Count ? Volatile.Read(ref _slots[slot]) : null;

    /// <summary>Puts <paramref name="take"/> in <paramref name="slot"/> (worker or main thread) and optionally makes it active.</summary>
    /// <param name="slot">0 … <see cref="Count"/> − 1.</param>
    /// <param name="take">The take.</param>
    /// <param name="activate">Whether it plays from the next block on.</param>
    /// <returns>The take it replaced (retired on the calling thread), or null.</returns>
    public Take? Publish(int slot, Take take, bool activate)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)slot, (uint)Count, nameof(slot));
        ArgumentNullException.ThrowIfNull(take);
        var previous = Interlocked.Exchange(ref _slots[slot], take);
        if (activate)
        {
            Volatile.Write(ref _active, slot);
        }

        return previous;
    }

    /// <summary>Makes <paramref name="slot"/> the active one (or <see cref="None"/> for none).</summary>
    /// <param name="slot">A slot or <see cref="None"/>.</param>
    public void Select(int slot)
    {
        if (slot != None)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)slot, (uint)Count, nameof(slot));
        }

        Volatile.Write(ref _active, slot);
    }

    /// <summary>Empties <paramref name="slot"/> (an active empty slot plays nothing).</summary>
    /// <param name="slot">0 … <see cref="Count"/> − 1.</param>
    /// <returns>The retired take, or null.</returns>
    public Take? Retire(int slot)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)slot, (uint)Count, nameof(slot));
        return Interlocked.Exchange(ref _slots[slot], null);
    }
}

using AceStep.Plugin.EngineLink;
using AceStep.Plugin.Playback;
using AceStep.Plugin.State;
using PlaybackTake = AceStep.Plugin.Playback.Take;

namespace AceStep.Plugin.Session;

/// <summary>
/// An instance's takes: what the project saves about each (<see cref="SavedTake"/>), which of them are loaded in the
/// processor's <see cref="TakeSlots"/>, which one plays, and which files were not found. Any number of takes can be
/// listed; at most <see cref="TakeSlots.Count"/> are in memory, the least recently used giving way (a take that is not
/// loaded is read from its WAV file again when selected). Thread-safe: the worker changes it, the host's main thread
/// reads it for getState.
/// </summary>
internal sealed class TakeLibrary
{
    private readonly object _gate = new();
    private readonly TakeSlots _slots;
    private readonly List<Entry> _entries = [];
    private string? _activeId;
    private long _useClock;
    private bool _restorePending;
    private int _version;

    public TakeLibrary(TakeSlots slots) => _slots = slots;

    /// <summary>Increases with every change (the view is re-sent when it moves).</summary>
    public int Version => Volatile.Read(ref _version);

    /// <summary>The id of the take that plays, or null.</summary>
    public string? ActiveId
    {
        get
        {
            lock (_gate)
                return _activeId;
        }
    }

    /// <summary>The takes as saved in the project, and the active one.</summary>
    public (IReadOnlyList<SavedTake> Takes, string? ActiveId) Saved()
    {
        lock (_gate)
            return ([.. _entries.Select(e => e.Saved)], _activeId);
    }

    /// <summary>Everything the control page shows about each take.</summary>
    public IReadOnlyList<TakeView> Views()
    {
        lock (_gate)
            return [.. _entries.Select(e => new TakeView(e.Saved, e.Saved.Id == _activeId, e.Missing, e.Peaks, e.AudioUrl))];
    }

    /// <summary>How many takes are in memory (in a slot).</summary>
    public int LoadedCount
    {
        get
        {
            lock (_gate)
                return _entries.Count(e => e.Slot >= 0);
        }
    }

    /// <summary>How many takes are listed.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
                return _entries.Count;
        }
    }

    /// <summary>Lists a new take, loads it into a slot and makes it the one that plays.</summary>
    public void Add(SavedTake saved, PlaybackTake audio, float[] peaks)
    {
        lock (_gate)
        {
            var entry = new Entry(saved) { Peaks = peaks };
            _entries.Add(entry);
            Load(entry, audio);
            Activate(entry);
        }
    }

    /// <summary>Remembers where the page fetches a take's audio.</summary>
    public void SetAudioUrl(string id, Uri? url)
    {
        lock (_gate)
        {
            if (Find(id) is { } entry)
            {
                entry.AudioUrl = url;
                Changed();
            }
        }
    }

    /// <summary>Forgets every audition address (a re-opened session, possibly on a restarted engine, holds no take audio).</summary>
    public void ClearAudioUrls()
    {
        lock (_gate)
        {
            foreach (var entry in _entries.Where(e => e.AudioUrl is not null))
                entry.AudioUrl = null;
            Changed();
        }
    }

    /// <summary>Takes the page cannot audition yet whose audio is on disk (restored ones, or all after a re-open).</summary>
    public IReadOnlyList<SavedTake> WithoutAudioUrl()
    {
        lock (_gate)
            return [.. _entries.Where(e => e.AudioUrl is null && !e.Missing && e.Saved.File.Length > 0).Select(e => e.Saved)];
    }

    /// <summary>Makes <paramref name="id"/> the take that plays (null: none), reading its file when it is not in memory.</summary>
    /// <returns>False when the id is unknown or its file cannot be read (it is then marked missing and nothing plays).</returns>
    public bool Select(string? id)
    {
        lock (_gate)
        {
            if (id is null)
            {
                _activeId = null;
                _slots.Select(TakeSlots.None);
                Changed();
                return true;
            }

            if (Find(id) is not { } entry)
                return false;
            if (entry.Slot < 0 && !TryLoadFromFile(entry))
            {
                _activeId = null;
                _slots.Select(TakeSlots.None);
                Changed();
                return false;
            }

            Activate(entry);
            return true;
        }
    }

    /// <summary>Forgets a take (its file stays on disk); if it played, nothing plays.</summary>
    public bool Delete(string id)
    {
        lock (_gate)
        {
            if (Find(id) is not { } entry)
                return false;
            if (entry.Slot >= 0)
                _slots.Retire(entry.Slot);
            _entries.Remove(entry);
            if (_activeId == id)
            {
                _activeId = null;
                _slots.Select(TakeSlots.None);
            }

            Changed();
            return true;
        }
    }

    /// <summary>Replaces the list with a restored project's (setState); the files are read by <see cref="LoadRestored"/> on the worker.</summary>
    public void Restore(IReadOnlyList<SavedTake> takes, string? activeId)
    {
        lock (_gate)
        {
            foreach (var entry in _entries.Where(e => e.Slot >= 0))
                _slots.Retire(entry.Slot);
            _slots.Select(TakeSlots.None);
            _entries.Clear();
            _entries.AddRange(takes.Select(t => new Entry(t)));
            _activeId = activeId;
            _restorePending = true;
            Changed();
        }
    }

    /// <summary>
    /// After a restore, reads the take that plays from its file at once (setState, on the host's main thread), so that
    /// the first block the host renders after loading a project, an offline export included, already plays it; the
    /// other takes are read by <see cref="LoadRestored"/> on the worker.
    /// </summary>
    public void LoadActive()
    {
        lock (_gate)
        {
            if (!_restorePending || _activeId is not { } id || Find(id) is not { } entry)
                return;
            if (entry.Slot >= 0 || TryLoadFromFile(entry))
                Activate(entry);
        }
    }

    /// <summary>
    /// After a restore, reads the active take and then the most recent ones (up to the slot count) from their files;
    /// a file that is missing or unreadable marks its take missing. Worker thread (file reads).
    /// </summary>
    public void LoadRestored()
    {
        lock (_gate)
        {
            if (!_restorePending)
                return;
            _restorePending = false;
            var order = _entries.Where(e => e.Saved.Id == _activeId).Concat(_entries.Where(e => e.Saved.Id != _activeId).Reverse()).Take(TakeSlots.Count);
            foreach (var entry in order.ToList().Where(e => e.Slot < 0))
                TryLoadFromFile(entry);
            if (_activeId is { } id && Find(id) is { Slot: >= 0 } active)
                Activate(active);
            else
                _slots.Select(TakeSlots.None);
            Changed();
        }
    }

    private bool TryLoadFromFile(Entry entry)
    {
        try
        {
            var wav = WavFile.Read(entry.Saved.File);
            if (wav.Channels is < 1 or > 2 || wav.Samples.Length == 0)
                throw new InvalidDataException("The take file has no usable audio.");
            var audio = PlaybackTake.FromInterleaved(entry.Saved.Position, wav.SampleRate, wav.Channels, wav.Samples);
            entry.Missing = false;
            entry.Peaks ??= Waveform.Peaks(wav.Samples, wav.Channels, 0, wav.Frames, Waveform.TakeBuckets);
            Load(entry, audio);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException)
        {
            entry.Missing = true;
            return false;
        }
    }

    private void Load(Entry entry, PlaybackTake audio)
    {
        if (entry.Slot < 0)
            entry.Slot = FreeSlot();
        _slots.Publish(entry.Slot, audio, activate: false);
        entry.LastUse = ++_useClock;
        Changed();
    }

    private void Activate(Entry entry)
    {
        _activeId = entry.Saved.Id;
        entry.LastUse = ++_useClock;
        _slots.Select(entry.Slot);
        Changed();
    }

    // A slot no listed take uses, else the least recently used one that is not playing (its take is unloaded and will
    // be read from its file again when selected).
    private int FreeSlot()
    {
        for (int slot = 0; slot < TakeSlots.Count; slot++)
        {
            if (!_entries.Any(e => e.Slot == slot))
                return slot;
        }

        var victim = _entries.Where(e => e.Slot >= 0 && e.Saved.Id != _activeId).MinBy(e => e.LastUse)
            ?? _entries.Where(e => e.Slot >= 0).MinBy(e => e.LastUse)!;
        int freed = victim.Slot;
        victim.Slot = -1;
        return freed;
    }

    private Entry? Find(string id) => _entries.Find(e => e.Saved.Id == id);

    private void Changed() => Interlocked.Increment(ref _version);

    private sealed class Entry(SavedTake saved)
    {
        public SavedTake Saved { get; } = saved;

        public int Slot { get; set; } = -1;

        public bool Missing { get; set; }

        public float[]? Peaks { get; set; }

        public Uri? AudioUrl { get; set; }

        public long LastUse { get; set; }
    }
}

/// <summary>One take as the control page shows it.</summary>
internal sealed record TakeView(SavedTake Saved, bool Active, bool Missing, float[]? Peaks, Uri? AudioUrl);

namespace AceStep.Engine.Model.Weights;

/// <summary>
/// Holds a loaded model (or any disposable resource) that is created on first use and can be unloaded to free its
/// memory; the next use loads it again. Thread-safe. The load runs on a short-lived thread of its own: TorchSharp dispose
/// scopes are per thread, and a first use from inside a caller's scope would otherwise let that scope dispose the
/// weights when it ends.
/// </summary>
/// <typeparam name="T">The loaded object, disposed on unload.</typeparam>
public sealed class LoadOnFirstUse<T> : IDisposable
    where T : class, IDisposable
{
    private readonly Func<T> _load;
    private readonly Lock _gate = new();
    private T? _value;

    /// <summary>Creates the holder; nothing is loaded yet.</summary>
    /// <param name="load">Loads the object (e.g. builds a module and loads its weights).</param>
    public LoadOnFirstUse(Func<T> load)
    {
        ArgumentNullException.ThrowIfNull(load);
        _load = load;
    }

    /// <summary>True while the object is loaded.</summary>
    public bool IsLoaded
    {
        get
        {
            lock (_gate)
                return _value is not null;
        }
    }

    /// <summary>The object, loading it first if needed. A failed load leaves nothing loaded and rethrows.</summary>
    public T Value
    {
        get
        {
            lock (_gate)
                return _value ??= LoadOutsideCallerScopes();
        }
    }

    private T LoadOutsideCallerScopes()
    {
        T? loaded = null;
        System.Runtime.ExceptionServices.ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                loaded = _load();
            }
            catch (Exception e)
            {
                failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
            }
        }, maxStackSize: 16 * 1024 * 1024) { IsBackground = true, Name = "model load" };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return loaded ?? throw new InvalidOperationException("The model loader returned nothing.");
    }

    /// <summary>Disposes the loaded object, if any; the next <see cref="Value"/> loads it again.</summary>
    public void Unload()
    {
        T? value;
        lock (_gate)
        {
            value = _value;
            _value = null;
        }

        value?.Dispose();
        if (value is not null)
            AceStep.Engine.Torch.NativeHeap.Trim();
    }

    /// <summary>Unloads.</summary>
    public void Dispose() => Unload();
}

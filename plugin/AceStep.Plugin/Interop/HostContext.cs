using AceStep.Vst3;

namespace AceStep.Plugin.Interop;

/// <summary>
/// The context a host passes to <c>IPluginBase::initialize</c>: one reference held until terminate (or the object's
/// end), and the host's name read once from its <c>IHostApplication</c>.
/// </summary>
internal sealed unsafe class HostContext
{
    private nint _context;

    /// <summary>Whether initialize has been called and terminate has not.</summary>
    public bool IsInitialized => Volatile.Read(ref _context) != 0;

    /// <summary>What <c>IHostApplication::getName</c> returned, or null (no context, no such interface, or it failed).</summary>
    /// <remarks>Read at initialize because later features (REAPER integration, logs) key off the host.</remarks>
    public string? HostName { get; private set; }

    /// <summary>Takes a reference on <paramref name="context"/>; false if already initialized.</summary>
    /// <param name="context">The host's <c>FUnknown*</c> (may be null: some test hosts pass none).</param>
    /// <returns>Whether the object was not initialized before.</returns>
    public bool Initialize(void* context)
    {
        if (IsInitialized)
        {
            return false;
        }

        if (context == null)
        {
            // A marker so terminate still pairs with this initialize; nothing to release.
            _context = -1;
            HostName = null;
            return true;
        }

        HostUnknown.AddRef(context);
        _context = (nint)context;
        void* application = HostUnknown.Query(context, Iids.IHostApplication);
        if (application != null)
        {
            try
            {
                HostName = HostApplicationCalls.GetName(application);
            }
            finally
            {
                HostUnknown.Release(application);
            }
        }

        return true;
    }

    /// <summary>Drops the context reference; false if not initialized.</summary>
    /// <returns>Whether there was something to terminate.</returns>
    public bool Terminate()
    {
        nint previous = Interlocked.Exchange(ref _context, 0);
        if (previous == 0)
        {
            return false;
        }

        if (previous != -1)
        {
            HostUnknown.Release((void*)previous);
        }

        HostName = null;
        return true;
    }
}

/// <summary>
/// The other side of an <c>IConnectionPoint</c> pair (processor ↔ controller, or a host proxy between them). One
/// reference is held while connected, as the SDK's component base does; terminate and destruction drop it.
/// </summary>
internal sealed unsafe class PeerConnection
{
    private nint _peer;

    /// <summary>The connected <c>IConnectionPoint*</c>, or null. Messages to the peer (take ready, progress) go here later.</summary>
    public void* Peer => (void*)Volatile.Read(ref _peer);

    /// <summary>Connects; false when already connected (the host must disconnect first).</summary>
    public bool Connect(void* other)
    {
        HostUnknown.AddRef(other);
        if (Interlocked.CompareExchange(ref _peer, (nint)other, 0) != 0)
        {
            HostUnknown.Release(other);
            return false;
        }

        return true;
    }

    /// <summary>Disconnects <paramref name="other"/>; false when it is not the connected peer.</summary>
    public bool Disconnect(void* other)
    {
        if (other == null || Interlocked.CompareExchange(ref _peer, 0, (nint)other) != (nint)other)
        {
            return false;
        }

        HostUnknown.Release(other);
        return true;
    }

    /// <summary>Drops the peer, whatever it is (terminate, destruction).</summary>
    public void Clear()
    {
        nint previous = Interlocked.Exchange(ref _peer, 0);
        if (previous != 0)
        {
            HostUnknown.Release((void*)previous);
        }
    }
}

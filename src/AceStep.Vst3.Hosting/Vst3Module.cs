using System.Runtime.InteropServices;

namespace AceStep.Vst3.Hosting;

/// <summary>
/// A loaded VST3 module: the bundle checked, the library loaded, the module's start function called and the factory
/// obtained, in the order Steinberg's hosting code uses: <c>ModuleEntry(handle)</c>/<c>ModuleExit()</c> (required) on
/// Linux, <c>InitDll()</c>/<c>ExitDll()</c> (optional) on Windows. Disposing releases the factory and calls the exit
/// function.
/// </summary>
/// <remarks>
/// The library is never unloaded: a NativeAOT runtime (and many C++ modules) cannot survive dlclose, and the
/// operating system keeps one copy per process anyway, so loading the same bundle again is cheap.
/// </remarks>
public sealed unsafe class Vst3Module : IDisposable
{
    /// <summary>The exports every Linux VST3 module must have.</summary>
    public static readonly IReadOnlyList<string> RequiredExports = ["ModuleEntry", "ModuleExit", "GetPluginFactory"];

    /// <summary>The exports every Windows VST3 module must have (<c>InitDll</c>/<c>ExitDll</c> are optional there).</summary>
    public static readonly IReadOnlyList<string> RequiredWindowsExports = ["GetPluginFactory"];

    // Linux: ModuleEntry(void* handle)/ModuleExit(). Windows: InitDll()/ExitDll(), either may be absent (then null).
    private readonly delegate* unmanaged<nint, byte> _moduleEntry;
    private readonly delegate* unmanaged<byte> _moduleExit;
    private readonly delegate* unmanaged<byte> _initDll;
    private readonly bool _windows;
    private readonly delegate* unmanaged<nint> _getPluginFactory;
    private PluginFactoryRef? _factory;
    private int _entered;

    private Vst3Module(Vst3BundleLayout layout, nint handle)
    {
        Layout = layout;
        Handle = handle;
        _windows = OperatingSystem.IsWindows();
        if (_windows)
        {
            _initDll = (delegate* unmanaged<byte>)OptionalExport(handle, "InitDll");
            _moduleExit = (delegate* unmanaged<byte>)OptionalExport(handle, "ExitDll");
        }
        else
        {
            _moduleEntry = (delegate* unmanaged<nint, byte>)RequireExport(handle, layout, "ModuleEntry");
            _moduleExit = (delegate* unmanaged<byte>)RequireExport(handle, layout, "ModuleExit");
        }

        _getPluginFactory = (delegate* unmanaged<nint>)RequireExport(handle, layout, "GetPluginFactory");
    }

    /// <summary>The bundle's paths.</summary>
    public Vst3BundleLayout Layout { get; }

    /// <summary>The native library handle (never freed).</summary>
    public nint Handle { get; }

    /// <summary>The factory obtained at load time.</summary>
    public PluginFactoryRef Factory => _factory ?? throw new ObjectDisposedException(nameof(Vst3Module));

    /// <summary>Checks the bundle, loads its library for this machine and starts the module.</summary>
    /// <param name="bundlePath">The <c>Name.vst3</c> folder.</param>
    /// <returns>The started module; dispose it to release the factory and call ModuleExit.</returns>
    /// <exception cref="Vst3BundleNotFoundException">No such bundle.</exception>
    /// <exception cref="Vst3BundleStructureException">Not a valid bundle for this machine.</exception>
    /// <exception cref="Vst3MissingExportException">The library lacks a required export.</exception>
    /// <exception cref="Vst3ModuleException">The library failed to load or to start.</exception>
    public static Vst3Module Load(string bundlePath)
    {
        var layout = Vst3BundleLayout.Validate(bundlePath);
        nint handle;
        try
        {
            handle = NativeLibrary.Load(layout.LibraryPath);
        }
        catch (DllNotFoundException e)
        {
            throw new Vst3ModuleException($"Could not load '{layout.LibraryPath}': {e.Message}", e);
        }

        var module = new Vst3Module(layout, handle);
        if (!module.CallModuleEntry())
        {
            throw new Vst3ModuleException($"{(OperatingSystem.IsWindows() ? "InitDll" : "ModuleEntry")} of '{layout.LibraryPath}' returned false.");
        }

        nint factory = module.CallGetPluginFactory();
        if (factory == 0)
        {
            module.CallModuleExit();
            throw new Vst3ModuleException($"GetPluginFactory of '{layout.LibraryPath}' returned null.");
        }

        module._factory = new PluginFactoryRef(factory);
        return module;
    }

    /// <summary>Whether the library of <paramref name="layout"/> exports <paramref name="name"/> (loads it, never unloads).</summary>
    /// <param name="layout">A validated bundle.</param>
    /// <param name="name">Export name.</param>
    /// <returns>Whether the symbol exists.</returns>
    public static bool HasExport(Vst3BundleLayout layout, string name)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return NativeLibrary.TryGetExport(NativeLibrary.Load(layout.LibraryPath), name, out _);
    }

    /// <summary>Calls <c>ModuleEntry(handle)</c> (Windows: <c>InitDll()</c>, true when absent) once more; balance every
    /// successful call with <see cref="CallModuleExit"/>.</summary>
    /// <returns>What the module returned.</returns>
    public bool CallModuleEntry()
    {
        bool ok = _windows
            ? _initDll == null || _initDll() != 0
            : _moduleEntry(Handle) != 0;
        if (ok)
        {
            Interlocked.Increment(ref _entered);
        }

        return ok;
    }

    /// <summary>Calls <c>ModuleExit()</c> (Windows: <c>ExitDll()</c>, true when absent) once.</summary>
    /// <returns>What the module returned.</returns>
    public bool CallModuleExit()
    {
        bool ok = _moduleExit == null || _moduleExit() != 0;
        if (ok)
        {
            Interlocked.Decrement(ref _entered);
        }

        return ok;
    }

    /// <summary>Calls <c>GetPluginFactory()</c>; the caller owns the returned reference (release it).</summary>
    /// <returns>The <c>IPluginFactory*</c>, or zero.</returns>
    public nint CallGetPluginFactory() => _getPluginFactory();

    /// <summary>Releases the factory and calls <c>ModuleExit</c> for every <c>ModuleEntry</c> this object made.</summary>
    public void Dispose()
    {
        Interlocked.Exchange(ref _factory, null)?.Dispose();
        while (Volatile.Read(ref _entered) > 0 && CallModuleExit())
        {
        }
    }

    private static void* RequireExport(nint handle, Vst3BundleLayout layout, string name) =>
        NativeLibrary.TryGetExport(handle, name, out nint address)
            ? (void*)address
            : throw new Vst3MissingExportException(
                OperatingSystem.IsWindows()
                    ? $"'{layout.LibraryPath}' does not export '{name}'; Windows hosts need GetPluginFactory (InitDll and ExitDll are optional)."
                    : $"'{layout.LibraryPath}' does not export '{name}'; Linux hosts need ModuleEntry, ModuleExit and GetPluginFactory.")
            {
                ExportName = name,
            };

    private static void* OptionalExport(nint handle, string name) =>
        NativeLibrary.TryGetExport(handle, name, out nint address) ? (void*)address : null;
}

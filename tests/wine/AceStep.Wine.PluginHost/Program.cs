using System.Runtime.InteropServices;
using AceStep.Vst3;
using AceStep.Vst3.Hosting;

// The Windows check's VST3 host. Usage: AceStep.Wine.PluginHost.exe <path to AceStep.vst3>
//        [--editor [capture.png] [engine-pipe takes-folder]]
// Loads the bundle as a Windows DAW does (Contents/x86_64-win/AceStep.vst3, InitDll, GetPluginFactory) and checks what
// differs on Windows: the COM byte order of class and interface IDs, HRESULT result codes, and that processing and
// state work in a Windows process; with --editor also the HWND editor (needs a display: Wine on an X server, and
// ACESTEP_EDITOR_WIN32=1), optionally saving what its window showed as a PNG, and with an engine's pipe Generate from
// the plugin to that engine. One "PASS …"/"FAIL …" line per check
// (scripts/wine-check.sh counts them); exit 1 on any failure.
namespace AceStep.Wine.PluginHost;

internal static class Program
{
    // [STAThread]: the UI thread of a Windows DAW is in a single-threaded apartment, and OLE drag and drop (the take
    // drag) works only there; .NET's main thread is otherwise in the multithreaded one.
    [STAThread]
    private static int Main(string[] args)
    {
        if (args.Length is < 1 or 4 or > 5 || (args.Length > 1 && args[1] != "--editor"))
        {
            Console.Error.WriteLine("usage: AceStep.Wine.PluginHost <AceStep.vst3 bundle folder> [--editor [capture.png] [engine-pipe takes-folder]]");
            return 2;
        }

        if (!OperatingSystem.IsWindows())
        {
            Console.Error.WriteLine("This host checks the Windows build; run it as a Windows program (under Wine on Linux).");
            return 2;
        }

        var checks = new WindowsPluginChecks(args[0], editor: args.Length > 1, args.Length > 2 ? args[2] : null,
            args.Length > 4 ? (args[3], args[4]) : null);
        return checks.RunAll() ? 0 : 1;
    }
}

/// <summary>The checks, in the order a host meets the module; later ones are skipped when loading fails.</summary>
internal sealed unsafe class WindowsPluginChecks(string bundlePath, bool editor, string? editorCapture, (string Pipe, string Takes)? engine)
{
    // The plugin's class IDs (plugin/AceStep.Plugin/PluginIdentity.cs), as numbers: their bytes depend on the ABI.
    private static readonly Vst3Uid s_processorCid = new(0xB0B0620A, 0x3FD24D67, 0xAFD7663D, 0x2055397C);
    private static readonly Vst3Uid s_controllerCid = new(0x1423AB02, 0x43A7408F, 0x83EB11F7, 0x505E47FE);
    private const uint StrengthId = 2;
    private const int MaxBlock = 512;

    private readonly ResultCodes _com = ResultCodes.Com;
    private bool _failed;

    public bool RunAll()
    {
        Vst3Module module;
        try
        {
            module = Vst3Module.Load(bundlePath);
        }
        catch (Exception e)
        {
            Fail($"loading the bundle: {e.GetType().Name}: {e.Message}");
            return false;
        }

        using (module)
        using (var host = new HostApplication("AceStep Wine check host"))
        {
            Pass($"LoadLibrary of {Path.GetFileName(module.Layout.LibraryPath)} in {module.Layout.ArchitectureFolder}, InitDll and GetPluginFactory ({module.Factory.CountClasses()} classes)");
            Run("factory classes", () => FactoryClasses(module.Factory));
            Run("HRESULT codes", () => ResultCodesAreHresults(module.Factory));
            Run("both classes created", () => BothClasses(module.Factory, host));
            Run("pass-through", () => PassThrough(module.Factory, host));
            Run("state round trip", () => StateRoundTrip(module.Factory, host));
            if (editor)
            {
                var sessionView = (delegate* unmanaged<nint, byte*, int, int>)NativeLibrary.GetExport(module.Handle, "AceStepDiagnostics_SessionView");
                var link = engine is { } e ? new EngineLink(module.Handle, e.Pipe, e.Takes) : null;
                Run("editor", () => new EditorCheck(Pass, Fail, editorCapture, link).Run(module.Factory, host, s_processorCid, component => SessionView(sessionView, component)));
            }
        }

        return !_failed;
    }

    /// <summary>Class IDs come out in Windows (GUID) byte order, not the Linux one.</summary>
    private void FactoryClasses(PluginFactoryRef factory)
    {
        var processor = factory.GetClassInfo(0);
        var controller = factory.GetClassInfo(1);
        Tuid processorCom = s_processorCid.ToTuid(Vst3Encoding.Com);
        Tuid controllerCom = s_controllerCid.ToTuid(Vst3Encoding.Com);
        if (processor.Cid != processorCom || controller.Cid != controllerCom)
        {
            Fail($"class IDs {processor.Cid} and {controller.Cid}, expected the Windows byte order {processorCom} and {controllerCom} (Linux order would be {s_processorCid.ToTuid(Vst3Encoding.NonCom)})");
            return;
        }

        Pass($"factory classes '{processor.Name}' ({processor.Category}) and '{controller.Name}' with class IDs in Windows byte order ({processorCom}, {controllerCom})");
    }

    /// <summary>Errors are the Windows HRESULTs (E_INVALIDARG, E_NOINTERFACE), not the Linux small integers.</summary>
    private void ResultCodesAreHresults(PluginFactoryRef factory)
    {
        int badIndex = factory.TryGetClassInfo(99, out _);
        int unknownClass = factory.CreateInstance(new Vst3Uid(1, 2, 3, 4).ToTuid(Vst3Encoding.Com), Iids.IComponent.ToTuid(Vst3Encoding.Com), out nint none);
        // The processor's IID in the Linux byte order is a different, unknown interface on Windows.
        int linuxOrderIid = factory.CreateInstance(s_processorCid.ToTuid(Vst3Encoding.Com), Iids.IComponent.ToTuid(Vst3Encoding.NonCom), out nint none2);
        if (badIndex == _com.InvalidArgument && unknownClass == _com.NoInterface && none == 0 &&
            linuxOrderIid == _com.NoInterface && none2 == 0)
        {
            Pass($"HRESULTs: getClassInfo(99) = 0x{badIndex:X8} (E_INVALIDARG), createInstance of an unknown class and of IComponent in Linux byte order = 0x{unknownClass:X8} (E_NOINTERFACE)");
        }
        else
        {
            Fail($"result codes: getClassInfo(99) = 0x{badIndex:X8}, unknown class = 0x{unknownClass:X8}, Linux-order IID = 0x{linuxOrderIid:X8}; expected 0x{_com.InvalidArgument:X8}, 0x{_com.NoInterface:X8}, 0x{_com.NoInterface:X8}");
        }
    }

    /// <summary>The processor and the controller it names are created, initialized and connected.</summary>
    private void BothClasses(PluginFactoryRef factory, HostApplication host)
    {
        using var instance = PluginInstance.Create(factory, s_processorCid.ToTuid(Vst3Encoding.Com), host);
        int got = instance.Component.GetControllerClassId(out Tuid controllerCid);
        int processorQi = Vst3Unknown.QueryInterface(instance.Component.Component, Iids.IAudioProcessor.ToTuid(Vst3Encoding.Com), out nint processor);
        if (processor != 0)
        {
            Vst3Unknown.Release(processor);
        }

        int parameters = instance.Controller.GetParameterCount();
        if (got == _com.ResultOk && controllerCid == s_controllerCid.ToTuid(Vst3Encoding.Com) && processorQi == _com.ResultOk && parameters > 0)
        {
            Pass($"processor and controller created, initialized and connected (controller class in Windows order, IAudioProcessor found, {parameters} parameters)");
        }
        else
        {
            Fail($"instances: getControllerClassId = 0x{got:X8} ({controllerCid}), queryInterface(IAudioProcessor) = 0x{processorQi:X8}, {parameters} parameters");
        }
    }

    /// <summary>setupProcessing/setActive/process: stereo 32- and 64-bit audio comes out bit for bit.</summary>
    private void PassThrough(PluginFactoryRef factory, HostApplication host)
    {
        int blocks = 0;
        foreach (var size in new[] { SymbolicSampleSize.Sample32, SymbolicSampleSize.Sample64 })
        {
            using var instance = PluginInstance.Create(factory, s_processorCid.ToTuid(Vst3Encoding.Com), host);
            instance.Activate(Setup(size));
            using var block = new ProcessBlock(size, 2, MaxBlock);
            var random = new Random(1234);
            foreach (int samples in new[] { MaxBlock, 1, 37, MaxBlock })
            {
                block.NumSamples = samples;
                byte[][] input = new byte[2][];
                for (int channel = 0; channel < 2; channel++)
                {
                    Span<byte> bytes = InputBytes(block, channel, samples);
                    random.NextBytes(bytes); // any bit pattern: NaN payloads, denormals, −0 survive only a copy
                    input[channel] = bytes.ToArray();
                }

                int result = instance.Component.Process(block);
                for (int channel = 0; channel < 2; channel++)
                {
                    if (result != _com.ResultOk || !OutputBytes(block, channel, samples).SequenceEqual(input[channel]))
                    {
                        Fail($"pass-through: {size} block of {samples} samples, channel {channel}: process = 0x{result:X8}, output differs from input");
                        return;
                    }
                }

                blocks++;
            }

            instance.Deactivate();
        }

        Pass($"setupProcessing/setActive/process: {blocks} stereo blocks (32- and 64-bit, 1 to {MaxBlock} samples) pass through bit-exact");
    }

    /// <summary>getState of an instance with a changed parameter, setState into a new one, getState again: the same
    /// bytes, and the new controller shows the parameter.</summary>
    private void StateRoundTrip(PluginFactoryRef factory, HostApplication host)
    {
        byte[] saved;
        using (var first = PluginInstance.Create(factory, s_processorCid.ToTuid(Vst3Encoding.Com), host))
        {
            first.Activate(Setup(SymbolicSampleSize.Sample32));
            using var block = new ProcessBlock(SymbolicSampleSize.Sample32, 2, MaxBlock);
            using var changes = new ParameterChanges();
            changes.Add(StrengthId, 0, 0.25);
            block.InputParameterChanges = changes;
            block.NumSamples = 64;
            first.Component.Process(block);
            first.Deactivate();
            saved = GetState(first);
        }

        using var second = PluginInstance.Create(factory, s_processorCid.ToTuid(Vst3Encoding.Com), host);
        using (var stream = new MemoryBStream(saved))
        {
            int set = second.Component.SetState(stream);
            if (set != _com.ResultOk)
            {
                Fail($"setState of {saved.Length} saved bytes = 0x{set:X8}");
                return;
            }
        }

        second.SyncController();
        byte[] again = GetState(second);
        double strength = second.Controller.GetParamNormalized(StrengthId);
        if (again.AsSpan().SequenceEqual(saved) && strength == 0.25)
        {
            Pass($"getState/setState: {saved.Length} bytes round-trip into a new instance, its controller shows the saved strength 0.25");
        }
        else
        {
            Fail($"state round trip: {saved.Length} bytes saved, {again.Length} read back ({(again.AsSpan().SequenceEqual(saved) ? "same" : "different")}), controller strength {strength} (expected 0.25)");
        }
    }

    /// <summary>The instance's session view (JSON) through the plugin's diagnostics export.</summary>
    private static string SessionView(delegate* unmanaged<nint, byte*, int, int> export, nint component)
    {
        var buffer = new byte[256 * 1024];
        int length;
        fixed (byte* b = buffer)
            length = export(component, b, buffer.Length);
        return length > 0 && length <= buffer.Length
            ? System.Text.Encoding.UTF8.GetString(buffer, 0, length)
            : throw new InvalidOperationException($"AceStepDiagnostics_SessionView returned {length}");
    }

    private static ProcessSetup Setup(SymbolicSampleSize size) => new()
    {
        ProcessMode = ProcessMode.Realtime,
        SymbolicSampleSize = size,
        MaxSamplesPerBlock = MaxBlock,
        SampleRate = 48000,
    };

    private static byte[] GetState(PluginInstance instance)
    {
        using var stream = new MemoryBStream();
        int got = instance.Component.GetState(stream);
        return got == ResultCodes.Com.ResultOk ? stream.ToArray() : throw new InvalidOperationException($"getState = 0x{got:X8}");
    }

    private static Span<byte> InputBytes(ProcessBlock block, int channel, int samples) =>
        block.SampleSize == SymbolicSampleSize.Sample32
            ? MemoryMarshal.AsBytes(block.Input32(channel)[..samples])
            : MemoryMarshal.AsBytes(block.Input64(channel)[..samples]);

    private static Span<byte> OutputBytes(ProcessBlock block, int channel, int samples) =>
        block.SampleSize == SymbolicSampleSize.Sample32
            ? MemoryMarshal.AsBytes(block.Output32(channel)[..samples])
            : MemoryMarshal.AsBytes(block.Output64(channel)[..samples]);

    private void Run(string what, Action check)
    {
        try
        {
            check();
        }
        catch (Exception e)
        {
            Fail($"{what}: {e.GetType().Name}: {e.Message}");
        }
    }

    private static void Pass(string text) => Console.WriteLine("PASS " + Ascii(text));

    private void Fail(string text)
    {
        _failed = true;
        Console.WriteLine("FAIL " + Ascii(text));
    }

    // The Windows console's code page is not UTF-8 (under Wine either): non-ASCII text is written as \uXXXX so
    // the lines reach wine-check.sh intact.
    private static string Ascii(string text)
    {
        var result = new System.Text.StringBuilder(text.Length);
        foreach (char c in text)
            result.Append(c < 128 ? c.ToString() : $"\\u{(int)c:X4}");
        return result.ToString();
    }
}

using System.Diagnostics;
using System.Text;
using static AceStep.Plugin.Tests.Xlib;

// Xlib reports failures asynchronously; these calls' return values carry nothing.
#pragma warning disable CA1806

namespace AceStep.Plugin.Tests;

/// <summary>
/// A private Xvfb server for the editor tests (Debian's xvfb, installed by scripts/setup.sh --tests), and a top-level
/// window standing in for the DAW's plugin window. DISPLAY is set in the process's native environment, where the
/// plugin's Xlib reads it.
/// </summary>
public sealed unsafe class XServer : IDisposable
{
    private readonly Process _xvfb;
    private int _parents;

    public XServer()
    {
        for (int number = 90 + (Environment.ProcessId % 60); ; number++)
        {
            if (File.Exists($"/tmp/.X{number}-lock") || File.Exists($"/tmp/.X11-unix/X{number}"))
                continue;
            Name = ":" + number;
            break;
        }

        _xvfb = Process.Start(new ProcessStartInfo("Xvfb", $"{Name} -screen 0 3000x1600x24 -nolisten tcp")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        }) ?? throw new InvalidOperationException("Xvfb did not start (apt-get install xvfb; scripts/setup.sh --tests does).");
        _xvfb.ErrorDataReceived += (_, _) => { };
        _xvfb.BeginErrorReadLine();
        _xvfb.BeginOutputReadLine();
        Assert.Equal(0, setenv("DISPLAY", Name, 1));
        Environment.SetEnvironmentVariable("DISPLAY", Name);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while ((Display = XOpenDisplay(null)) == 0)
        {
            Assert.True(DateTime.UtcNow < deadline && !_xvfb.HasExited, "Xvfb did not come up on " + Name);
            Thread.Sleep(50);
        }
    }

    /// <summary>The display name, e.g. <c>:93</c>.</summary>
    public string Name { get; } = "";

    /// <summary>The test's own connection (the plugin opens its own).</summary>
    public nint Display { get; }

    /// <summary>A mapped top-level window: the DAW's plugin window.</summary>
    public nuint CreateParent(int width, int height)
    {
        // Side by side, so a click meant for one editor never lands on another.
        int x = 10 + (_parents++ % 3 * 990);
        nuint window = XCreateSimpleWindow(Display, XDefaultRootWindow(Display), x, 10, (uint)width, (uint)height, 0, 0, 0x202020);
        XMapWindow(Display, window);
        XSync(Display, 0);
        return window;
    }

    public void Destroy(nuint window)
    {
        XDestroyWindow(Display, window);
        XSync(Display, 0);
    }

    /// <summary>The children of a window (the plugin's editor window in the DAW's).</summary>
    public nuint[] Children(nuint window)
    {
        nuint root;
        nuint parent;
        nuint* children;
        uint count;
        XSync(Display, 0);
        if (XQueryTree(Display, window, &root, &parent, &children, &count) == 0)
            return [];
        var result = new nuint[count];
        for (int i = 0; i < count; i++)
            result[i] = children[i];
        if (children != null)
            XFree(children);
        return result;
    }

    /// <summary>A window's size as the X server has it.</summary>
    public (int Width, int Height) Size(nuint window)
    {
        byte* attributes = stackalloc byte[256];
        XSync(Display, 0);
        Assert.NotEqual(0, XGetWindowAttributes(Display, window, attributes));
        return (*(int*)(attributes + 8), *(int*)(attributes + 12));
    }

    /// <summary>
    /// Gives each character of <paramref name="text"/> a key of its own on keycodes the keymap leaves unused, so
    /// xdotool types them as plain key presses. Otherwise xdotool maps each such character to a spare key just before
    /// pressing it and maps the key back afterwards; a client that reads the press after the mapping changed sees
    /// another character or none (seen under load: "文" lost from "中文").
    /// </summary>
    public void BindKeys(string text)
    {
        int min, max, perKeycode;
        XDisplayKeycodes(Display, &min, &max);
        nuint* map = XGetKeyboardMapping(Display, (byte)min, max - min + 1, &perKeycode);
        var free = new Queue<int>();
        for (int code = max; code >= min; code--)
        {
            bool unused = true;
            for (int k = 0; k < perKeycode; k++)
                unused &= map[((code - min) * perKeycode) + k] == 0;
            if (unused)
                free.Enqueue(code);
        }

        XFree(map);
        var keysyms = new nuint[perKeycode];
        foreach (var rune in text.EnumerateRunes().Distinct())
        {
            Assert.True(free.Count > 0, "no unused keycode left for " + rune);
            // Latin-1 keysyms are the code points; every other character is 0x01000000 + its code point.
            nuint keysym = rune.Value < 0x100 ? (nuint)rune.Value : (nuint)(0x01000000 | rune.Value);
            Array.Fill(keysyms, (nuint)0);
            keysyms[0] = keysym;
            if (perKeycode > 1)
                keysyms[1] = keysym;
            fixed (nuint* data = keysyms)
                XChangeKeyboardMapping(Display, free.Dequeue(), perKeycode, data, 1);
        }

        XSync(Display, 0);
    }

    /// <summary>Runs xdotool (Debian's xdotool) against this server; returns its exit code.</summary>
    public int XDoTool(params string[] arguments)
    {
        var start = new ProcessStartInfo("xdotool") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in arguments)
            start.ArgumentList.Add(a);
        start.Environment["DISPLAY"] = Name;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("xdotool did not start");
        process.WaitForExit(10_000);
        return process.ExitCode;
    }

    /// <summary>What the X server shows in a window: BGRA rows (XGetImage of a 24/32-bit TrueColor window).</summary>
    public SkiaSharp.SKBitmap Capture(nuint window)
    {
        var (width, height) = Size(window);
        byte* image = (byte*)XGetImage(Display, window, 0, 0, (uint)width, (uint)height, ~(nuint)0, 2);
        Assert.True(image != null, "XGetImage failed");
        try
        {
            byte* data = *(byte**)(image + 16);
            int stride = *(int*)(image + 44);
            Assert.Equal(32, *(int*)(image + 48));
            var bitmap = new SkiaSharp.SKBitmap(width, height, SkiaSharp.SKColorType.Bgra8888, SkiaSharp.SKAlphaType.Opaque);
            byte* target = (byte*)bitmap.GetPixels();
            for (int y = 0; y < height; y++)
            {
                Buffer.MemoryCopy(data + (y * stride), target + (y * bitmap.RowBytes), bitmap.RowBytes, width * 4);
                for (int x = 0; x < width; x++)
                    target[(y * bitmap.RowBytes) + (x * 4) + 3] = 255;
            }

            return bitmap;
        }
        finally
        {
            // XDestroyImage is a macro: the image's own destroy function (second of its six function pointers).
            ((delegate* unmanaged<void*, int>)*(void**)(image + 96))(image);
        }
    }

    /// <summary>Saves what a window shows as PNG.</summary>
    public void Screenshot(nuint window, string png)
    {
        using var bitmap = Capture(window);
        using var data = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(png, data.ToArray());
    }

    public void Dispose()
    {
        XCloseDisplay(Display);
        try
        {
            _xvfb.Kill();
            _xvfb.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }

        _xvfb.Dispose();
    }
}

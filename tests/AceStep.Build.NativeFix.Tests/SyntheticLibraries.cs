using System.Diagnostics;

namespace AceStep.Build.NativeFix.Tests;

/// <summary>
/// Builds, with gcc, a miniature of the libLibTorchSharp.so situation in a temp directory:
///   libdep.so (new): used@@DEP_1 and unused@@DEP_2, like a libstdc++ that has GLIBCXX_3.4.32;
///   libdep.so (old): only used@@DEP_1, like Debian 12's libstdc++;
///   libuser.so: calls used() and only references unused (the GCC 13 &lt;iostream&gt; trick), so it needs DEP_2.
/// </summary>
internal sealed class SyntheticLibraries : IDisposable
{
    public SyntheticLibraries(string runPath, params string[] extraLinkFlags)
    {
        Directory = Path.Combine(Path.GetTempPath(), $"nativefix-tests-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "new"));
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "old"));

        Write("dep_new.c", "int used(void) { return 42; }\nvoid unused(void) {}\n");
        Write("dep_new.map", "DEP_1 { global: used; local: *; };\nDEP_2 { global: unused; } DEP_1;\n");
        Write("dep_old.c", "int used(void) { return 42; }\n");
        Write("dep_old.map", "DEP_1 { global: used; local: *; };\n");
        Write("user.c", "extern int used(void);\nint user_entry(void) { return used(); }\n__asm__(\".globl unused\");\n");

        Gcc("-shared", "-fPIC", "-nostdlib", "-Wl,--version-script=dep_new.map", "-Wl,-soname,libdep.so", "-o", "new/libdep.so", "dep_new.c");
        Gcc("-shared", "-fPIC", "-nostdlib", "-Wl,--version-script=dep_old.map", "-Wl,-soname,libdep.so", "-o", "old/libdep.so", "dep_old.c");
        Gcc([
            "-shared", "-fPIC", "-nostdlib", "-Wl,--enable-new-dtags", "-Wl,-rpath," + runPath, "-Wl,-soname,libuser.so",
            .. extraLinkFlags, "-o", "libuser.so", "user.c", "-Lnew", "-ldep",
        ]);
    }

    public string Directory { get; }

    public string User => Path.Combine(Directory, "libuser.so");

    /// <summary>Copies <paramref name="userBytes"/> next to the OLD libdep.so (and any extra files) in a fresh directory.</summary>
    public string StageWithOldDep(byte[] userBytes, string name, params string[] extraFiles)
    {
        var dir = Path.Combine(Directory, name);
        System.IO.Directory.CreateDirectory(dir);
        File.Copy(Path.Combine(Directory, "old", "libdep.so"), Path.Combine(dir, "libdep.so"));
        foreach (var file in extraFiles)
            File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        var user = Path.Combine(dir, "libuser.so");
        File.WriteAllBytes(user, userBytes);
        return user;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(Directory, name), text);

    private void Gcc(params string[] args)
    {
        var start = new ProcessStartInfo("gcc") { WorkingDirectory = Directory, RedirectStandardError = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"gcc {string.Join(' ', args)} failed: {stderr}");
    }
}

using AceStep.Build.NativeFix;
using AceStep.Build.NativeFix.Elf;

// Entry point of the build tool. Errors are printed in MSBuild's canonical "origin : error CODE: text" form so
// that the Exec task in build/TorchSharpNativeFix.targets shows them as build errors, not as a bare exit code.
try
{
    return args switch
    {
        ["fix", .. var rest] => FixCommand.Run(rest),
        ["inspect", var path] => FixCommand.Inspect(path),
        _ => Usage(),
    };
}
catch (Exception e) when (e is NativeFixException or ElfFormatException or ElfPatchException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"AceStep.Build.NativeFix : error ASNF001: {e.Message}");
    return 1;
}

static int Usage()
{
    Console.Error.WriteLine("""
        AceStep.Build.NativeFix : error ASNF000: usage:
          fix --input <libLibTorchSharp.so> --output-dir <dir> [--mode auto|always|never] [--libstdcxx <path>] [--cc <gcc>] [--patchelf <patchelf>]
          inspect <elf shared object>
        """);
    return 2;
}

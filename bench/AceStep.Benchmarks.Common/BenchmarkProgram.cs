using System.Reflection;
using BenchmarkDotNet.Running;

namespace AceStep.Benchmarks;

/// <summary>The entry point of every suite: pick benchmarks on the command line (<c>--filter '*'</c>).</summary>
public static class BenchmarkProgram
{
    /// <summary>
    /// Runs the suites of <paramref name="assembly"/>. In this process (<c>--inProcess</c>) by default:
    /// BenchmarkDotNet's out-of-process toolchain builds a generated project with ImportDirectoryBuildTargets=false,
    /// which would miss this repository's build fixes (build/TorchSharpNativeFix.targets). Pass
    /// <c>--outOfProcess</c> for BenchmarkDotNet's default on a machine that does not need them.
    /// </summary>
    public static void Run(Assembly assembly, string[] args)
    {
        var arguments = args.Contains("--outOfProcess")
            ? args.Where(a => a != "--outOfProcess").ToArray()
            : args.Contains("--inProcess") ? args : [.. args, "--inProcess"];
        BenchmarkSwitcher.FromAssembly(assembly).Run(arguments);
    }
}

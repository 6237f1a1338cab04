using System.Reflection;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace AceStep.Benchmarks;

/// <summary>The entry point of every suite: pick benchmarks on the command line (<c>--filter '*'</c>).</summary>
public static class BenchmarkProgram
{
    /// <summary>
    /// Runs the suites of <paramref name="assembly"/>. In this process by default: BenchmarkDotNet's out-of-process
    /// toolchain builds a generated project with ImportDirectoryBuildTargets=false, which would miss this repository's
    /// build fixes (build/TorchSharpNativeFix.targets). The in-process job gets a two-hour limit instead of the
    /// toolchain's default minutes: a real-width pipeline iteration takes minutes on two cores. Pass
    /// <c>--outOfProcess</c> for BenchmarkDotNet's default on a machine that does not need the fixes.
    /// </summary>
    public static void Run(Assembly assembly, string[] args)
    {
        if (args.Contains("--outOfProcess"))
        {
            BenchmarkSwitcher.FromAssembly(assembly).Run(args.Where(a => a != "--outOfProcess").ToArray());
            return;
        }

        var inProcess = Job.Default.WithToolchain(new InProcessEmitToolchain(TimeSpan.FromHours(2), logOutput: true));
        BenchmarkSwitcher.FromAssembly(assembly).Run(args.Where(a => a != "--inProcess").ToArray(), DefaultConfig.Instance.AddJob(inProcess));
    }
}

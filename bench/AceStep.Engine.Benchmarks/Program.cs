using BenchmarkDotNet.Running;

// Pick suites on the command line, e.g. `--filter '*'`, or `--filter '*Gemm*' --job short`.
//
// Benchmarks run in this process (--inProcess) by default: BenchmarkDotNet's usual out-of-process toolchain builds a
// generated project with ImportDirectoryBuildTargets=false, so it would miss this repository's TorchSharp native fix
// (build/TorchSharpNativeFix.targets) and load the unpatched libLibTorchSharp.so, which fails on Debian 12.
// Pass --outOfProcess to get BenchmarkDotNet's default on a machine that does not need the fix.
var arguments = args.Contains("--outOfProcess")
    ? args.Where(a => a != "--outOfProcess").ToArray()
    : args.Contains("--inProcess") ? args : [.. args, "--inProcess"];
BenchmarkSwitcher.FromAssembly(typeof(AceStep.Engine.Benchmarks.TorchGemmBenchmarks).Assembly).Run(arguments);

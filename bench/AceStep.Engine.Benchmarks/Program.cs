// Pick suites on the command line, e.g. `--filter '*'`, or `--filter '*Gemm*' --job short`.
// `--lm-parity 0.6B [tokens]` prints the LM's compact-weight parity against fp32 instead (LmParity).
if (args is ["--lm-parity", var shape, ..])
{
    AceStep.Engine.Benchmarks.LmParity.Run(shape, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 200);
    return;
}

AceStep.Benchmarks.BenchmarkProgram.Run(typeof(AceStep.Engine.Benchmarks.TorchGemmBenchmarks).Assembly, args);

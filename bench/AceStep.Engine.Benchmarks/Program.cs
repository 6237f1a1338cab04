// Pick suites on the command line, e.g. `--filter '*'`, or `--filter '*Gemm*' --job short`.
// `--lm-parity 0.6B [tokens] [fp32,bf16,int8]` prints the LM's compact-weight parity against fp32 instead (LmParity).
if (args is ["--lm-parity", var shape, ..])
{
    var tokens = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 200;
    var formats = (args.Length > 3 ? args[3] : "fp32,bf16,int8").Split(',')
        .Select(f => AceStep.Engine.Kernels.WeightFormats.TryParse(f, out var format) ? format : throw new ArgumentException($"Unknown format '{f}'."))
        .ToList();
    AceStep.Engine.Benchmarks.LmParity.Run(shape, tokens, formats);
    return;
}

AceStep.Benchmarks.BenchmarkProgram.Run(typeof(AceStep.Engine.Benchmarks.TorchGemmBenchmarks).Assembly, args);

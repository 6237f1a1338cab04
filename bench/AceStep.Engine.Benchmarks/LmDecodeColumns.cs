using System.Globalization;
using AceStep.Benchmarks;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace AceStep.Engine.Benchmarks;

/// <summary>Work per second of a benchmark case, from the work its <see cref="IWorkSource"/> declares for a column.</summary>
internal static class WorkRate
{
    /// <summary>Work of one invocation ÷ mean seconds, or null when the case has no result or declares no such work.</summary>
    public static double? Of(Summary summary, BenchmarkCase benchmarkCase, string column) =>
        WorkOf(benchmarkCase, column) is { } work && summary[benchmarkCase]?.ResultStatistics is { } statistics
            ? work / (statistics.Mean / 1e9)                                                  // Mean is in nanoseconds
            : null;

    /// <summary>The work one invocation of the case declares for a column, or null when none.</summary>
    public static double? WorkOf(BenchmarkCase benchmarkCase, string column)
    {
        var type = benchmarkCase.Descriptor.Type;
        if (Activator.CreateInstance(type) is not IWorkSource source)
            return null;
        foreach (var parameter in benchmarkCase.Parameters.Items)
            type.GetProperty(parameter.Name)?.SetValue(source, parameter.Value);
        var work = source.Work(benchmarkCase.Descriptor.WorkloadMethod.Name, column);
        return work > 0 ? work : null;
    }

    /// <summary>The case of <paramref name="method"/> in the same class with the same parameters, if it ran.</summary>
    public static BenchmarkCase? Sibling(Summary summary, BenchmarkCase benchmarkCase, string method) =>
        summary.BenchmarksCases.FirstOrDefault(c =>
            c.Descriptor.Type == benchmarkCase.Descriptor.Type &&
            c.Descriptor.WorkloadMethod.Name == method &&
            c.Parameters.DisplayInfo == benchmarkCase.Parameters.DisplayInfo);
}

/// <summary>A "tokens/s" column: decoded tokens per second per result (each token is one CFG pair of rows).</summary>
internal sealed class TokensPerSecondColumn : IColumn
{
    /// <summary>The work name under which a benchmark declares the tokens one invocation decodes.</summary>
    public const string TokensWork = "tokens";

    public string Id => nameof(TokensPerSecondColumn);
    public string ColumnName => "tokens/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Tokens decoded per second per result (one CFG pair of rows per token)";
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
        WorkRate.Of(summary, benchmarkCase, TokensWork) is { } rate ? rate.ToString("F2", CultureInfo.InvariantCulture) : "-";

    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}

/// <summary>
/// A "bound tokens/s" column: the memory bandwidth measured by <paramref name="bandwidthMethod"/> (same class, same
/// parameters, same run) divided by the bytes a case reads per token — the most tokens/s reading the weights and the
/// cached keys and values once per token allows.
/// </summary>
internal sealed class BandwidthBoundColumn(string bandwidthMethod) : IColumn
{
    private const string Bytes = "GB/s";

    public string Id => nameof(BandwidthBoundColumn) + bandwidthMethod;
    public string ColumnName => "bound tokens/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 1;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => $"Bandwidth of '{bandwidthMethod}' (same run) ÷ bytes read per token (weights, cached keys and values)";
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var tokens = WorkRate.WorkOf(benchmarkCase, TokensPerSecondColumn.TokensWork);
        var bytes = WorkRate.WorkOf(benchmarkCase, Bytes);
        var bandwidthCase = WorkRate.Sibling(summary, benchmarkCase, bandwidthMethod);
        var bandwidth = bandwidthCase is null ? null : WorkRate.Of(summary, bandwidthCase, Bytes);
        return tokens is { } t && bytes is { } b && bandwidth is { } bw
            ? (bw / (b / t)).ToString("F2", CultureInfo.InvariantCulture)
            : "-";
    }

    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}

/// <summary>
/// The read bandwidth sampled right before each iteration of a decode case (median of its samples,
/// <see cref="LmDecodeBenchmarks.InterleavedBandwidth"/>), or the case's read rate as a fraction of it: the bound
/// measured while the case ran rather than in a separate case.
/// </summary>
internal sealed class InterleavedBoundColumn(bool showBandwidth) : IColumn
{
    public string Id => nameof(InterleavedBoundColumn) + showBandwidth;
    public string ColumnName => showBandwidth ? "read GB/s (interleaved)" : "vs interleaved read";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 2;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => showBandwidth
        ? "Median read bandwidth of 8 sums of 256 MiB sampled before each iteration of this case"
        : "GB/s read by the case ÷ its interleaved read bandwidth";
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var key = LmDecodeBenchmarks.CaseKey(
            benchmarkCase.Parameters[nameof(LmDecodeBenchmarks.Shape)]?.ToString() ?? "",
            benchmarkCase.Parameters[nameof(LmDecodeBenchmarks.Weights)]?.ToString() ?? "");
        if (!LmDecodeBenchmarks.InterleavedBandwidth.TryGetValue(key, out var samples) || samples.Count == 0)
            return "-";
        var sorted = samples.Order().ToList();
        var median = sorted[sorted.Count / 2];
        if (showBandwidth)
            return (median / 1e9).ToString("F1", CultureInfo.InvariantCulture);
        return WorkRate.Of(summary, benchmarkCase, "GB/s") is { } read
            ? (read / median).ToString("F2", CultureInfo.InvariantCulture)
            : "-";
    }

    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}

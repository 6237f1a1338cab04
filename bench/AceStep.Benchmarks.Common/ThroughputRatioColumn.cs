using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace AceStep.Benchmarks;

/// <summary>
/// A column "vs {baseline}": a case's throughput divided by the throughput of the baseline method of the same class
/// with the same parameters, both measured in the same run (so machine noise and thermal state are shared). Targets
/// such as "DiT forward at ≥ 0.7 of GEMM throughput" are read off this column.
/// </summary>
/// <param name="column">The throughput column both rates are taken from ("GFLOP/s").</param>
/// <param name="baselineMethod">Name of the baseline benchmark method.</param>
public sealed class ThroughputRatioColumn(string column, string baselineMethod) : IColumn
{
    public string Id => nameof(ThroughputRatioColumn) + baselineMethod;
    public string ColumnName => "vs " + baselineMethod;
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 1;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => $"{column} of this case divided by {column} of '{baselineMethod}' with the same parameters, same run";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var baseline = summary.BenchmarksCases.FirstOrDefault(c =>
            c.Descriptor.Type == benchmarkCase.Descriptor.Type &&
            c.Descriptor.WorkloadMethod.Name == baselineMethod &&
            c.Parameters.DisplayInfo == benchmarkCase.Parameters.DisplayInfo);
        if (baseline is null)
            return "NA";
        var rate = ThroughputColumn.Rate(summary, benchmarkCase, column);
        var baseRate = ThroughputColumn.Rate(summary, baseline, column);
        return rate is { } r && baseRate is { } b && b > 0 ? (r / b).ToString("F2", CultureInfo.InvariantCulture) : "NA";
    }

    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}

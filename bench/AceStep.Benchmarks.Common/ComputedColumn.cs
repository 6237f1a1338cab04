using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace AceStep.Benchmarks;

/// <summary>
/// A summary column whose text is computed per benchmark case (a measured value kept aside, a statistic BenchmarkDotNet
/// has no column for): the IColumn boilerplate once.
/// </summary>
/// <param name="name">Column header.</param>
/// <param name="legend">What the column means (printed under the table).</param>
/// <param name="value">The cell's text, or "NA".</param>
/// <param name="category">Where BenchmarkDotNet places it.</param>
/// <param name="unit">Its unit type.</param>
public sealed class ComputedColumn(string name, string legend, Func<Summary, BenchmarkCase, string> value,
    ColumnCategory category = ColumnCategory.Custom, UnitType unit = UnitType.Dimensionless) : IColumn
{
    public string Id => "Computed." + name;
    public string ColumnName => name;
    public bool AlwaysShow => true;
    public ColumnCategory Category => category;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => unit;
    public string Legend => legend;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => value(summary, benchmarkCase);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => value(summary, benchmarkCase);

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}

using AceStep.Contracts.Tasks;

namespace AceStep.Engine.Generation;

/// <summary>
/// A stem job (lego, extract, complete) asked of a turbo checkpoint: upstream offers these on the base model only
/// (<c>TASK_TYPES_BASE</c> vs <c>TASK_TYPES_TURBO</c> in <c>acestep/constants.py</c>; spec §9.6). The validator
/// refuses such a request as <c>unsupportedTask</c>; this is the engine's own guard for a request or checkpoint that
/// reaches the pipeline anyway, and the edge answers it with the same code.
/// </summary>
public sealed class BaseModelOnlyTaskException : InvalidOperationException
{
    /// <summary>Creates the exception for <paramref name="kind"/> on <paramref name="model"/>.</summary>
    public BaseModelOnlyTaskException(JobKind kind, string model)
        : base($"settings.task '{WireNames.StemTaskName(kind) ?? kind.ToString()}' runs on the base model only; '{model}' is a turbo checkpoint. " +
               $"Use '{AudioModelCatalog.Base.Id}'.")
    {
        Kind = kind;
        Model = model;
    }

    /// <summary>The job that was asked.</summary>
    public JobKind Kind { get; }

    /// <summary>The model (or checkpoint) it was asked of.</summary>
    public string Model { get; }

    /// <summary>True for the jobs only the base model runs.</summary>
    public static bool IsBaseOnly(JobKind kind) => kind is JobKind.Lego or JobKind.Extract or JobKind.Complete;
}

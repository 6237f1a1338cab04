namespace AceStep.Engine.Model.Compact;

/// <summary>
/// Skips the random initialisation of the large weights (<see cref="Projection"/>, <see cref="TokenEmbedding"/>) while a
/// checkpoint is about to overwrite them. The allocation then stays untouched virtual memory until each tensor is loaded
/// — and, packed as it loads, never all at once in fp32: what keeps the compact memory mode's peak low.
/// </summary>
public static class ParameterInitialisation
{
    [ThreadStatic]
    private static int _skipDepth;

    /// <summary>True inside a <see cref="Skip"/> scope on this thread.</summary>
    public static bool IsSkipped => _skipDepth > 0;

    /// <summary>Until disposed, modules built on this thread leave their large weights uninitialised.</summary>
    public static IDisposable Skip()
    {
        _skipDepth++;
        return new Scope();
    }

    private sealed class Scope : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed)
                return;
            _disposed = true;
            _skipDepth--;
        }
    }
}

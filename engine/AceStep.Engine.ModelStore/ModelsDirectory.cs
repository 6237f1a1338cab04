namespace AceStep.Engine.ModelStore;

/// <summary>
/// Where installed models live: <c>&lt;engine home&gt;/models</c> unless <see cref="Variable"/> points elsewhere (a
/// shared disk, or an existing ACE-Step checkout whose <c>checkpoints/</c> folder should be reused).
/// </summary>
public static class ModelsDirectory
{
    /// <summary>Environment variable that moves the models directory away from the engine home.</summary>
    public const string Variable = "ACESTEP_MODELS_DIR";

    /// <summary>The models directory for the engine home <paramref name="home"/>, honouring <see cref="Variable"/>.</summary>
    public static string ForHome(string home) =>
        Path.GetFullPath(Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } models ? models : Path.Combine(home, "models"));

    /// <summary>The models directory of the default engine home (<see cref="EngineHome.Resolve"/>).</summary>
    public static string Resolve() => ForHome(EngineHome.Resolve());
}

using AceStep.Engine.Pipelines.Tests;

// `AceStep.Wine.TinyModels DIR`: writes tiny checkpoints of the DiT, text encoder and VAE (plus a tiny planner LM)
// into the models directory DIR and registers them, as `acestep models adopt` does.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: AceStep.Wine.TinyModels MODELS_DIR");
    return 2;
}

TinyModels.WriteTo(Path.GetFullPath(args[0]));
Console.WriteLine($"tiny models written to {Path.GetFullPath(args[0])}");
return 0;

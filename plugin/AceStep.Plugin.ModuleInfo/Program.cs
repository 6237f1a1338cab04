using AceStep.Vst3.Hosting;

// Usage: AceStep.Plugin.ModuleInfo <bundle.vst3> <output moduleinfo.json> [version]
// Loads the bundle like a host and writes what its factory reports, so moduleinfo.json has one source of truth.
if (args.Length is < 2 or > 3)
{
    await Console.Error.WriteLineAsync("usage: AceStep.Plugin.ModuleInfo <bundle.vst3> <output moduleinfo.json> [version]");
    return 2;
}

try
{
    using var module = Vst3Module.Load(args[0]);
    var info = ModuleInfo.FromModule(module, args.Length == 3 ? args[2] : null);
    string output = Path.GetFullPath(args[1]);
    Directory.CreateDirectory(Path.GetDirectoryName(output)!);
    info.WriteTo(output);
    Console.WriteLine($"moduleinfo.json: {output} ({info.Classes.Count} classes, version {info.Version})");
    return 0;
}
catch (Vst3HostingException e)
{
    await Console.Error.WriteLineAsync($"error: {e.Message}");
    return 1;
}

using TorchSharp;

namespace AceStep.Engine.Model.Compact;

/// <summary>Finds a module tree's packable weights and packs them.</summary>
public static class WeightPacking
{
    /// <summary>Each packable module under <paramref name="root"/> by its weight's parameter name (<c>….weight</c>).</summary>
    public static IReadOnlyDictionary<string, IPackableWeight> Find(torch.nn.Module root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var found = new Dictionary<string, IPackableWeight>(StringComparer.Ordinal);
        foreach (var (name, module) in root.named_modules())
        {
            if (module is IPackableWeight packable)
                found[name.Length == 0 ? "weight" : name + ".weight"] = packable;
        }

        return found;
    }

    /// <summary>Holds every packable weight under <paramref name="root"/> as <paramref name="holding"/>; returns how many.</summary>
    public static int HoldAll(torch.nn.Module root, WeightHolding holding)
    {
        var all = Find(root);
        foreach (var packable in all.Values)
            packable.Hold(holding);
        return all.Count;
    }
}

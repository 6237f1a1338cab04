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
        // A module can be listed under two names (TorchSharp also registers a module's fields); hold each once.
        var all = Find(root).Values.Distinct(ReferenceEqualityComparer.Instance).Cast<IPackableWeight>().ToList();
        foreach (var packable in all)
            packable.Hold(holding);
        return all.Count;
    }
}

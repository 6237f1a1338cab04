namespace AceStep.Vst3.Hosting;

/// <summary>What <c>getFactoryInfo</c> reported.</summary>
/// <param name="Vendor">Vendor.</param>
/// <param name="Url">Web site.</param>
/// <param name="Email">E-mail.</param>
/// <param name="Flags">Factory flags.</param>
public sealed record FactoryInfo(string Vendor, string Url, string Email, FactoryFlags Flags);

/// <summary>What <c>getClassInfo</c> (v1) reported.</summary>
/// <param name="Cid">Class ID bytes.</param>
/// <param name="Cardinality">Cardinality.</param>
/// <param name="Category">Category.</param>
/// <param name="Name">Name.</param>
public sealed record ClassInfo(Tuid Cid, int Cardinality, string Category, string Name);

/// <summary>What <c>getClassInfo2</c> or <c>getClassInfoUnicode</c> reported (the same fields, different encodings).</summary>
/// <param name="Cid">Class ID bytes.</param>
/// <param name="Cardinality">Cardinality.</param>
/// <param name="Category">Category.</param>
/// <param name="Name">Name.</param>
/// <param name="ClassFlags">Component flags.</param>
/// <param name="SubCategories">'|'-separated subcategories.</param>
/// <param name="Vendor">Vendor.</param>
/// <param name="Version">Version.</param>
/// <param name="SdkVersion">SDK version.</param>
public sealed record ClassInfo2(
    Tuid Cid,
    int Cardinality,
    string Category,
    string Name,
    ComponentFlags ClassFlags,
    string SubCategories,
    string Vendor,
    string Version,
    string SdkVersion)
{
    /// <summary>The subcategories split at '|'; empty when there are none.</summary>
    public IReadOnlyList<string> SubCategoryList =>
        SubCategories.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

using System.Text.Json;

namespace AceStep.Vst3.Hosting;

/// <summary>The content of <c>Contents/Resources/moduleinfo.json</c> (Steinberg's "ModuleInfo JSON" format).</summary>
/// <param name="Name">Module name (the bundle stem).</param>
/// <param name="Version">Module version.</param>
/// <param name="FactoryInfo">The factory info.</param>
/// <param name="Classes">The classes, in factory order.</param>
public sealed record ModuleInfo(string Name, string Version, FactoryInfo FactoryInfo, IReadOnlyList<ClassInfo2> Classes)
{
    /// <summary>Reads everything moduleinfo.json holds from a loaded module, as moduleinfotool <c>-create</c> does.</summary>
    /// <param name="module">The loaded module.</param>
    /// <param name="version">The module version; by default the first class's version.</param>
    /// <returns>The module info.</returns>
    public static ModuleInfo FromModule(Vst3Module module, string? version = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        var factory = module.Factory;
        var classes = Enumerable.Range(0, factory.CountClasses()).Select(factory.GetBestClassInfo).ToList();
        return new ModuleInfo(
            module.Layout.Name,
            version ?? classes.FirstOrDefault()?.Version ?? "",
            factory.GetFactoryInfo(),
            classes);
    }

    /// <summary>Writes the JSON document.</summary>
    /// <param name="stream">Destination.</param>
    public void WriteTo(Stream stream)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString(Keys.Name, Name);
        json.WriteString(Keys.Version, Version);
        json.WriteStartObject(Keys.FactoryInfo);
        json.WriteString(Keys.Vendor, FactoryInfo.Vendor);
        json.WriteString(Keys.Url, FactoryInfo.Url);
        json.WriteString(Keys.Email, FactoryInfo.Email);
        json.WriteStartObject(Keys.Flags);
        json.WriteBoolean(Keys.Unicode, FactoryInfo.Flags.HasFlag(FactoryFlags.Unicode));
        json.WriteBoolean(Keys.ClassesDiscardable, FactoryInfo.Flags.HasFlag(FactoryFlags.ClassesDiscardable));
        json.WriteBoolean(Keys.ComponentNonDiscardable, FactoryInfo.Flags.HasFlag(FactoryFlags.ComponentNonDiscardable));
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteStartArray(Keys.Classes);
        foreach (var cls in Classes)
        {
            json.WriteStartObject();
            // Hosts print and match CIDs as the 32 hex digits of the TUID bytes in memory order.
            json.WriteString(Keys.Cid, cls.Cid.ToString());
            json.WriteString(Keys.Category, cls.Category);
            json.WriteString(Keys.Name, cls.Name);
            json.WriteString(Keys.Vendor, cls.Vendor);
            json.WriteString(Keys.Version, cls.Version);
            json.WriteString(Keys.SdkVersion, cls.SdkVersion);
            json.WriteStartArray(Keys.SubCategories);
            foreach (string sub in cls.SubCategoryList)
            {
                json.WriteStringValue(sub);
            }

            json.WriteEndArray();
            json.WriteNumber(Keys.ClassFlags, (uint)cls.ClassFlags);
            json.WriteNumber(Keys.Cardinality, cls.Cardinality);
            json.WriteStartArray(Keys.Snapshots);
            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        stream.WriteByte((byte)'\n');
    }

    /// <summary>Writes the JSON document to a file, replacing it.</summary>
    /// <param name="path">Destination file.</param>
    public void WriteTo(string path)
    {
        using var stream = File.Create(path);
        WriteTo(stream);
    }

    /// <summary>Reads a moduleinfo.json (JSON5 comments and trailing commas allowed).</summary>
    /// <param name="path">The file.</param>
    /// <returns>The module info.</returns>
    /// <exception cref="FormatException">A required key is missing or has the wrong type.</exception>
    public static ModuleInfo Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream, new JsonDocumentOptions
        {
            AllowTrailingCommas = true,
            CommentHandling = JsonCommentHandling.Skip,
        });
        var root = document.RootElement;
        var factory = Required(root, Keys.FactoryInfo);
        var flags = Required(factory, Keys.Flags);
        var factoryFlags =
            (Required(flags, Keys.Unicode).GetBoolean() ? FactoryFlags.Unicode : FactoryFlags.None)
            | (Required(flags, Keys.ClassesDiscardable).GetBoolean() ? FactoryFlags.ClassesDiscardable : FactoryFlags.None)
            | (Required(flags, Keys.ComponentNonDiscardable).GetBoolean() ? FactoryFlags.ComponentNonDiscardable : FactoryFlags.None);
        var classes = Required(root, Keys.Classes).EnumerateArray().Select(c => new ClassInfo2(
            Tuid.Parse(Text(c, Keys.Cid)),
            Required(c, Keys.Cardinality).GetInt32(),
            Text(c, Keys.Category),
            Text(c, Keys.Name),
            (ComponentFlags)Required(c, Keys.ClassFlags).GetUInt32(),
            string.Join('|', Required(c, Keys.SubCategories).EnumerateArray().Select(s => s.GetString())),
            Text(c, Keys.Vendor),
            Text(c, Keys.Version),
            Text(c, Keys.SdkVersion))).ToList();
        return new ModuleInfo(
            Text(root, Keys.Name),
            Text(root, Keys.Version),
            new FactoryInfo(Text(factory, Keys.Vendor), Text(factory, Keys.Url), Text(factory, Keys.Email), factoryFlags),
            classes);
    }

    private static JsonElement Required(JsonElement element, string key) =>
        element.TryGetProperty(key, out var value) ? value : throw new FormatException($"moduleinfo.json lacks \"{key}\".");

    private static string Text(JsonElement element, string key) =>
        Required(element, key).GetString() ?? throw new FormatException($"moduleinfo.json has null \"{key}\".");

    /// <summary>The keys of the format, spelled as hosts and moduleinfotool spell them.</summary>
    private static class Keys
    {
        public const string Name = "Name";
        public const string Version = "Version";
        public const string FactoryInfo = "Factory Info";
        public const string Vendor = "Vendor";
        public const string Url = "URL";
        public const string Email = "E-Mail";
        public const string Flags = "Flags";
        public const string Unicode = "Unicode";
        public const string ClassesDiscardable = "Classes Discardable";
        public const string ComponentNonDiscardable = "Component Non Discardable";
        public const string Classes = "Classes";
        public const string Cid = "CID";
        public const string Category = "Category";
        public const string SdkVersion = "SDKVersion";
        public const string SubCategories = "Sub Categories";
        public const string ClassFlags = "Class Flags";
        public const string Cardinality = "Cardinality";
        public const string Snapshots = "Snapshots";
    }
}

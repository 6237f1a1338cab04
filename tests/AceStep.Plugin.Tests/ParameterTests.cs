using AceStep.Vst3;
using AceStep.Vst3.Hosting;

namespace AceStep.Plugin.Tests;

public sealed class ParameterTests : IDisposable
{
    private readonly PluginHarness _plugin = new();
    private readonly PluginInstance _instance;

    public ParameterTests()
    {
        _instance = _plugin.CreateInstance();
    }

    private EditControllerRef Controller => _instance.Controller;

    public void Dispose()
    {
        _instance.Dispose();
        _plugin.Dispose();
    }

    [Fact]
    public void Parameter_list_has_stable_ids_titles_steps_flags_and_defaults()
    {
        // (id, title, units, stepCount, default normalized, flags)
        var expected = new (uint Id, string Title, string Units, int Steps, double Default, ParameterFlags Flags)[]
        {
            (0, "Bypass", "", 1, 0, ParameterFlags.CanAutomate | ParameterFlags.IsBypass),
            (1, "Mode", "", 5, 0, ParameterFlags.CanAutomate | ParameterFlags.IsList),
            (2, "Strength", "", 0, 0.5, ParameterFlags.CanAutomate),
            (3, "Cover Scale", "", 0, 1, ParameterFlags.CanAutomate),
            (4, "Steps", "steps", 99, 31 / 99.0, ParameterFlags.CanAutomate),
            (5, "Seed", "", int.MaxValue, 0, ParameterFlags.CanAutomate),
            (6, "Key", "", 42, 0, ParameterFlags.CanAutomate | ParameterFlags.IsList),
            (7, "Start Bar", "", 998, 0, ParameterFlags.CanAutomate),
            (8, "Length", "bars", 127, 3 / 127.0, ParameterFlags.CanAutomate),
            (9, "Listen", "", 1, 1, ParameterFlags.CanAutomate | ParameterFlags.IsList),
            (10, "Generate", "", 1, 0, ParameterFlags.CanAutomate | ParameterFlags.IsList),
            (11, "Open Control Page", "", 1, 0, ParameterFlags.CanAutomate | ParameterFlags.IsList),
            (12, "Model", "", 1, 0, ParameterFlags.CanAutomate | ParameterFlags.IsList),
            (13, "Track", "", 11, 9 / 11.0, ParameterFlags.CanAutomate | ParameterFlags.IsList),
        };
        Assert.Equal(expected.Length, Controller.GetParameterCount());
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(Vst3Result.Ok, Controller.GetParameterInfo(i, out var info));
            Assert.Equal(expected[i].Id, info.Id);
            Assert.Equal(expected[i].Title, info.Title.ToString());
            Assert.False(string.IsNullOrEmpty(info.ShortTitle.ToString()));
            Assert.Equal(expected[i].Units, info.Units.ToString());
            Assert.Equal(expected[i].Steps, info.StepCount);
            Assert.Equal(expected[i].Default, info.DefaultNormalizedValue, 12);
            Assert.Equal(ParameterInfoConstants.RootUnitId, info.UnitId);
            Assert.Equal(expected[i].Flags, info.Flags);
            // A fresh instance shows every parameter at its default.
            Assert.Equal(expected[i].Default, Controller.GetParamNormalized(info.Id), 12);
        }

        Assert.Equal(Vst3Result.InvalidArgument, Controller.GetParameterInfo(expected.Length, out _));
        Assert.Equal(Vst3Result.InvalidArgument, Controller.GetParameterInfo(-1, out _));
    }

    [Theory]
    [InlineData(4u, 1.0)]
    [InlineData(4u, 32.0)]
    [InlineData(4u, 100.0)]
    [InlineData(5u, 0.0)]
    [InlineData(5u, 123456789.0)]
    [InlineData(5u, 2147483647.0)]
    [InlineData(6u, 17.0)]
    [InlineData(7u, 999.0)]
    [InlineData(8u, 16.0)]
    [InlineData(1u, 2.0)]
    [InlineData(2u, 0.37)]
    public void Plain_and_normalized_values_round_trip(uint id, double plain)
    {
        double normalized = Controller.PlainParamToNormalized(id, plain);
        Assert.InRange(normalized, 0, 1);
        Assert.Equal(plain, Controller.NormalizedParamToPlain(id, normalized), 9);
    }

    [Theory]
    [InlineData(4u, 0.0, 1.0)]
    [InlineData(4u, 1.0, 100.0)]
    [InlineData(4u, 0.5, 51.0)]
    [InlineData(8u, 0.0, 1.0)]
    [InlineData(1u, 0.29, 1.0)]
    [InlineData(1u, 0.61, 3.0)]
    [InlineData(2u, 2.0, 1.0)]
    [InlineData(2u, -1.0, 0.0)]
    public void Normalized_values_map_to_snapped_and_clamped_plain_values(uint id, double normalized, double plain)
    {
        Assert.Equal(plain, Controller.NormalizedParamToPlain(id, normalized), 9);
    }

    [Theory]
    [InlineData(0u, 0.0, "Off")]
    [InlineData(0u, 1.0, "On")]
    [InlineData(1u, 0.0, "Repaint")]
    [InlineData(1u, 0.2, "Cover")]
    [InlineData(1u, 0.4, "Generate")]
    [InlineData(1u, 0.6, "Add a Part")]
    [InlineData(1u, 0.8, "Extract a Stem")]
    [InlineData(1u, 1.0, "Complete")]
    [InlineData(13u, 9 / 11.0, "Drums")]
    [InlineData(13u, 10 / 11.0, "Backing Vocals")]
    [InlineData(2u, 0.5, "0.50")]
    [InlineData(3u, 1.0, "1.00")]
    [InlineData(4u, 31 / 99.0, "32")]
    [InlineData(5u, 0.0, "Random")]
    [InlineData(5u, 1.0, "2147483647")]
    [InlineData(6u, 0.0, "Auto")]
    [InlineData(6u, 1 / 42.0, "A major")]
    [InlineData(6u, 1.0, "Gb minor")]
    [InlineData(7u, 0.0, "1")]
    [InlineData(8u, 3 / 127.0, "4")]
    public void Values_display_as_text(uint id, double normalized, string text)
    {
        Assert.Equal(Vst3Result.Ok, Controller.GetParamStringByValue(id, normalized, out string? shown));
        Assert.Equal(text, shown);
    }

    [Theory]
    [InlineData(0u, "on", 1.0)]
    [InlineData(1u, "cover", 0.2)]
    [InlineData(1u, " GENERATE ", 0.4)]
    [InlineData(1u, "add a part", 0.6)]
    [InlineData(13u, "backing_vocals", 10 / 11.0)]
    [InlineData(13u, "BASS", 8 / 11.0)]
    [InlineData(2u, "0.25", 0.25)]
    [InlineData(2u, "7", 1.0)]
    [InlineData(4u, "8", 7 / 99.0)]
    [InlineData(4u, "8 steps", 7 / 99.0)]
    [InlineData(5u, "random", 0.0)]
    [InlineData(6u, "auto", 0.0)]
    [InlineData(6u, "A major", 1 / 42.0)]
    [InlineData(6u, "f♯ MINOR", 34 / 42.0)]
    [InlineData(8u, "16 bars", 15 / 127.0)]
    public void Text_reads_back_as_values(uint id, string text, double normalized)
    {
        Assert.Equal(Vst3Result.Ok, Controller.GetParamValueByString(id, text, out double value));
        Assert.Equal(normalized, value, 12);
    }

    [Fact]
    public void Every_displayed_value_reads_back_to_itself()
    {
        for (int index = 0; index < Controller.GetParameterCount(); index++)
        {
            Assert.Equal(Vst3Result.Ok, Controller.GetParameterInfo(index, out var info));
            int steps = info.StepCount is > 0 and <= 1000 ? info.StepCount : 20;
            for (int s = 0; s <= steps; s++)
            {
                double normalized = Controller.PlainParamToNormalized(info.Id, Controller.NormalizedParamToPlain(info.Id, s / (double)steps));
                Assert.Equal(Vst3Result.Ok, Controller.GetParamStringByValue(info.Id, normalized, out string? text));
                Assert.Equal(Vst3Result.Ok, Controller.GetParamValueByString(info.Id, text!, out double back));
                Assert.True(Math.Abs(normalized - back) < 0.006, $"{info.Title}: '{text}' read back as {back}, shown from {normalized}");
            }
        }
    }

    [Theory]
    [InlineData(1u, "remix")]
    [InlineData(2u, "")]
    [InlineData(4u, "many")]
    [InlineData(6u, "H major")]
    [InlineData(99u, "1")]
    public void Text_that_is_no_value_is_refused(uint id, string text)
    {
        Assert.Equal(Vst3Result.False, Controller.GetParamValueByString(id, text, out _));
    }

    [Fact]
    public void Unknown_ids_get_the_sdk_answers()
    {
        Assert.Equal(Vst3Result.False, Controller.GetParamStringByValue(99, 0.5, out _));
        Assert.Equal(Vst3Result.False, Controller.SetParamNormalized(99, 0.5));
        Assert.Equal(0.0, Controller.GetParamNormalized(99));
        Assert.Equal(0.3, Controller.NormalizedParamToPlain(99, 0.3));
        Assert.Equal(42.0, Controller.PlainParamToNormalized(99, 42));
    }

    [Fact]
    public void SetParamNormalized_stores_and_clamps()
    {
        Assert.Equal(Vst3Result.Ok, Controller.SetParamNormalized(2, 0.75));
        Assert.Equal(0.75, Controller.GetParamNormalized(2));
        Assert.Equal(Vst3Result.Ok, Controller.SetParamNormalized(2, 3));
        Assert.Equal(1.0, Controller.GetParamNormalized(2));
        Assert.Equal(Vst3Result.False, Controller.SetParamNormalized(2, double.NaN));
        Assert.Equal(1.0, Controller.GetParamNormalized(2));
    }
}

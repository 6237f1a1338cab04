using System.Buffers.Binary;
using AceStep.Vst3;
using AceStep.Vst3.Hosting;

namespace AceStep.Plugin.Tests;

public sealed class StateTests : IDisposable
{
    private const string Prompt = "warm brass stab, 90s boom bap — ünïcödé ✓";
    private const string Lyrics = "line one\nline two 🎺";

    private readonly PluginHarness _plugin = new();

    public void Dispose() => _plugin.Dispose();

    // Generate saved as On (an older project): restoring it must not start a take, and the plugin saves it Off again.
    private static (uint Id, double Plain)[] Custom =>
        [(0, 1), (1, 2), (2, 0.25), (3, 0.75), (4, 64), (5, 987654321), (6, 34), (7, 17), (8, 8), (9, 0), (10, 1), (11, 0), (12, 1), (13, 8)];

    /// <summary><see cref="Custom"/> as the plugin writes it back: the triggers Off (they are momentary switches).</summary>
    private static (uint Id, double Plain)[] CustomAsSaved => [.. Custom.Select(p => p.Id is 10 or 11 ? (p.Id, 0.0) : p)];

    private static readonly Guid s_instanceId = Guid.Parse("3f2c8a1e-5b7d-4c9e-a1f0-6d2b9e8c7a54");

    /// <summary>Two takes (one of them playing), a language and a BPM override: everything version 3 added.</summary>
    private static StateBytes.Extension CustomExtension => new(s_instanceId, "de", 97.5,
    [
        new("a1", "/tmp/nowhere/AceStep 0005.1.1 take 1.wav", 384_000, 48_000, 2, 96_000, 42, "repaint", "p1", "", "A minor", double.NaN, 0.4, 1, 32, 0, "en"),
        new("b2", "/tmp/nowhere/AceStep 0005.1.1 take 2.wav", 384_000, 48_000, 1, 96_000, 7, "cover", "p2", "la la", "auto", 120, 0.6, 0.5, 8, 7, "fr"),
        new("c3", "/tmp/nowhere/AceStep 0005.1.1 take 3.wav", 384_000, 48_000, 2, 96_000, 9, "lego", "p3", "", "auto", double.NaN, 0.5, 1, 32, 0, "en", "bass"),
        new("d4", "/tmp/nowhere/AceStep 0005.1.1 take 4.wav", 384_000, 48_000, 2, 96_000, 9, "complete", "p4", "", "auto", double.NaN, 0.5, 1, 32, 0, "en", "drums", ["keyboard", "drums"]),
    ], "b2", ["guitar", "strings"]);

    [Fact]
    public void A_fresh_component_writes_the_documented_default_state()
    {
        using var instance = _plugin.CreateInstance();
        byte[] state = GetComponentState(instance);
        // Every instance draws its own random (version 4) id; the rest is the documented default.
        Guid id = StateBytes.InstanceId(state);
        Assert.NotEqual(Guid.Empty, id);
        Assert.Equal(4, id.Version);
        Assert.Equal(StateBytes.Build(StateBytes.Defaults(), "", "", extension: new(id)), state);

        using var other = _plugin.CreateInstance();
        Assert.NotEqual(id, StateBytes.InstanceId(GetComponentState(other)));
    }

    [Fact]
    public void Component_state_round_trips_into_a_new_instance_and_its_controller()
    {
        byte[] state = StateBytes.Build(Custom, Prompt, Lyrics, extension: CustomExtension);
        byte[] saved;
        using (var first = _plugin.CreateInstance())
        {
            Assert.Equal(Vst3Result.Ok, SetComponentState(first, state));
            saved = GetComponentState(first);
        }

        Assert.Equal(StateBytes.Build(CustomAsSaved, Prompt, Lyrics, extension: CustomExtension), saved);

        using var second = _plugin.CreateInstance();
        Assert.Equal(Vst3Result.Ok, SetComponentState(second, saved));
        Assert.Equal(saved, GetComponentState(second));

        // The host then hands the component state to the controller, which shows the same values.
        using (var stream = new MemoryBStream(saved))
        {
            Assert.Equal(Vst3Result.Ok, second.Controller.SetComponentState(stream));
        }

        foreach (var (id, plain) in CustomAsSaved)
        {
            Assert.Equal(plain, second.Controller.NormalizedParamToPlain(id, second.Controller.GetParamNormalized(id)), 9);
        }

        // The controller's own state carries the texts too.
        Assert.Equal(saved, GetControllerState(second));
    }

    [Fact]
    public void Parameter_changes_from_process_reach_the_saved_state()
    {
        using var instance = _plugin.CreateInstance();
        instance.Activate(PluginHarness.Setup(SymbolicSampleSize.Sample32, 64));
        using var block = new ProcessBlock(SymbolicSampleSize.Sample32, 2, 64);
        using var changes = new ParameterChanges();
        changes.Add(4, 0, 1.0);
        changes.Add(1, 3, 0.2);
        block.InputParameterChanges = changes;
        Assert.Equal(Vst3Result.Ok, instance.Component.Process(block));

        var expected = StateBytes.Defaults();
        expected[4].Plain = 100;
        expected[1].Plain = 1;
        byte[] state = GetComponentState(instance);
        Assert.Equal(StateBytes.Build(expected, "", "", extension: new(StateBytes.InstanceId(state))), state);
    }

    [Fact]
    public void State_is_read_from_the_streams_position_and_stops_at_its_own_end()
    {
        // Input: host bytes before and after the plugin's block, and a stream that returns at most 3 bytes per read.
        byte[] state = StateBytes.Build(Custom, Prompt, Lyrics, extension: CustomExtension);
        byte[] framed = [.. new byte[] { 1, 2, 3, 4, 5 }, .. state, .. new byte[] { 9, 9, 9 }];
        using var instance = _plugin.CreateInstance();
        using var stream = new MemoryBStream(framed) { MaxReadChunk = 3 };
        stream.Stream.Position = 5;
        Assert.Equal(Vst3Result.Ok, instance.Component.SetState(stream));
        Assert.Equal(5 + state.Length, stream.Stream.Position);
        byte[] asSaved = StateBytes.Build(CustomAsSaved, Prompt, Lyrics, extension: CustomExtension);
        Assert.Equal(asSaved, GetComponentState(instance));

        // getState writes at the position it is given, too.
        using var output = new MemoryBStream([7, 7]);
        output.Stream.Position = 2;
        Assert.Equal(Vst3Result.Ok, instance.Component.GetState(output));
        Assert.Equal([7, 7, .. asSaved], output.ToArray());
    }

    [Fact]
    public void Every_truncation_is_refused_and_changes_nothing()
    {
        byte[] state = StateBytes.Build(Custom, Prompt, Lyrics, extension: CustomExtension);
        using var instance = _plugin.CreateInstance();
        byte[] before = GetComponentState(instance);
        for (int length = 0; length < state.Length; length++)
        {
            Assert.True(SetComponentState(instance, state[..length]) == Vst3Result.False, $"a state cut to {length} bytes was accepted");
            Assert.True(SetControllerState(instance, state[..length]) == Vst3Result.False, $"the controller accepted {length} bytes");
        }

        Assert.Equal(before, GetComponentState(instance));
        Assert.Equal(before, GetControllerState(instance));
    }

    [Fact]
    public void Every_single_bit_flip_is_refused_and_changes_nothing()
    {
        // Magic, version, length, payload and checksum: no corrupted byte may slip through.
        byte[] state = StateBytes.Build(Custom, Prompt, Lyrics, extension: CustomExtension);
        using var instance = _plugin.CreateInstance();
        byte[] before = GetComponentState(instance);
        for (int i = 0; i < state.Length; i++)
        {
            foreach (int bit in new[] { 0, 7 })
            {
                byte[] corrupt = [.. state];
                corrupt[i] ^= (byte)(1 << bit);
                Assert.True(SetComponentState(instance, corrupt) == Vst3Result.False, $"byte {i} bit {bit} flipped was accepted");
            }
        }

        Assert.Equal(before, GetComponentState(instance));
    }

    [Fact]
    public void A_version_1_state_is_still_read_and_Listen_keeps_its_default()
    {
        using var instance = _plugin.CreateInstance();
        Guid ownId = StateBytes.InstanceId(GetComponentState(instance));
        var version1 = Custom[..9];
        Assert.Equal(Vst3Result.Ok, SetComponentState(instance, StateBytes.Build(version1, Prompt, Lyrics, version: 1)));
        Assert.Equal(Vst3Result.Ok, SetControllerState(instance, StateBytes.Build(version1, Prompt, Lyrics, version: 1)));

        // Written back as version 3, with Listen at its default (Take), the triggers Off, no takes, and the
        // instance's own id (a version-1 project had none).
        Assert.Equal(StateBytes.Build([.. version1, (9, 1), (10, 0), (11, 0), (12, 0), (13, 9)], Prompt, Lyrics, extension: new(ownId)), GetComponentState(instance));
        Assert.Equal(1.0, instance.Controller.GetParamNormalized(9));

        // A version-1 writer never knew Listen: a version-1 state that has it is corrupt.
        Assert.Equal(Vst3Result.False, SetComponentState(instance, StateBytes.Build(Custom, Prompt, Lyrics, version: 1)));
    }

    [Fact]
    public void A_version_2_state_is_still_read_and_the_instance_keeps_its_id()
    {
        using var instance = _plugin.CreateInstance();
        Guid ownId = StateBytes.InstanceId(GetComponentState(instance));
        var version2 = Custom[..10];
        Assert.Equal(Vst3Result.Ok, SetComponentState(instance, StateBytes.Build(version2, Prompt, Lyrics, version: 2)));
        Assert.Equal(StateBytes.Build([.. version2, (10, 0), (11, 0), (12, 0), (13, 9)], Prompt, Lyrics, extension: new(ownId)), GetComponentState(instance));

        // A version-2 writer never knew the triggers: a version-2 state with ID 10 is corrupt.
        Assert.Equal(Vst3Result.False, SetComponentState(instance, StateBytes.Build(Custom[..11], Prompt, Lyrics, version: 2)));
    }

    [Fact]
    public void A_version_3_state_gives_the_instance_its_saved_id_and_takes()
    {
        using var instance = _plugin.CreateInstance();
        byte[] state = StateBytes.Build(Custom, Prompt, Lyrics, extension: CustomExtension);
        Assert.Equal(Vst3Result.Ok, SetComponentState(instance, state));
        Assert.Equal(s_instanceId, StateBytes.InstanceId(GetComponentState(instance)));
        string view = _plugin.SessionView(instance);
        Assert.Contains("\"id\":\"a1\"", view, StringComparison.Ordinal);
        Assert.Contains("\"id\":\"b2\"", view, StringComparison.Ordinal);
        Assert.Contains("\"prompt\":\"" + "warm brass stab", view, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3, 0, "repaint")]
    [InlineData(3, 1, "cover")]
    [InlineData(3, 2, "generate")]
    [InlineData(2, 2, "generate")]
    [InlineData(1, 1, "cover")]
    public void An_older_states_mode_loads_as_the_same_mode_now_that_the_stem_modes_are_appended(int version, int mode, string expected)
    {
        // Input tried: a project saved before issue 21 (Mode 0–2 as its plain value, no Track parameter).
        using var instance = _plugin.CreateInstance();
        var parameters = (version switch { 1 => StateBytes.Version1Defaults(), 2 => StateBytes.Version2Defaults(), _ => StateBytes.Version3Defaults() })
            .Select(p => p.Id == 1 ? (p.Id, (double)mode) : p).ToArray();
        Assert.Equal(Vst3Result.Ok, SetComponentState(instance, StateBytes.Build(parameters, Prompt, Lyrics, (ushort)version,
            version >= 3 ? new(s_instanceId, Takes: [new("t1", "/tmp/nowhere/x.wav", 0, 48_000, 2, 10, 1, expected)]) : null)));

        byte[] saved = GetComponentState(instance);
        Assert.Equal(mode, StateBytes.Plain(saved, 1));
        Assert.Equal(9, StateBytes.Plain(saved, 13)); // Track at its default (drums)
        Assert.Contains($"\"mode\":\"{expected}\"", _plugin.SessionView(instance), StringComparison.Ordinal);
    }

    [Fact]
    public void A_version_4_state_keeps_the_stem_settings_of_the_instance_and_of_each_take()
    {
        using var instance = _plugin.CreateInstance();
        var parameters = Custom.Select(p => p.Id == 1 ? (p.Id, 3.0) : p).ToArray(); // Add a Part, Track 8 = bass
        Assert.Equal(Vst3Result.Ok, SetComponentState(instance, StateBytes.Build(parameters, Prompt, Lyrics, extension: CustomExtension)));
        string view = _plugin.SessionView(instance);
        Assert.Contains("\"mode\":\"lego\"", view, StringComparison.Ordinal);
        Assert.Contains("\"trackName\":\"bass\"", view, StringComparison.Ordinal);
        Assert.Contains("\"trackClasses\":[\"guitar\",\"strings\"]", view, StringComparison.Ordinal);
        Assert.Contains("\"trackClasses\":[\"keyboard\",\"drums\"]", view, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(0)]
    [InlineData(ushort.MaxValue)]
    public void A_state_of_another_version_is_refused_even_when_well_formed(int version)
    {
        using var instance = _plugin.CreateInstance();
        byte[] before = GetComponentState(instance);
        byte[] state = StateBytes.Build(Custom, Prompt, Lyrics, (ushort)version);
        Assert.Equal(Vst3Result.False, SetComponentState(instance, state));
        Assert.Equal(Vst3Result.False, SetControllerState(instance, state));
        using (var stream = new MemoryBStream(state))
        {
            Assert.Equal(Vst3Result.False, instance.Controller.SetComponentState(stream));
        }

        Assert.Equal(before, GetComponentState(instance));
        Assert.Equal(before, GetControllerState(instance));
    }

    public static TheoryData<string, byte[]> WellChecksummedButInvalid() => new()
    {
        { "unknown parameter id", StateBytes.Build([.. StateBytes.Defaults(), (42, 0)], "", "") },
        { "duplicate parameter id", StateBytes.Build([.. StateBytes.Defaults(), (2, 0.5)], "", "") },
        { "steps out of range", StateBytes.Build([(4, 101)], "", "") },
        { "fractional list index", StateBytes.Build([(1, 0.5)], "", "") },
        { "NaN strength", StateBytes.Build([(2, double.NaN)], "", "") },
        { "payload length larger than the data", WithPayloadLength(StateBytes.Build(Custom, "", ""), 10_000) },
        { "payload length beyond the limit", WithPayloadLength(StateBytes.Build(Custom, "", ""), int.MaxValue) },
        { "invalid UTF-8 prompt", InvalidUtf8Prompt() },
        { "wrong magic", WithByte(StateBytes.Build(Custom, "", ""), 0, (byte)'X') },
        { "empty", [] },
        { "active take not in the list", StateBytes.Build(Custom, "", "", extension: CustomExtension with { Active = "zz" }) },
        { "two takes with one id", StateBytes.Build(Custom, "", "", extension: CustomExtension with { Takes = [CustomExtension.Takes![0], CustomExtension.Takes![0]], Active = "" }) },
        { "a take with three channels", StateBytes.Build(Custom, "", "", extension: CustomExtension with { Takes = [CustomExtension.Takes![0] with { Channels = 3 }], Active = "" }) },
        { "a take at a negative position", StateBytes.Build(Custom, "", "", extension: CustomExtension with { Takes = [CustomExtension.Takes![0] with { Position = -1 }], Active = "" }) },
        { "a take with strength 2", StateBytes.Build(Custom, "", "", extension: CustomExtension with { Takes = [CustomExtension.Takes![0] with { Strength = 2 }], Active = "" }) },
        { "a take with an unknown track", StateBytes.Build(Custom, "", "", extension: CustomExtension with { Takes = [CustomExtension.Takes![0] with { Track = "kazoo" }], Active = "" }) },
        { "unknown track classes", StateBytes.Build(Custom, "", "", extension: CustomExtension with { TrackClasses = ["drums", "kazoo"] }) },
        { "track parameter past the list", StateBytes.Build([(13, 12)], "", "") },
        { "a version-3 state with the Track parameter", StateBytes.Build(Custom, "", "", version: 3, extension: CustomExtension) },
        { "a take with an empty id", StateBytes.Build(Custom, "", "", extension: CustomExtension with { Takes = [CustomExtension.Takes![0] with { Id = "" }], Active = "" }) },
    };

    [Theory]
    [MemberData(nameof(WellChecksummedButInvalid))]
    public void Invalid_content_is_refused_and_changes_nothing(string what, byte[] state)
    {
        using var instance = _plugin.CreateInstance();
        Assert.Equal(Vst3Result.Ok, SetComponentState(instance, StateBytes.Build(Custom, Prompt, Lyrics)));
        byte[] before = GetComponentState(instance);
        Assert.True(SetComponentState(instance, state) == Vst3Result.False, what);
        Assert.Equal(before, GetComponentState(instance));
    }

    [Fact]
    public void A_state_missing_some_parameters_keeps_their_defaults()
    {
        using var instance = _plugin.CreateInstance();
        Assert.Equal(Vst3Result.Ok, SetComponentState(instance, StateBytes.Build([(4, 12)], "p", "", extension: new(s_instanceId))));
        var expected = StateBytes.Defaults();
        expected[4].Plain = 12;
        Assert.Equal(StateBytes.Build(expected, "p", "", extension: new(s_instanceId)), GetComponentState(instance));
    }

    [Fact]
    public void Null_streams_are_invalid_arguments()
    {
        using var instance = _plugin.CreateInstance();
        unsafe
        {
            nint c = instance.Component.Component;
            var setState = (delegate* unmanaged[MemberFunction]<nint, nint, int>)Vst3Unknown.Slot(c, ComponentSlots.SetState);
            var getState = (delegate* unmanaged[MemberFunction]<nint, nint, int>)Vst3Unknown.Slot(c, ComponentSlots.GetState);
            Assert.Equal(Vst3Result.InvalidArgument, setState(c, 0));
            Assert.Equal(Vst3Result.InvalidArgument, getState(c, 0));
        }
    }

    private static byte[] WithPayloadLength(byte[] state, int length)
    {
        BinaryPrimitives.WriteInt32LittleEndian(state.AsSpan(6), length);
        return state;
    }

    private static byte[] WithByte(byte[] state, int index, byte value)
    {
        state[index] = value;
        return state;
    }

    private static byte[] InvalidUtf8Prompt()
    {
        // Build with a 2-byte placeholder prompt, replace it with an invalid UTF-8 pair and fix the checksum.
        byte[] state = StateBytes.Build(StateBytes.Defaults(), "ab", "");
        int promptAt = 10 + 2 + (10 * 12) + 4;
        state[promptAt] = 0xC3;
        state[promptAt + 1] = 0x28;
        int payloadLength = BinaryPrimitives.ReadInt32LittleEndian(state.AsSpan(6));
        BinaryPrimitives.WriteUInt32LittleEndian(state.AsSpan(10 + payloadLength), StateBytes.Crc32(state.AsSpan(10, payloadLength)));
        return state;
    }

    private static int SetComponentState(PluginInstance instance, byte[] state)
    {
        using var stream = new MemoryBStream(state);
        return instance.Component.SetState(stream);
    }

    private static int SetControllerState(PluginInstance instance, byte[] state)
    {
        using var stream = new MemoryBStream(state);
        return instance.Controller.SetState(stream);
    }

    private static byte[] GetComponentState(PluginInstance instance)
    {
        using var stream = new MemoryBStream();
        Assert.Equal(Vst3Result.Ok, instance.Component.GetState(stream));
        return stream.ToArray();
    }

    private static byte[] GetControllerState(PluginInstance instance)
    {
        using var stream = new MemoryBStream();
        Assert.Equal(Vst3Result.Ok, instance.Controller.GetState(stream));
        return stream.ToArray();
    }
}

using AceStep.Vst3.Hosting;

namespace AceStep.Plugin.Tests;

/// <summary>Hands takes to a processor as the controller does: "AceStep.Take" connection-point messages.</summary>
internal static class TakeMessagesForTests
{
    /// <summary>A take sample that differs from every input sample of <see cref="BlockDriver.Signal"/> (those are ≥ 1).</summary>
    public static float DefaultSample(int slot, int channel, int index) => -((slot * 10_000) + index + (channel * 0.5f)) / 1024f;

    /// <summary>A stereo take in slot 0 over <c>[position, position + frames)</c>, playing at once.</summary>
    public static int SendTake(PluginInstance instance, long position, int frames) =>
        SendTake(instance, 0, position, frames, 2, planar: false, activate: true, 48_000, DefaultSample);

    public static int SendTake(PluginInstance instance, int slot, long position, int frames, int channels, bool planar, bool activate,
        double sampleRate, Func<int, int, int, float> sample)
    {
        var samples = new float[frames * Math.Max(channels, 1)];
        for (int i = 0; i < frames; i++)
        {
            for (int c = 0; c < channels; c++)
                samples[planar ? (c * frames) + i : (i * channels) + c] = sample(slot, c, i);
        }

        return Send(instance, "AceStep.Take", a =>
        {
            a.SetInt("slot", slot);
            a.SetInt("position", position);
            a.SetInt("channels", channels);
            a.SetFloat("sampleRate", sampleRate);
            a.SetInt("planar", planar ? 1 : 0);
            a.SetInt("activate", activate ? 1 : 0);
            a.SetBinary("samples", samples);
        });
    }

    public static int Send(PluginInstance instance, string id, Action<HostAttributeList> fill)
    {
        using var message = new HostMessage(id);
        fill(message.Attributes);
        return ConnectionPoints.Notify(instance.Component.ConnectionPoint, message.NativePointer);
    }
}

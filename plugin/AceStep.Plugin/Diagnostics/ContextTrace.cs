using System.Globalization;
using System.Text;
using AceStep.Plugin.Parameters;
using AceStep.Plugin.Processing;
using AceStep.Plugin.State;
using AceStep.Plugin.Timeline;

namespace AceStep.Plugin.Diagnostics;

/// <summary>
/// An opt-in trace of what a host told the plugin, for host integration tests and bug reports: when the environment
/// variable <see cref="EnvironmentVariable"/> names a file, the processor appends one JSON object per line to it when
/// the host saves its state (<c>getState</c>) and restores it (<c>setState</c>); docs/ardour.md lists the fields.
/// Without the variable every call returns at once and nothing is allocated.
/// </summary>
/// <remarks>
/// Only <c>getState</c>/<c>setState</c> are traced: VST3 hosts call them on their main thread, while some call
/// <c>setActive</c> from the audio thread (Ardour 7.3 does when a plugin is deactivated), where no file may be written.
/// The transport comes from the snapshot the audio thread already publishes (<see cref="TransportPublisher"/>).
/// I/O errors are swallowed: a diagnostics file that cannot be written must never break the host.
/// </remarks>
internal static class ContextTrace
{
    /// <summary>The environment variable that names the trace file (appended to, created when missing).</summary>
    public const string EnvironmentVariable = "ACESTEP_PLUGIN_TRACE";

    private static readonly string? s_path = Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } path ? path : null;
    private static readonly Lock s_gate = new();
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<AceStepProcessor, object> s_instances = [];
    private static int s_nextInstance;

    // StateSaving builds the state through AceStepProcessor.Snapshot, which is where it is called from.
    [ThreadStatic]
    private static bool t_saving;

    /// <summary>
    /// Records a <c>getState</c> (called first thing in <see cref="AceStepProcessor.Snapshot"/>): the state about to be
    /// saved (its bytes, base64), the parameters, and the latest transport the processor saw.
    /// </summary>
    /// <param name="processor">The processor being saved.</param>
    public static void StateSaving(AceStepProcessor processor)
    {
        if (s_path is null || t_saving)
        {
            return;
        }

        t_saving = true;
        try
        {
            Write(processor, "getState", line =>
            {
                WriteState(line, processor.Snapshot());
                if (processor.Transport.TryRead(out var transport))
                {
                    WriteTransport(line, transport);
                }

                WriteParameters(line, processor);
            });
        }
        finally
        {
            t_saving = false;
        }
    }

    /// <summary>Records a <c>setState</c> that was accepted: the state (serialized again, base64) and the values the processor now holds.</summary>
    /// <param name="processor">The processor, after the state was applied.</param>
    /// <param name="state">The state read from the host's stream.</param>
    public static void StateApplied(AceStepProcessor processor, PluginStateSnapshot state)
    {
        if (s_path is null)
        {
            return;
        }

        Write(processor, "setState", line =>
        {
            WriteState(line, state);
            WriteParameters(line, processor);
        });
    }

    private static void Write(AceStepProcessor processor, string name, Action<JsonLine> body)
    {
        try
        {
            var line = new JsonLine();
            line.String("event", name);
            line.String("thread", ThreadName());
            line.Number("instance", InstanceNumber(processor));
            line.String("instanceId", processor.InstanceId.ToString());
            line.Number("takes", processor.Library.Count);
            line.String("prompt", processor.Texts.Prompt);
            line.String("track", processor.Track?.Name);
            line.String("time", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            line.String("host", processor.HostName);
            line.Number("sampleRate", processor.Setup.SampleRate);
            line.Number("maxBlockSize", processor.Setup.MaxSamplesPerBlock);
            line.Number("blocks", processor.BlocksProcessed);
            line.Number("untrustedBlocks", processor.UntrustedBlocks);
            body(line);
            byte[] bytes = Encoding.UTF8.GetBytes(line.Finish());
            lock (s_gate)
            {
                using var file = new FileStream(s_path!, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
                file.Write(bytes);
            }
        }
#pragma warning disable CA1031 // a trace that cannot be written must not fail the host's call
        catch (Exception)
        {
        }
#pragma warning restore CA1031
    }

    // Lines of several instances (or of several sessions in one host process) are told apart by this number.
    private static int InstanceNumber(AceStepProcessor processor) =>
        (int)s_instances.GetValue(processor, _ => Interlocked.Increment(ref s_nextInstance));

    // Lets a reader check which host thread made the call (Linux names threads; elsewhere this is null).
    private static string? ThreadName()
    {
        try
        {
            return File.Exists("/proc/thread-self/comm") ? File.ReadAllText("/proc/thread-self/comm").Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static void WriteState(JsonLine line, PluginStateSnapshot state)
    {
        // The bytes themselves, so a reader can compare them with what the host stored (a CRC of the whole state
        // would not do: the state ends with its own CRC, which makes a CRC over all of it the same for every state).
        byte[] bytes = StateFormat.Write(state);
        line.Number("stateSize", bytes.Length);
        line.String("state", Convert.ToBase64String(bytes));
    }

    private static void WriteParameters(JsonLine line, AceStepProcessor processor)
    {
        line.BeginObject("parameters");
        foreach (var parameter in PluginParameters.All)
        {
            line.Number(parameter.Title, processor.Plain(parameter.Id));
        }

        line.EndObject();
    }

    private static void WriteTransport(JsonLine line, in TransportSnapshot transport)
    {
        line.BeginObject("transport");
        line.Number("fields", (int)transport.Fields);
        line.Bool("playing", (transport.Fields & TransportFields.Playing) != 0);
        line.Bool("cycle", (transport.Fields & TransportFields.Cycle) != 0);
        line.Bool("cycleActive", (transport.Fields & TransportFields.CycleActive) != 0);
        line.Bool("cycleObserved", (transport.Fields & TransportFields.CycleObserved) != 0);
        line.Bool("cycleRemembered", (transport.Fields & TransportFields.CycleRemembered) != 0);
        line.Bool("hostBarPosition", (transport.Fields & TransportFields.HostBarPosition) != 0);
        line.Number("sampleRate", transport.SampleRate);
        line.Number("projectTimeSamples", transport.ProjectTimeSamples);
        line.Number("tempo", transport.Tempo);
        line.Number("numerator", transport.Numerator);
        line.Number("denominator", transport.Denominator);
        line.Number("ppq", transport.Ppq);
        line.Number("bar", transport.Bar);
        line.Number("barStartPpq", transport.BarStartPpq);
        line.Number("cycleStartPpq", transport.CycleStartPpq);
        line.Number("cycleEndPpq", transport.CycleEndPpq);
        line.Number("cycleStartSamples", transport.CycleStartSamples);
        line.Number("cycleEndSamples", transport.CycleEndSamples);
        line.Number("block", transport.Block);
        line.EndObject();
    }

    /// <summary>
    /// Builds one JSON object on one line. Hand-written because System.Text.Json would add about 300 KB to the
    /// plugin for a diagnostics feature; the keys and values here are few and simple.
    /// </summary>
    private sealed class JsonLine
    {
        private readonly StringBuilder _text = new("{");
        private bool _first = true;

        public void String(string key, string? value)
        {
            Key(key);
            if (value is null)
            {
                _text.Append("null");
                return;
            }

            Quote(value);
        }

        public void Number(string key, double value)
        {
            Key(key);
            // JSON has no NaN or infinities.
            _text.Append(double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "null");
        }

        public void Number(string key, long value)
        {
            Key(key);
            _text.Append(value.ToString(CultureInfo.InvariantCulture));
        }

        public void Bool(string key, bool value)
        {
            Key(key);
            _text.Append(value ? "true" : "false");
        }

        public void BeginObject(string key)
        {
            Key(key);
            _text.Append('{');
            _first = true;
        }

        public void EndObject()
        {
            _text.Append('}');
            _first = false;
        }

        public string Finish() => _text.Append("}\n").ToString();

        private void Key(string key)
        {
            if (!_first)
            {
                _text.Append(',');
            }

            _first = false;
            Quote(key);
            _text.Append(':');
        }

        private void Quote(string value)
        {
            _text.Append('"');
            foreach (char c in value)
            {
                switch (c)
                {
                    case '"':
                        _text.Append("\\\"");
                        break;
                    case '\\':
                        _text.Append("\\\\");
                        break;
                    case < ' ':
                        _text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        break;
                    default:
                        _text.Append(c);
                        break;
                }
            }

            _text.Append('"');
        }
    }
}

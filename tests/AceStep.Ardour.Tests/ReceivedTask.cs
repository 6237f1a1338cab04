using System.Text.Json.Nodes;
using AceStep.Audio;
using Microsoft.Data.Sqlite;

namespace AceStep.Ardour.Tests;

/// <summary>
/// What the engine received for one task, read from its data folder: the request as it journaled it (jobs.db) and the
/// input audio it keeps for the task (inputs/&lt;task&gt;.wav, float32, as decoded from the plugin's upload).
/// </summary>
/// <param name="TaskUuid">The task.</param>
/// <param name="Request">The journaled request (the task API's JSON, settings included).</param>
/// <param name="Input">The source audio the plugin sent: the capture around the range.</param>
internal sealed record ReceivedTask(string TaskUuid, JsonNode Request, AudioBuffer Input)
{
    /// <summary>The tasks whose input audio the engine at <paramref name="home"/> keeps now.</summary>
    public static IReadOnlySet<string> KeptInputs(string home)
    {
        string inputs = Path.Combine(home, "inputs");
        return Directory.Exists(inputs)
            ? Directory.EnumerateFiles(inputs, "*.wav").Select(Path.GetFileNameWithoutExtension).ToHashSet()!
            : new HashSet<string>();
    }

    /// <summary>Reads the one task whose input appeared since <paramref name="before"/> was listed.</summary>
    public static ReceivedTask ReadNew(string home, IReadOnlySet<string> before)
    {
        var added = KeptInputs(home).Except(before).ToList();
        if (added.Count != 1)
            throw new ArdourRunException($"expected the engine to keep one new task input, found {added.Count} in {home}/inputs");
        string uuid = added[0];
        using var connection = new SqliteConnection($"Data Source={Path.Combine(home, "jobs.db")};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT request FROM jobs WHERE task_uuid = $uuid";
        command.Parameters.AddWithValue("$uuid", uuid);
        string json = command.ExecuteScalar() as string
            ?? throw new ArdourRunException($"the engine journaled no request for task {uuid}");
        using var file = File.OpenRead(Path.Combine(home, "inputs", uuid + ".wav"));
        return new ReceivedTask(uuid, JsonNode.Parse(json)!, WavFile.Read(file));
    }

    /// <summary>
    /// Seconds into the input where the range starts: <c>settings.repaintingStart</c>, or 0 for a task without a span
    /// (extract, complete), whose input is the range itself.
    /// </summary>
    public double SpanStart => Request["settings"]?["repaintingStart"]?.GetValue<double>() ?? 0;
}

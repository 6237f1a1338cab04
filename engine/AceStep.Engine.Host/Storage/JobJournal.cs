using System.Globalization;
using System.Text.Json;
using AceStep.Contracts;
using AceStep.Contracts.Tasks;
using AceStep.Contracts.Validation;
using Microsoft.Data.Sqlite;

namespace AceStep.Engine.Host.Storage;

/// <summary>
/// Writes every accepted audioInference task, its progress and each finished item to the SQLite job store as it
/// happens, so a killed engine loses nothing it had accepted: finished results stay pollable after a restart and
/// interrupted tasks run again with the same taskUUID and seeds.
/// </summary>
public sealed class JobJournal
{
    private static readonly TimeSpan s_progressInterval = TimeSpan.FromSeconds(1);

    private readonly JobDatabase _database;
    private readonly TimeProvider _clock;
    private readonly string _inputsDirectory;
    private readonly Dictionary<Guid, DateTimeOffset> _lastProgress = [];
    private readonly Lock _gate = new();

    /// <summary>Creates the journal over the engine's database; input audio is kept in <c>inputs/</c>.</summary>
    public JobJournal(JobDatabase database, DataDirectory data, TimeProvider clock)
    {
        _database = database;
        _clock = clock;
        _inputsDirectory = Path.Combine(data.Root, "inputs");
        Directory.CreateDirectory(_inputsDirectory);
        PrivateFiles.RestrictDirectory(_inputsDirectory);
    }

    /// <summary>Where an accepted task's decoded input audio is kept until the task is forgotten.</summary>
    public string InputPath(Guid taskUuid) => Path.Combine(_inputsDirectory, taskUuid + ".wav");

    /// <summary>Records an accepted task (its normalised request, result count, first seed, transport).</summary>
    public void Accepted(AudioInferenceRequest request, uint firstSeed, TransportKind transport, string? inputPath)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = Now();
        Execute("""
            INSERT INTO jobs (task_uuid, task_type, request, status, progress, created_utc, updated_utc, items, first_seed, transport, input_path)
            VALUES ($uuid, $type, $request, 'processing', 0, $now, $now, $items, $seed, $transport, $input)
            """,
            ("$uuid", request.TaskUuid.ToString()),
            ("$type", TaskTypes.AudioInference),
            ("$request", JsonSerializer.Serialize(request.ToTask(), ContractsJson.Default.AudioInferenceTask)),
            ("$now", now),
            ("$items", request.NumberResults),
            ("$seed", (long)firstSeed),
            ("$transport", transport.ToString()),
            ("$input", inputPath));
    }

    /// <summary>Records progress, at most once a second per task (the model reports per step).</summary>
    public void Progress(Guid taskUuid, double progress)
    {
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            if (_lastProgress.TryGetValue(taskUuid, out var last) && now - last < s_progressInterval)
            {
                return;
            }
            _lastProgress[taskUuid] = now;
        }
        Execute("UPDATE jobs SET progress = $p, updated_utc = $now WHERE task_uuid = $uuid",
            ("$p", progress), ("$now", Now()), ("$uuid", taskUuid.ToString()));
    }

    /// <summary>Records one finished item (its reply item or error item); marks the task finished with its last item.</summary>
    public void ItemFinished(Guid taskUuid, int index, string json, bool isError, bool taskFinished)
    {
        using var connection = _database.Connect();
        using var transaction = connection.BeginTransaction();
        Run(connection, transaction, "INSERT OR REPLACE INTO results (task_uuid, item_index, reply, is_error) VALUES ($uuid, $i, $reply, $e)",
            ("$uuid", taskUuid.ToString()), ("$i", index), ("$reply", json), ("$e", isError ? 1 : 0));
        if (taskFinished)
        {
            Run(connection, transaction, "UPDATE jobs SET status = 'finished', progress = 100, updated_utc = $now WHERE task_uuid = $uuid",
                ("$now", Now()), ("$uuid", taskUuid.ToString()));
        }
        transaction.Commit();
        if (taskFinished)
        {
            lock (_gate)
            {
                _lastProgress.Remove(taskUuid);
            }
        }
    }

    /// <summary>Every task in the store with its finished items, oldest first (for recovery at start).</summary>
    public IReadOnlyList<JournaledJob> Load()
    {
        using var connection = _database.Connect();
        var jobs = new Dictionary<Guid, JournaledJob>();
        var order = new List<Guid>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT task_uuid, request, status, items, first_seed, transport, input_path, updated_utc
                FROM jobs WHERE task_type = 'audioInference' ORDER BY created_utc
                """;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var uuid = Guid.Parse(reader.GetString(0));
                jobs[uuid] = new JournaledJob(uuid, reader.GetString(1), reader.GetString(2) == "finished", reader.GetInt32(3),
                    (uint)reader.GetInt64(4), Enum.Parse<TransportKind>(reader.GetString(5)), reader.IsDBNull(6) ? null : reader.GetString(6),
                    DateTimeOffset.Parse(reader.GetString(7), CultureInfo.InvariantCulture), []);
                order.Add(uuid);
            }
        }
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT task_uuid, item_index, reply, is_error FROM results ORDER BY task_uuid, item_index";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                if (jobs.TryGetValue(Guid.Parse(reader.GetString(0)), out var job))
                {
                    job.Items.Add(new JournaledItem(reader.GetInt32(1), reader.GetString(2), reader.GetInt64(3) != 0));
                }
            }
        }
        return order.Select(u => jobs[u]).ToArray();
    }

    /// <summary>Deletes a task, its items and its kept input audio.</summary>
    public void Forget(Guid taskUuid)
    {
        Execute("DELETE FROM jobs WHERE task_uuid = $uuid", ("$uuid", taskUuid.ToString()));
        File.Delete(InputPath(taskUuid));
    }

    private string Now() => _clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);

    private void Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = _database.Connect();
        Run(connection, null, sql, parameters);
    }

    private static void Run(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        command.ExecuteNonQuery();
    }
}

/// <summary>A task as the journal holds it.</summary>
/// <param name="TaskUuid">Its UUID.</param>
/// <param name="RequestJson">The normalised request as accepted.</param>
/// <param name="Finished">True when every item had finished.</param>
/// <param name="ItemCount">Number of result items.</param>
/// <param name="FirstSeed">The seed of item 0 (item i used FirstSeed + i).</param>
/// <param name="Transport">The transport it came through.</param>
/// <param name="InputPath">Its kept input audio, if any.</param>
/// <param name="UpdatedAt">Last change.</param>
/// <param name="Items">Its finished items.</param>
public sealed record JournaledJob(Guid TaskUuid, string RequestJson, bool Finished, int ItemCount, uint FirstSeed,
    TransportKind Transport, string? InputPath, DateTimeOffset UpdatedAt, List<JournaledItem> Items);

/// <summary>A finished item as the journal holds it.</summary>
/// <param name="Index">Its position.</param>
/// <param name="Json">The reply item or error item.</param>
/// <param name="IsError">True for an error item.</param>
public sealed record JournaledItem(int Index, string Json, bool IsError);

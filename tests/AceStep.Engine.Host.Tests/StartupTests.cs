using AceStep.Engine.Host.Storage;
using Microsoft.Data.Sqlite;

namespace AceStep.Engine.Host.Tests;

public class StartupTests
{
    private static string TempDir() => Path.Combine(Path.GetTempPath(), "acestep-test-" + Guid.NewGuid().ToString("N")[..10]);

    [Fact]
    public async Task A_first_start_creates_the_data_directory_and_the_job_store()
    {
        await using var engine = new RunningEngine();
        await engine.InitializeAsync();
        Assert.True(File.Exists(Path.Combine(engine.Home, "jobs.db")));
        Assert.True(Directory.Exists(Path.Combine(engine.Home, "media")));
        Assert.True(Directory.Exists(Path.Combine(engine.Home, "models")));
        Assert.Equal(JobDatabase.SchemaVersion, engine.Host.Database.ReadSchemaVersion());
        using var connection = engine.Host.Database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
        using var reader = command.ExecuteReader();
        var tables = new List<string>();
        while (reader.Read())
        {
            tables.Add(reader.GetString(0));
        }
        Assert.Equal(["jobs", "media", "results"], tables);
        // scripts/setup.sh installs FFmpeg, and the engine finds it at start.
        Assert.NotNull(engine.Host.Ffmpeg);
    }

    [Fact]
    public void Reopening_the_job_store_keeps_its_rows()
    {
        var dir = TempDir();
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "jobs.db");
        var first = JobDatabase.Open(path);
        using (var connection = first.Connect())
        using (var insert = connection.CreateCommand())
        {
            insert.CommandText = "INSERT INTO jobs (task_uuid, task_type, request, status, progress, created_utc, updated_utc) VALUES ('t', 'ping', '{}', 'finished', 100, 'now', 'now')";
            insert.ExecuteNonQuery();
        }
        var second = JobDatabase.Open(path);
        using var again = second.Connect();
        using var count = again.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM jobs";
        Assert.Equal(1L, count.ExecuteScalar());
        SqliteConnection.ClearAllPools();
        Directory.Delete(dir, true);
    }

    [Fact]
    public void A_job_store_from_a_newer_engine_is_refused_not_damaged()
    {
        // Input: a jobs.db whose user_version is far ahead of this build.
        var dir = TempDir();
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "jobs.db");
        using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 999;";
            command.ExecuteNonQuery();
        }
        var ex = Assert.Throws<EngineStartupException>(() => JobDatabase.Open(path));
        Assert.Contains("schema version 999", ex.Message, StringComparison.Ordinal);
        SqliteConnection.ClearAllPools();
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task A_second_engine_on_the_same_pipe_refuses_to_start()
    {
        await using var first = new RunningEngine();
        await first.InitializeAsync();
        var ex = await Assert.ThrowsAsync<EngineStartupException>(() =>
            EngineHost.StartAsync(first.Options with { DataDirectory = TempDir() }, logging: _ => { }));
        Assert.Contains("already serves pipe", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"pid {Environment.ProcessId}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_busy_http_port_is_a_clear_startup_error()
    {
        await using var first = new RunningEngine();
        await first.InitializeAsync();
        // Input: a second engine asked to listen on the first engine's HTTP port.
        var options = first.Options with
        {
            DataDirectory = TempDir(),
            PipeName = "acestep-test-" + Guid.NewGuid().ToString("N")[..10],
            HttpUrl = first.Host.HttpAddress.ToString().TrimEnd('/'),
        };
        var ex = await Assert.ThrowsAsync<EngineStartupException>(() => EngineHost.StartAsync(options, logging: _ => { }));
        Assert.Contains("--http-url", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unwritable_data_directory_is_a_clear_startup_error()
    {
        // Input: a data directory below a regular file.
        var file = Path.GetTempFileName();
        var ex = Assert.Throws<EngineStartupException>(() => DataDirectory.Prepare(Path.Combine(file, "home")));
        Assert.Contains("ACESTEP_HOME", ex.Message, StringComparison.Ordinal);
        File.Delete(file);
    }
}

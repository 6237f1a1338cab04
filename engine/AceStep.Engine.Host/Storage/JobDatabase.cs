using Microsoft.Data.Sqlite;

namespace AceStep.Engine.Host.Storage;

/// <summary>
/// The SQLite file behind durable jobs. Opening it creates or upgrades the schema, so a first start needs no
/// set-up; the jobs and media tables are filled by the task queue.
/// </summary>
public sealed class JobDatabase
{
    /// <summary>The schema version this build writes.</summary>
    public const int SchemaVersion = 2;

    // Each entry upgrades the schema from its index to index + 1; never edit an entry that has shipped.
    private static readonly string[] s_migrations =
    [
        """
        CREATE TABLE jobs (
            task_uuid   TEXT PRIMARY KEY,
            task_type   TEXT NOT NULL,
            request     TEXT NOT NULL,
            status      TEXT NOT NULL,
            progress    REAL NOT NULL DEFAULT 0,
            created_utc TEXT NOT NULL,
            updated_utc TEXT NOT NULL
        );
        CREATE TABLE results (
            task_uuid   TEXT NOT NULL REFERENCES jobs(task_uuid) ON DELETE CASCADE,
            item_index  INTEGER NOT NULL,
            reply       TEXT NOT NULL,
            PRIMARY KEY (task_uuid, item_index)
        );
        CREATE TABLE media (
            media_uuid  TEXT PRIMARY KEY,
            path        TEXT NOT NULL,
            content_type TEXT NOT NULL,
            bytes       INTEGER NOT NULL,
            expires_utc TEXT
        );
        """,
        // 2: what a restart needs to run an interrupted task again exactly as it was accepted.
        """
        ALTER TABLE jobs ADD COLUMN items INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE jobs ADD COLUMN first_seed INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE jobs ADD COLUMN transport TEXT NOT NULL DEFAULT 'http';
        ALTER TABLE jobs ADD COLUMN input_path TEXT;
        ALTER TABLE results ADD COLUMN is_error INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX jobs_by_status ON jobs(status);
        """,
    ];

    private JobDatabase(string path) => ConnectionString = new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Private,
        Pooling = true,
    }.ToString();

    /// <summary>Connection string for this database.</summary>
    public string ConnectionString { get; }

    /// <summary>Opens (creating if needed) the database and brings its schema to <see cref="SchemaVersion"/>.</summary>
    public static JobDatabase Open(string path)
    {
        var database = new JobDatabase(path);
        using var connection = database.Connect();
        var version = ReadUserVersion(connection);
        if (version > SchemaVersion)
        {
            throw new EngineStartupException(
                $"The job store '{path}' has schema version {version}, newer than this engine's {SchemaVersion}. " +
                "Use the newer engine, or point ACESTEP_HOME at another folder.");
        }
        for (var v = version; v < SchemaVersion; v++)
        {
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = s_migrations[v] + $"\nPRAGMA user_version = {v + 1};";
            command.ExecuteNonQuery();
            transaction.Commit();
        }
        return database;
    }

    /// <summary>An open connection with the pragmas the store relies on (WAL for crash safety, foreign keys).</summary>
    public SqliteConnection Connect()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    /// <summary>The schema version stored in the file.</summary>
    public int ReadSchemaVersion()
    {
        using var connection = Connect();
        return ReadUserVersion(connection);
    }

    private static int ReadUserVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

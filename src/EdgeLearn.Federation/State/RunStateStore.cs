using System.Globalization;
using Microsoft.Data.Sqlite;

namespace EdgeLearn.Federation.State;

/// <summary>What the server commits after a round: where the run stands and everything needed to go on from there.</summary>
/// <param name="Round">The global round: 0 for the initial model's measurement, then 1…M pre-training and M+1…M+N
/// fine-tuning rounds.</param>
/// <param name="Model">The model after the round, packed float32.</param>
/// <param name="LedgerJson">The delay and energy ledger up to the round, JSON.</param>
/// <param name="MetricsJson">The round's record (loss, accuracy, |∇F|², misses), JSON.</param>
public sealed record RoundCheckpoint(int Round, byte[] Model, string LedgerJson, string MetricsJson)
{
    /// <summary>The model after pre-training, packed float32, once pre-training is over (kept from the round that
    /// first carries it); null before, or when there is no pre-training.</summary>
    public byte[]? Pretrained { get; init; }
}

/// <summary>
/// The server's state file (issue 12): a SQLite database in which every round is committed in one transaction (its
/// record, the model after it and the ledger), with a write-ahead log (synchronous = NORMAL), so that a server killed
/// at any moment restarts from the last committed round and loses nothing committed. One file holds one run: it is
/// stamped with the run's fingerprint (scenario, plan, data options, seed), and a server started with other inputs is
/// refused instead of continuing someone else's run.
/// </summary>
public sealed class RunStateStore : IDisposable
{
    private readonly SqliteConnection _connection;

    private RunStateStore(SqliteConnection connection, string runId)
    {
        _connection = connection;
        RunId = runId;
    }

    /// <summary>Identifies the run (stable across restarts on the same file).</summary>
    public string RunId { get; }

    /// <summary>Opens (or creates) the state file of the run with <paramref name="fingerprint"/>.</summary>
    /// <param name="path">The --state file.</param>
    /// <param name="fingerprint">What the run is (a digest of its inputs); an existing file must hold the same.</param>
    /// <returns>The store.</returns>
    /// <exception cref="InvalidDataException">The file belongs to another run, or is not an EdgeLearn state file.</exception>
    public static RunStateStore Open(string path, string fingerprint)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentException.ThrowIfNullOrEmpty(fingerprint);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        try
        {
            connection.Open();
            // WAL with synchronous = NORMAL: a committed transaction is in the WAL file when Commit returns, so it survives the
            // process being killed at any moment (kill -9); only a power cut may lose the last rounds, never corrupt the file.
            // FULL would also survive a power cut, at the price of an fsync every round.
            Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
            using (var transaction = connection.BeginTransaction())
            {
                Execute(connection, """
                    CREATE TABLE IF NOT EXISTS run (id TEXT NOT NULL, fingerprint TEXT NOT NULL, created TEXT NOT NULL);
                    CREATE TABLE IF NOT EXISTS rounds (round INTEGER PRIMARY KEY, ledger TEXT NOT NULL, metrics TEXT NOT NULL, committed TEXT NOT NULL);
                    CREATE TABLE IF NOT EXISTS model (id INTEGER PRIMARY KEY CHECK (id IN (1, 2)), round INTEGER NOT NULL, bytes BLOB NOT NULL);
                    """, transaction);
                string? stored = Scalar(connection, "SELECT fingerprint FROM run", transaction) as string;
                if (stored is null)
                {
                    using var insert = Command(connection, "INSERT INTO run (id, fingerprint, created) VALUES ($id, $fingerprint, $created)", transaction);
                    insert.Parameters.AddWithValue("$id", Guid.NewGuid().ToString("N"));
                    insert.Parameters.AddWithValue("$fingerprint", fingerprint);
                    insert.Parameters.AddWithValue("$created", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
                    insert.ExecuteNonQuery();
                }
                else if (stored != fingerprint)
                {
                    throw new InvalidDataException($"{path} holds the state of another run (its scenario, plan, data options or seed differ); name a new --state file to start this one.");
                }

                transaction.Commit();
            }

            string runId = (string)Scalar(connection, "SELECT id FROM run", null)!;
            return new RunStateStore(connection, runId);
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new InvalidDataException($"{path} is not an EdgeLearn state file that can be opened ({e.Message.TrimEnd('.')}).", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The last committed round (null when none is).</summary>
    public RoundCheckpoint? Latest()
    {
        using var query = Command(_connection, """
            SELECT m.round, m.bytes, r.ledger, r.metrics, (SELECT p.bytes FROM model p WHERE p.id = 2)
            FROM model m JOIN rounds r ON r.round = m.round WHERE m.id = 1
            """, null);
        using var reader = query.ExecuteReader();
        return reader.Read()
            ? new RoundCheckpoint(reader.GetInt32(0), (byte[])reader[1], reader.GetString(2), reader.GetString(3))
            {
                Pretrained = reader.IsDBNull(4) ? null : (byte[])reader[4],
            }
            : null;
    }

    /// <summary>The records of every committed round, in order (for the run's outputs after a resume).</summary>
    public IReadOnlyList<string> Metrics()
    {
        using var query = Command(_connection, "SELECT metrics FROM rounds ORDER BY round", null);
        using var reader = query.ExecuteReader();
        var all = new List<string>();
        while (reader.Read())
        {
            all.Add(reader.GetString(0));
        }

        return all;
    }

    /// <summary>Commits a round in one transaction: its record, and the model and ledger after it. Rounds are committed
    /// in order, each once.</summary>
    /// <exception cref="InvalidOperationException">The round is not the one after the last committed.</exception>
    public void Commit(RoundCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        using var transaction = _connection.BeginTransaction();
        long last = (long)(Scalar(_connection, "SELECT COALESCE(MAX(round), -1) FROM rounds", transaction) ?? -1L);
        if (checkpoint.Round != last + 1)
        {
            throw new InvalidOperationException(last < 0
                ? $"round {checkpoint.Round} cannot be committed first; rounds are committed in order from 0, each once."
                : $"round {checkpoint.Round} cannot be committed after round {last}; rounds are committed in order, each once.");
        }

        using (var round = Command(_connection, "INSERT INTO rounds (round, ledger, metrics, committed) VALUES ($round, $ledger, $metrics, $committed)", transaction))
        {
            round.Parameters.AddWithValue("$round", checkpoint.Round);
            round.Parameters.AddWithValue("$ledger", checkpoint.LedgerJson);
            round.Parameters.AddWithValue("$metrics", checkpoint.MetricsJson);
            round.Parameters.AddWithValue("$committed", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            round.ExecuteNonQuery();
        }

        using (var model = Command(_connection, "INSERT INTO model (id, round, bytes) VALUES (1, $round, $bytes) ON CONFLICT (id) DO UPDATE SET round = excluded.round, bytes = excluded.bytes", transaction))
        {
            model.Parameters.AddWithValue("$round", checkpoint.Round);
            model.Parameters.Add("$bytes", SqliteType.Blob).Value = checkpoint.Model;
            model.ExecuteNonQuery();
        }

        if (checkpoint.Pretrained is { } pretrained)
        {
            using var keep = Command(_connection, "INSERT OR IGNORE INTO model (id, round, bytes) VALUES (2, $round, $bytes)", transaction);
            keep.Parameters.AddWithValue("$round", checkpoint.Round);
            keep.Parameters.Add("$bytes", SqliteType.Blob).Value = pretrained;
            keep.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <inheritdoc/>
    public void Dispose() => _connection.Dispose();

    private static SqliteCommand Command(SqliteConnection connection, string sql, SqliteTransaction? transaction)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = Command(connection, sql, transaction);
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql, SqliteTransaction? transaction)
    {
        using var command = Command(connection, sql, transaction);
        return command.ExecuteScalar();
    }
}

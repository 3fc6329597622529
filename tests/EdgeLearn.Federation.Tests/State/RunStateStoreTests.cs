using EdgeLearn.Federation.State;
using Microsoft.Data.Sqlite;

namespace EdgeLearn.Federation.Tests.State;

public sealed class RunStateStoreTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"edgelearn-state-{Guid.NewGuid():N}");

    public RunStateStoreTests() => Directory.CreateDirectory(_folder);

    private string File_ => Path.Combine(_folder, "state.db");

    private static RoundCheckpoint Round(int n) => new(n, [(byte)n, 1, 2, 3], $"{{\"round\":{n}}}", $"{{\"loss\":{n}}}");

    [Fact]
    public void Open_NewFile_HasNoRoundAndARunIdThatSurvivesARestart()
    {
        string id;
        using (var store = RunStateStore.Open(File_, "run-a"))
        {
            Assert.Null(store.Latest());
            id = store.RunId;
        }

        using var again = RunStateStore.Open(File_, "run-a");

        Assert.Equal(id, again.RunId);
        Assert.Equal(32, id.Length);
    }

    [Fact]
    public void Commit_ThenRestart_ResumesAtTheLastCommittedRound()
    {
        using (var store = RunStateStore.Open(File_, "run-a"))
        {
            for (int n = 0; n <= 3; n++)
            {
                store.Commit(Round(n) with { Pretrained = n >= 2 ? [(byte)n] : null });
            }
        }

        using var again = RunStateStore.Open(File_, "run-a");
        var latest = again.Latest()!;

        Assert.Equal(3, latest.Round);
        Assert.Equal(Round(3).Model, latest.Model);
        Assert.Equal([2], latest.Pretrained!); // kept from the round that first carried it
        Assert.Equal("{\"round\":3}", latest.LedgerJson);
        Assert.Equal(["{\"loss\":0}", "{\"loss\":1}", "{\"loss\":2}", "{\"loss\":3}"], again.Metrics());
    }

    [Theory]
    [InlineData(1)] // a round already committed
    [InlineData(3)] // a round skipped
    public void Commit_OutOfOrder_IsRefusedAndChangesNothing(int round)
    {
        using var store = RunStateStore.Open(File_, "run-a");
        store.Commit(Round(0));
        store.Commit(Round(1));

        var e = Assert.Throws<InvalidOperationException>(() => store.Commit(Round(round)));

        Assert.Equal($"round {round} cannot be committed after round 1; rounds are committed in order, each once.", e.Message);
        Assert.Equal(1, store.Latest()!.Round);
        Assert.Equal(2, store.Metrics().Count);
    }

    [Fact]
    public void Commit_FirstRoundNotZero_IsRefused()
    {
        using var store = RunStateStore.Open(File_, "run-a");

        var e = Assert.Throws<InvalidOperationException>(() => store.Commit(Round(1)));

        Assert.Equal("round 1 cannot be committed first; rounds are committed in order from 0, each once.", e.Message);
        Assert.Null(store.Latest());
    }

    [Fact]
    public void Open_AnotherRunsFile_IsRefused()
    {
        using (RunStateStore.Open(File_, "run-a"))
        {
        }

        var e = Assert.Throws<InvalidDataException>(() => RunStateStore.Open(File_, "run-b"));

        Assert.Contains("holds the state of another run", e.Message);
    }

    [Fact]
    public void Open_AFileThatIsNotADatabase_IsRefused()
    {
        File.WriteAllText(File_, "not a database, just text that is long enough to be read as a header by SQLite.\n");

        var e = Assert.Throws<InvalidDataException>(() => RunStateStore.Open(File_, "run-a"));

        Assert.Contains("is not an EdgeLearn state file that can be opened", e.Message);
    }

    [Fact]
    public void Commit_AWriterThatDiesMidTransaction_LeavesTheLastCommittedRound()
    {
        using (var store = RunStateStore.Open(File_, "run-a"))
        {
            store.Commit(Round(0));
            store.Commit(Round(1));
            store.Commit(Round(2));
        }

        // A second writer (the server being killed) gets as far as writing round 3's record and a new model, then its
        // connection goes away without a commit.
        using (var dying = new SqliteConnection($"Data Source={File_};Pooling=False"))
        {
            dying.Open();
            using var transaction = dying.BeginTransaction();
            using var command = dying.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO rounds VALUES (3, '{}', '{}', 'now'); UPDATE model SET round = 3, bytes = x'00';";
            command.ExecuteNonQuery();
        }

        using var again = RunStateStore.Open(File_, "run-a");

        Assert.Equal(2, again.Latest()!.Round);
        Assert.Equal(Round(2).Model, again.Latest()!.Model);
        again.Commit(Round(3)); // and the run goes on from there
        Assert.Equal(3, again.Latest()!.Round);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}

namespace LabelBench.Data.Tests.Infrastructure;

/// <summary>
/// Base of the behaviour tests that run on both providers: each test gets a fresh database of
/// <see cref="Provider"/>. Subclasses are a sealed <c>...SqliteTests</c> and <c>...PostgresTests</c> pair.
/// </summary>
public abstract class DatabaseTests : IAsyncLifetime
{
    private TestDatabase? db;

    protected abstract DatabaseProvider Provider { get; }

    protected TestDatabase Db => db ?? throw new InvalidOperationException("The test database is created in InitializeAsync.");

    public async Task InitializeAsync() => db = await TestDatabase.CreateAsync(Provider);

    public async Task DisposeAsync()
    {
        if (db is not null)
        {
            await db.DisposeAsync();
        }
    }
}

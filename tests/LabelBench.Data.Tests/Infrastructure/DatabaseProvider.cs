namespace LabelBench.Data.Tests.Infrastructure;

/// <summary>The database a test class runs its behaviour tests on.</summary>
public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

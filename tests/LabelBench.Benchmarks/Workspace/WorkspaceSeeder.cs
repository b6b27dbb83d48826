using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using LabelBench.Data;
using LabelBench.Data.Entities;
using LabelBench.Data.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.DependencyInjection;

namespace LabelBench.Benchmarks.Workspace;

/// <summary>
/// <c>seed</c>: a SQLite data folder for the workspace benchmarks, written with bulk SQL in seconds rather than through
/// the import. Users and memberships go in directly (no password hashing; the benchmarks sign in with personal access
/// tokens made by the app's <see cref="TokenService"/>), projects through <see cref="ProjectService"/>, items with one
/// recursive <c>INSERT ... SELECT</c>. The first <c>--done</c> items are already complete (their annotations and
/// assignments exist), so the queue's indexes and anti-joins see a project in progress, not an empty one.
/// </summary>
internal static class WorkspaceSeeder
{
    public const string SchemaJson = """
        {"fields": [{"name": "sentiment", "kind": "choices", "source": "text", "required": true, "options": ["positive", "negative", "neutral"]}]}
        """;

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var dataDir = args.Text("data");
        var items = args.Long("items");
        var done = args.Int("done", 0);
        var annotators = args.Int("annotators", 50);
        var overlap = args.Int("overlap", 2);
        var drainItems = args.Int("drain-items", 0);
        var drainOverlap = args.Int("drain-overlap", 3);
        var tokensFile = args.Text("tokens", Path.Combine(dataDir, "tokens.tsv"));

        await using var services = await BenchServices.CreateAsync(dataDir);
        var clock = Stopwatch.StartNew();
        var users = await AddUsersAsync(services, annotators);
        var projects = services.GetRequiredService<ProjectService>();
        var project = await projects.CreateAsync(Caller.System, new ProjectDraft("Workspace benchmark", SchemaJson, overlap));
        await AddMembersAsync(services, project, users);
        await AddItemsAsync(services, project, items, done, overlap, users.Select(u => u.Id).ToList());
        long? drain = null;
        if (drainItems > 0)
        {
            drain = await projects.CreateAsync(Caller.System, new ProjectDraft("Workspace benchmark (drain)", SchemaJson, drainOverlap));
            await AddMembersAsync(services, drain.Value, users);
            await AddItemsAsync(services, drain.Value, drainItems, 0, drainOverlap, []);
        }

        var tokens = services.GetRequiredService<TokenService>();
        await using (var writer = new StreamWriter(tokensFile))
        {
            foreach (var user in users)
            {
                await writer.WriteLineAsync($"{user.Email}\t{user.Id}\t{await tokens.CreateAsync(user.Id, "benchmark")}");
            }
        }

        await Console.Error.WriteLineAsync($"seeded {items:N0} items ({done:N0} complete) and {users.Count} annotators in {clock.Elapsed.TotalSeconds:F1} s");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"project\": {project}, \"drainProject\": {(drain is null ? "null" : drain.Value.ToString(CultureInfo.InvariantCulture))}, \"tokens\": \"{tokensFile}\"}}"));
        return 0;
    }

    private static async Task<List<ApplicationUser>> AddUsersAsync(IServiceProvider services, int count)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<LabelBenchDbContext>>().CreateDbContextAsync();
        var now = DateTimeOffset.UtcNow;
        var users = new List<ApplicationUser>();
        for (var i = 1; i <= count; i++)
        {
            var email = $"annotator{i}@bench.local";
            users.Add(new ApplicationUser
            {
                UserName = email,
                NormalizedUserName = email.ToUpperInvariant(),
                Email = email,
                NormalizedEmail = email.ToUpperInvariant(),
                SecurityStamp = Guid.NewGuid().ToString("N"),
                CreatedAt = now,
            });
        }

        db.Users.AddRange(users);
        await db.SaveChangesAsync();
        return users;
    }

    private static async Task AddMembersAsync(IServiceProvider services, long projectId, List<ApplicationUser> users)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<LabelBenchDbContext>>().CreateDbContextAsync();
        var now = DateTimeOffset.UtcNow;
        db.ProjectMembers.AddRange(users.Select(u => new ProjectMember { ProjectId = projectId, UserId = u.Id, Role = ProjectRole.Annotator, AddedAt = now }));
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// Items with ~100-byte review texts, a random key, and an uncertainty on 70 % of them (as after a prediction
    /// import); the first <paramref name="done"/> are complete, annotated by <paramref name="overlap"/> of the users.
    /// </summary>
    private static async Task AddItemsAsync(IServiceProvider services, long projectId, long count, long done, int overlap, List<string> userIds)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<LabelBenchDbContext>>().CreateDbContextAsync();
        var created = (long)new DateTimeOffsetToBinaryConverter().ConvertToProvider(DateTimeOffset.UtcNow)!;
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        await using var tx = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, tx, """
            INSERT INTO Items (ProjectId, ExternalId, DataJson, Split, RandomKey, Uncertainty, AssignedCount, SubmittedCount, Final,
                               ExtraOverlap, Open, ReviewScoreAt, Flagged, IsGold, Pending, CreatedAt)
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $count)
            SELECT $project, 'item-' || i,
                   json_object('text', 'Review ' || i || ': ' || CASE i % 4
                       WHEN 0 THEN 'the kettle arrived on time and works, although the lid is a little stiff.'
                       WHEN 1 THEN 'terrible customer service, I waited three weeks for a refund that never came.'
                       WHEN 2 THEN 'it does what it says on the box; nothing more, nothing less, fair price.'
                       ELSE 'lovely little cafe by the river, friendly staff and the best cheesecake in town.' END),
                   CASE WHEN i % 10 = 0 THEN 'test' ELSE 'train' END,
                   abs(random()),
                   CASE WHEN i % 10 < 7 THEN (abs(random()) % 1000000) / 1000000.0 END,
                   CASE WHEN i <= $done THEN $overlap ELSE 0 END,
                   CASE WHEN i <= $done THEN $overlap ELSE 0 END,
                   i <= $done, 0, i > $done, CASE WHEN i <= $done THEN $overlap ELSE 0 END, 0, 0, 0, $created
            FROM n;
            """, ("$count", count), ("$project", projectId), ("$done", done), ("$overlap", overlap), ("$created", created));
        if (done > 0)
        {
            await ExecuteAsync(connection, tx, "CREATE TEMP TABLE bench_users (n INTEGER PRIMARY KEY, id TEXT NOT NULL); CREATE TEMP TABLE bench_k (k INTEGER PRIMARY KEY);");
            for (var i = 0; i < userIds.Count; i++)
            {
                await ExecuteAsync(connection, tx, "INSERT INTO bench_users VALUES ($n, $id);", ("$n", i), ("$id", userIds[i]));
            }

            for (var k = 0; k < overlap; k++)
            {
                await ExecuteAsync(connection, tx, "INSERT INTO bench_k VALUES ($k);", ("$k", k));
            }

            // Item i was annotated by users i, i+1, ... (mod the number of users): distinct as long as overlap <= users.
            const string Pairs = "FROM Items i JOIN bench_k k JOIN bench_users u ON u.n = (i.Id + k.k) % $users WHERE i.ProjectId = $project AND i.Open = 0";
            await ExecuteAsync(connection, tx, $"""
                INSERT INTO Annotations (ProjectId, ItemId, UserId, SchemaVersion, Status, ResultJson, TimeSpentMs, Flagged, CreatedAt, UpdatedAt, SubmittedAt)
                SELECT i.ProjectId, i.Id, u.id, 1, 'Submitted', '{"{"}"sentiment":"positive"{"}"}', 1000, 0, $created, $created, $created {Pairs};
                INSERT INTO Assignments (ProjectId, ItemId, UserId, State, LeasedAt, ExpiresAt)
                SELECT i.ProjectId, i.Id, u.id, 'Submitted', $created, $created {Pairs};
                DROP TABLE bench_users; DROP TABLE bench_k;
                """, ("$users", userIds.Count), ("$project", projectId), ("$created", created));
        }

        await ExecuteAsync(connection, tx, """
            UPDATE Projects SET ItemCount = ItemCount + $count, SubmittedCount = SubmittedCount + $done * $overlap,
                                CompleteCount = CompleteCount + $done, FinalCount = FinalCount + $done WHERE Id = $project;
            """, ("$count", count), ("$done", done), ("$overlap", overlap), ("$project", projectId));
        // No ANALYZE: the app never runs it, so the planner works without statistics here as it does there.
        await tx.CommitAsync();
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? tx, string sql, params (string Name, object Value)[] parameters)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.CommandTimeout = 0;
        foreach (var (name, value) in parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            cmd.Parameters.Add(p);
        }

        await cmd.ExecuteNonQueryAsync();
    }
}

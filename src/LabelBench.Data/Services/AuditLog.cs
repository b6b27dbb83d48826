using System.Text.Json;
using LabelBench.Core.Audit;
using LabelBench.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace LabelBench.Data.Services;

/// <summary>Appends events to the hash-chained audit trail inside the caller's transaction.</summary>
public sealed class AuditLog(TimeProvider time)
{
    public const int HeadId = 1;
    private const long ChainLockKey = 0x4C42_4155_4449_54; // "LBAUDIT": one chain, one writer at a time

    /// <summary>
    /// Adds an event chained to the latest one. Call inside a transaction: on SQLite explicit transactions take the
    /// write lock at BEGIN, on PostgreSQL an advisory lock serialises appends across app instances; the unique
    /// indexes on Sequence and PreviousHash refuse a fork if anything slips through.
    /// </summary>
    public async Task<AuditEvent> AppendAsync(
        LabelBenchDbContext db,
        string action,
        Caller? caller,
        long? projectId,
        string? entityType = null,
        string? entityId = null,
        object? before = null,
        object? after = null,
        string? reason = null,
        CancellationToken ct = default)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Audit events must be appended inside a transaction.");
        }

        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({ChainLockKey})", ct);
        }

        // Events added earlier in this unit of work are not saved yet: chain onto them first.
        var pending = db.ChangeTracker.Entries<AuditEvent>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).OrderBy(e => e.Sequence).LastOrDefault();
        var last = pending ?? await db.AuditEvents.AsNoTracking().OrderByDescending(e => e.Sequence).FirstOrDefaultAsync(ct);
        var entry = new AuditEntry(
            Sequence: (last?.Sequence ?? 0) + 1,
            ProjectId: projectId,
            ActorId: caller?.UserId,
            Action: action,
            EntityType: entityType,
            EntityId: entityId,
            BeforeJson: ToJson(before),
            AfterJson: ToJson(after),
            Reason: reason,
            At: TruncateToMilliseconds(time.GetUtcNow()));
        var previousHash = last?.Hash ?? AuditChain.Genesis;
        var ev = new AuditEvent
        {
            Sequence = entry.Sequence,
            ProjectId = entry.ProjectId,
            ActorId = entry.ActorId,
            Action = entry.Action,
            EntityType = entry.EntityType,
            EntityId = entry.EntityId,
            BeforeJson = entry.BeforeJson,
            AfterJson = entry.AfterJson,
            Reason = entry.Reason,
            At = entry.At,
            PreviousHash = previousHash,
            Hash = AuditChain.ComputeHash(previousHash, entry),
        };
        db.AuditEvents.Add(ev);
        var head = db.ChangeTracker.Entries<AuditHead>().Select(e => e.Entity).FirstOrDefault()
            ?? await db.AuditHeads.FirstOrDefaultAsync(h => h.Id == HeadId, ct);
        if (head is null)
        {
            db.AuditHeads.Add(new AuditHead { Id = HeadId, Sequence = ev.Sequence, Hash = ev.Hash });
        }
        else
        {
            head.Sequence = ev.Sequence;
            head.Hash = ev.Hash;
        }

        return ev;
    }

    public static AuditEntry ToEntry(AuditEvent e) =>
        new(e.Sequence, e.ProjectId, e.ActorId, e.Action, e.EntityType, e.EntityId, e.BeforeJson, e.AfterJson, e.Reason, e.At);

    private static string? ToJson(object? value) => value switch
    {
        null => null,
        string s => s,
        _ => JsonSerializer.Serialize(value, JsonDefaults.Compact),
    };

    private static DateTimeOffset TruncateToMilliseconds(DateTimeOffset t) => DateTimeOffset.FromUnixTimeMilliseconds(t.ToUnixTimeMilliseconds());
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LabelBench.Core.Audit;

/// <summary>The content of one audit event that its hash covers.</summary>
public sealed record AuditEntry(
    long Sequence,
    long? ProjectId,
    string? ActorId,
    string Action,
    string? EntityType,
    string? EntityId,
    string? BeforeJson,
    string? AfterJson,
    string? Reason,
    DateTimeOffset At);

/// <summary>A break in the audit chain: the first event whose stored hash or link does not verify.</summary>
public sealed record AuditBreak(long Sequence, string Problem);

/// <summary>
/// Hash chaining for the audit trail: each event's hash covers the previous event's hash and its own content,
/// so editing or deleting any stored event breaks every link after it.
/// </summary>
public static class AuditChain
{
    /// <summary>The previous hash of the first event.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string ComputeHash(string previousHash, AuditEntry entry)
    {
        // Length-prefixed fields: no choice of field contents can make two different events hash alike.
        var sb = new StringBuilder();
        Append(sb, previousHash);
        Append(sb, entry.Sequence.ToString(CultureInfo.InvariantCulture));
        Append(sb, entry.ProjectId?.ToString(CultureInfo.InvariantCulture));
        Append(sb, entry.ActorId);
        Append(sb, entry.Action);
        Append(sb, entry.EntityType);
        Append(sb, entry.EntityId);
        Append(sb, entry.BeforeJson);
        Append(sb, entry.AfterJson);
        Append(sb, entry.Reason);
        Append(sb, entry.At.ToUniversalTime().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    /// <summary>Checks events in sequence order; returns the first break, or null when the chain holds.</summary>
    public static AuditBreak? Verify(IEnumerable<(AuditEntry Entry, string PreviousHash, string Hash)> events)
    {
        var verifier = new AuditChainVerifier();
        foreach (var (entry, previousHash, hash) in events)
        {
            if (verifier.Next(entry, previousHash, hash) is { } broken)
            {
                return broken;
            }
        }

        return null;
    }

    private static void Append(StringBuilder sb, string? value)
    {
        if (value is null)
        {
            sb.Append("-1:");
            return;
        }

        sb.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value);
    }
}

/// <summary>Checks a chain one event at a time, so a trail of any length verifies in constant memory.</summary>
public sealed class AuditChainVerifier
{
    private string expectedPrevious = AuditChain.Genesis;
    private long expectedSequence = 1;

    /// <summary>The sequence of the last event that verified (0 before any).</summary>
    public long LastSequence => expectedSequence - 1;

    /// <summary>The hash of the last event that verified.</summary>
    public string LastHash => expectedPrevious;

    /// <summary>Checks the next stored event; returns the break it shows, if any.</summary>
    public AuditBreak? Next(AuditEntry entry, string previousHash, string hash)
    {
        if (entry.Sequence != expectedSequence)
        {
            return new AuditBreak(expectedSequence, $"event {expectedSequence} is missing (the next stored event is {entry.Sequence})");
        }

        if (!string.Equals(previousHash, expectedPrevious, StringComparison.Ordinal))
        {
            return new AuditBreak(entry.Sequence, $"event {entry.Sequence} does not link to the hash of event {entry.Sequence - 1}");
        }

        if (!string.Equals(AuditChain.ComputeHash(previousHash, entry), hash, StringComparison.Ordinal))
        {
            return new AuditBreak(entry.Sequence, $"event {entry.Sequence} ({entry.Action}) was changed after it was written: its content does not match its hash");
        }

        expectedPrevious = hash;
        expectedSequence++;
        return null;
    }
}

namespace LabelBench.Core.Queue;

/// <summary>How long an item handed out by <c>next</c> stays reserved for its annotator before it returns to the pool.</summary>
public readonly record struct LeasePolicy
{
    public const int DefaultMinutes = 30;
    public const int MinMinutes = 1;
    public const int MaxMinutes = 7 * 24 * 60;

    private LeasePolicy(TimeSpan length) => Length = length;

    public TimeSpan Length { get; }

    public static LeasePolicy Default { get; } = new(TimeSpan.FromMinutes(DefaultMinutes));

    public static bool IsValidMinutes(int minutes) => minutes is >= MinMinutes and <= MaxMinutes;

    /// <summary>The project's lease length; a stored value out of range (never written by the services) means the default.</summary>
    public static LeasePolicy FromMinutes(int minutes) => IsValidMinutes(minutes) ? new(TimeSpan.FromMinutes(minutes)) : Default;

    public DateTimeOffset ExpiresAt(DateTimeOffset now) => now + Length;

    /// <summary>A lease is over at its expiry instant: from then on anyone else may take the place over.</summary>
    public static bool IsExpired(DateTimeOffset expiresAt, DateTimeOffset now) => expiresAt <= now;
}

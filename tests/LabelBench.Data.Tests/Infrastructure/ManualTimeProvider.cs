namespace LabelBench.Data.Tests.Infrastructure;

/// <summary>A clock that only moves when a test says so, so lease expiry and audit times are exact.</summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private long utcTicks = start.UtcTicks;

    public ManualTimeProvider()
        : this(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref utcTicks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref utcTicks, by.Ticks);
}

using LabelBench.Core.Queue;

namespace LabelBench.Core.Tests.Queue;

public class LeasePolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_lease_runs_for_the_projects_minutes()
    {
        Assert.Equal(Now.AddMinutes(45), LeasePolicy.FromMinutes(45).ExpiresAt(Now));
    }

    [Fact]
    public void The_default_lease_is_thirty_minutes()
    {
        Assert.Equal(TimeSpan.FromMinutes(30), LeasePolicy.Default.Length);
        Assert.Equal(TimeSpan.FromMinutes(30), LeasePolicy.FromMinutes(0).Length);
    }

    [Fact]
    public void A_lease_is_over_at_its_expiry_instant()
    {
        var expires = LeasePolicy.Default.ExpiresAt(Now);
        Assert.False(LeasePolicy.IsExpired(expires, expires.AddTicks(-1)));
        Assert.True(LeasePolicy.IsExpired(expires, expires));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(10080, true)]
    [InlineData(10081, false)]
    public void Lease_minutes_have_a_sensible_range(int minutes, bool valid) => Assert.Equal(valid, LeasePolicy.IsValidMinutes(minutes));
}

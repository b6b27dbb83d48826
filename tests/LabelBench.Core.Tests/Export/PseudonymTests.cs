using LabelBench.Core.Export;

namespace LabelBench.Core.Tests.Export;

public class PseudonymTests
{
    [Fact]
    public void Pseudonym_is_stable_short_and_hex()
    {
        var first = Pseudonym.For("user-42", "project-salt");

        Assert.Equal(first, Pseudonym.For("user-42", "project-salt"));
        Assert.Matches("^annotator-[0-9a-f]{6}$", first);
    }

    [Fact]
    public void Pseudonym_is_the_truncated_hmac_sha256_of_the_user_keyed_by_the_salt()
    {
        // HMAC-SHA256(key "key", "The quick brown fox jumps over the lazy dog") = f7bc83f4... (the well-known example value).
        Assert.Equal("annotator-f7bc83", Pseudonym.For("The quick brown fox jumps over the lazy dog", "key"));
    }

    [Fact]
    public void Pseudonyms_differ_between_users_and_between_projects()
    {
        Assert.NotEqual(Pseudonym.For("alice", "p1"), Pseudonym.For("bob", "p1"));
        Assert.NotEqual(Pseudonym.For("alice", "p1"), Pseudonym.For("alice", "p2"));
    }

    [Fact]
    public void Empty_salt_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Pseudonym.For("alice", ""));
    }
}

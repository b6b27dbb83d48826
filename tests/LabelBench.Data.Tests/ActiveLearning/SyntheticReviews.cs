using System.Text.Json.Nodes;

namespace LabelBench.Data.Tests.ActiveLearning;

/// <summary>
/// A synthetic review dataset where keywords decide the label: each text is neutral filler around one or two keywords
/// of its class. Seeded, so every run builds the same texts.
/// </summary>
internal static class SyntheticReviews
{
    public static readonly string[] Labels = ["positive", "negative", "neutral"];

    private static readonly Dictionary<string, string[]> Keywords = new()
    {
        ["positive"] = ["excellent", "wonderful", "delighted", "superb", "love", "fantastic", "perfect", "recommend"],
        ["negative"] = ["terrible", "broken", "refund", "awful", "disappointed", "useless", "worst", "complaint"],
        ["neutral"] = ["delivered", "arrived", "package", "ordinary", "average", "standard", "received", "shipped"],
    };

    private static readonly string[] Filler =
    [
        "the", "item", "was", "this", "order", "we", "got", "it", "for", "my", "kitchen", "after", "a", "week", "and",
        "then", "our", "family", "used", "product", "colour", "size", "box", "today", "with", "some", "of", "on", "in",
    ];

    /// <summary><paramref name="count"/> examples: external id <c>r-0001</c>…, text and label (classes in turn).</summary>
    public static List<(string Id, string Text, string Label)> Make(int count, int seed = 11)
    {
        var random = new Random(seed);
        var examples = new List<(string, string, string)>(count);
        for (var i = 0; i < count; i++)
        {
            var label = Labels[i % Labels.Length];
            var words = Enumerable.Range(0, 8 + random.Next(6)).Select(_ => Filler[random.Next(Filler.Length)]).ToList();
            var keywords = Keywords[label];
            words.Insert(random.Next(words.Count + 1), keywords[random.Next(keywords.Length)]);
            if (random.Next(2) == 0)
            {
                words.Insert(random.Next(words.Count + 1), keywords[random.Next(keywords.Length)]);
            }

            examples.Add(($"r-{i + 1:0000}", string.Join(' ', words), label));
        }

        return examples;
    }

    public static IEnumerable<string> ItemLines(IEnumerable<(string Id, string Text, string Label)> examples) =>
        examples.Select(e => new JsonObject { ["id"] = e.Id, ["data"] = new JsonObject { ["text"] = e.Text } }.ToJsonString());
}

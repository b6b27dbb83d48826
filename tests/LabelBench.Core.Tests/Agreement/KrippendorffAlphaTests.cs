using LabelBench.Core.Agreement;
using LabelBench.Tests.Shared;

namespace LabelBench.Core.Tests.Agreement;

public class KrippendorffAlphaTests
{
    /// <summary>Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers × 12 units, missing data.</summary>
    internal static JudgementSet Krippendorff2011Example() => AgreementReferences.ToSet(AgreementReferences.Krippendorff2011());

    [Theory]
    [InlineData(MeasurementLevel.Nominal, 0.743, 113.0 / 152)]
    [InlineData(MeasurementLevel.Ordinal, 0.815, 108577.0 / 133160)]
    [InlineData(MeasurementLevel.Interval, 0.849, 951.0 / 1120)]
    [InlineData(MeasurementLevel.Ratio, 0.797, 18222619.0 / 22852465)]
    public void Alpha_matches_Krippendorff_2011_example(MeasurementLevel level, double published, double exact)
    {
        // Published to 3 decimals; the exact fractions are from an independent Python script that builds the
        // coincidence matrix pair by pair with fractions.Fraction and applies the textbook δ² of each level.
        var result = KrippendorffAlpha.Compute(Krippendorff2011Example(), level);

        Assert.Equal(published, result.Value, 3);
        Assert.Equal(exact, result.Value, 13);
        Assert.Equal((11, 4, 40), (result.Items, result.Annotators, result.Judgements));
        Assert.Equal(level, result.Level);
    }

    [Fact]
    public void Alpha_matches_Krippendorff_2011_binary_example()
    {
        // Section A: two observers, ten units, binary: α = 1 − (20 − 1)·4 / (14·6) = 0.095.
        var set = Sets.FromMatrix(
            ["0", "1", "0", "0", "0", "0", "0", "0", "1", "0"],
            ["1", "1", "1", "0", "0", "1", "0", "0", "0", "0"]);

        Assert.Equal(1 - (19.0 * 4 / (14 * 6)), KrippendorffAlpha.Compute(set).Value, 15);
        Assert.Equal(0.095, KrippendorffAlpha.Compute(set).Value, 3);
    }

    [Fact]
    public void Nominal_alpha_matches_NLTK_values()
    {
        // NLTK: alpha() of the Artstein & Poesio example is 0.8005345806882727 (= 2396/2993), and the three-item
        // task (a,a), (b,a), (b,b) gives round(alpha, 4) == 0.4444.
        var artsteinPoesio = Sets.FromVectors(
            Sets.Repeat(("stat", 46), ("ireq", 44), ("chck", 10)),
            Sets.Repeat(("stat", 52), ("ireq", 32), ("chck", 16)));
        var small = Sets.FromVectors(["a", "b", "b"], ["a", "a", "b"]);

        Assert.Equal(0.8005345806882727, KrippendorffAlpha.Compute(artsteinPoesio).Value, 14);
        Assert.Equal(0.4444, KrippendorffAlpha.Compute(small).Value, 4);
    }

    [Fact]
    public void Units_with_a_single_value_are_dropped()
    {
        var withLoners = Sets.FromMatrix(["1", "2", "3", "9"], ["1", "2", "2", null]);
        var without = Sets.FromMatrix(["1", "2", "3"], ["1", "2", "2"]);

        Assert.Equal(KrippendorffAlpha.Compute(without).Value, KrippendorffAlpha.Compute(withLoners).Value, 15);
        Assert.Equal(3, KrippendorffAlpha.Compute(withLoners).Items);
    }

    [Theory]
    [InlineData(MeasurementLevel.Nominal)]
    [InlineData(MeasurementLevel.Ordinal)]
    [InlineData(MeasurementLevel.Interval)]
    [InlineData(MeasurementLevel.Ratio)]
    public void Perfect_agreement_is_one_at_every_level(MeasurementLevel level)
    {
        var set = Sets.FromMatrix(["1", "2", "3", "."], ["1", "2", "3", "4"], ["1", ".", "3", "4"]);

        Assert.Equal(1, KrippendorffAlpha.Compute(set, level).Value, 15);
    }

    [Fact]
    public void No_variation_leaves_alpha_undefined_with_a_note()
    {
        var result = KrippendorffAlpha.Compute(Sets.FromMatrix(["3", "3"], ["3", "3"]), MeasurementLevel.Interval);

        Assert.True(double.IsNaN(result.Value));
        Assert.Contains("no variation", result.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Numeric_levels_refuse_labels_that_are_not_numbers()
    {
        var set = Sets.FromMatrix(["low", "high"], ["low", "low"]);

        var error = Assert.Throws<AgreementException>(() => KrippendorffAlpha.Compute(set, MeasurementLevel.Interval));

        Assert.Contains("needs numeric labels", error.Message, StringComparison.Ordinal);
        Assert.Contains("'high'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ordinal_level_accepts_words_in_an_explicit_order()
    {
        var words = JudgementSet.From(
            [new("u1", "a", "low"), new("u1", "b", "mid"), new("u2", "a", "high"), new("u2", "b", "high"), new("u3", "a", "low"), new("u3", "b", "low")],
            ["low", "mid", "high"]);
        var numbers = Sets.FromMatrix(["1", "3", "1"], ["2", "3", "1"]);

        Assert.Equal(
            KrippendorffAlpha.Compute(numbers, MeasurementLevel.Ordinal).Value,
            KrippendorffAlpha.Compute(words, MeasurementLevel.Ordinal).Value,
            15);
    }

    [Fact]
    public void Ratio_level_refuses_negative_numbers()
    {
        var error = Assert.Throws<AgreementException>(
            () => KrippendorffAlpha.Compute(Sets.FromMatrix(["-1", "2"], ["1", "2"]), MeasurementLevel.Ratio));

        Assert.Contains("non-negative", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_input_and_unpairable_input_are_clear_errors()
    {
        Assert.Contains(
            "no judgements",
            Assert.Throws<AgreementException>(() => KrippendorffAlpha.Compute(new JudgementSetBuilder().Build())).Message,
            StringComparison.Ordinal);
        Assert.Contains(
            "no item has two or more judgements",
            Assert.Throws<AgreementException>(() => KrippendorffAlpha.Compute(Sets.FromMatrix(["1", null], [null, "2"]))).Message,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Streaming_sums_equal_the_textbook_formula_over_the_coincidence_matrix(int seed)
    {
        var random = new Random(seed);
        var builder = new JudgementSetBuilder();
        for (var u = 0; u < 300; u++)
        {
            for (var a = 0; a < 6; a++)
            {
                if (random.NextDouble() < 0.6)
                {
                    builder.Add($"u{u}", $"a{a}", random.Next(0, 7).ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }

        var set = builder.Build();
        var matrix = CoincidenceMatrix.Build(set);
        foreach (var level in Enum.GetValues<MeasurementLevel>())
        {
            Assert.Equal(KrippendorffAlpha.FromCoincidences(matrix, level), KrippendorffAlpha.Compute(set, level).Value, 12);
        }
    }
}

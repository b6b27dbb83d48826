using LabelBench.Core.Agreement;
using LabelBench.Tests.Shared;

namespace LabelBench.Core.Tests.Agreement;

/// <summary>Every published reference value in <see cref="AgreementReferences"/>, through the report the CLI prints.</summary>
public class ReferenceValueTests
{
    public static TheoryData<string> Names() => [.. AgreementReferences.All.Select(r => r.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void Each_published_value_is_reproduced_to_its_printed_precision(string name)
    {
        var reference = AgreementReferences.Named(name);

        var result = AgreementReport.ComputeMetric(
            AgreementReferences.ToSet(reference.Judgements),
            reference.Metric,
            AgreementReport.ParseLevel(reference.Level),
            AgreementReport.ParseWeights(reference.Weights));

        Assert.Equal(reference.Published, result.Value, reference.Decimals);
        if (reference.Exact is { } exact)
        {
            Assert.Equal(exact, result.Value, 12);
        }
    }

    [Fact]
    public void The_reference_table_covers_every_metric_and_every_alpha_level_and_kappa_weighting()
    {
        Assert.Equal(AgreementMetrics.Each.Order(), AgreementReferences.All.Select(r => r.Metric).Distinct().Order());
        Assert.Equal(4, AgreementReferences.All.Where(r => r.Metric == AgreementMetrics.KrippendorffAlpha).Select(r => r.Level).Distinct().Count());
        Assert.Equal(3, AgreementReferences.All.Where(r => r.Metric == AgreementMetrics.CohenKappa).Select(r => r.Weights).Distinct().Count());
    }
}

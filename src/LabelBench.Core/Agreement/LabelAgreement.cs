namespace LabelBench.Core.Agreement;

/// <summary>
/// Agreement on one label treated as label-vs-rest, over items with two or more judgements.
/// </summary>
/// <param name="Judgements">Judgements with this label on those items.</param>
/// <param name="SpecificAgreement">
/// Of the pairs of judgements on an item in which one says this label, the share in which the other says it too
/// (positive specific agreement generalised to many annotators: Σ n_ul(n_ul − 1)/(m_u − 1) / Σ n_ul); NaN when unused.
/// </param>
/// <param name="Alpha">Krippendorff's nominal alpha of the label-vs-rest data; NaN when every judgement or none has the label.</param>
public sealed record LabelAgreement(string Label, int Judgements, double SpecificAgreement, double Alpha);

using System.Globalization;
using CsvHelper;

namespace LabelBench.Core.Agreement;

/// <summary>The dashboard's tables as CSV, for spreadsheets and reports (names map annotator ids to display names).</summary>
public static class AgreementDashboardCsv
{
    public static IReadOnlyList<string> Tables { get; } = ["headline", "pairs", "labels", "confusion", "over-time", "reliability", "gold", "dividing"];

    public static void Write(AgreementDashboard d, string table, TextWriter writer, Func<string, string> name)
    {
        using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture, leaveOpen: true);
        switch (table)
        {
            case "headline":
                Row(csv, "metric", "value", "lower", "upper", "items", "note");
                foreach (var h in d.Headline)
                {
                    Row(csv, h.Metric, Num(h.Value), Num(h.Lower), Num(h.Upper), h.Items.ToString(CultureInfo.InvariantCulture), h.Note ?? string.Empty);
                }

                break;
            case "pairs":
                Row(csv, "first", "second", "shared_items", "percent_agreement", "cohen_kappa");
                foreach (var p in d.Pairs)
                {
                    Row(csv, name(p.First), name(p.Second), p.SharedItems.ToString(CultureInfo.InvariantCulture), Num(p.PercentAgreement), Num(p.Kappa));
                }

                break;
            case "labels":
                Row(csv, "label", "judgements", "specific_agreement", "alpha_vs_rest");
                foreach (var l in d.PerLabel)
                {
                    Row(csv, l.Label, l.Judgements.ToString(CultureInfo.InvariantCulture), Num(l.SpecificAgreement), Num(l.Alpha));
                }

                break;
            case "confusion":
                Row(csv, ["label", .. d.Confusion.Labels]);
                for (var i = 0; i < d.Confusion.Labels.Count; i++)
                {
                    Row(csv, [d.Confusion.Labels[i], .. d.Confusion.Counts[i].Select(c => c.ToString(CultureInfo.InvariantCulture))]);
                }

                break;
            case "over-time":
                Row(csv, "day", "items", "percent_agreement");
                foreach (var t in d.OverTime)
                {
                    Row(csv, t.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), t.Items.ToString(CultureInfo.InvariantCulture), Num(t.PercentAgreement));
                }

                break;
            case "reliability":
                Row(csv, "annotator", "judgements", "dawid_skene_reliability");
                foreach (var r in d.Reliability)
                {
                    Row(csv, name(r.Annotator), r.Judgements.ToString(CultureInfo.InvariantCulture), Num(r.Reliability));
                }

                break;
            case "gold":
                Row(csv, "annotator", "gold_judgements", "correct", "accuracy");
                foreach (var g in d.Gold?.Annotators ?? [])
                {
                    Row(csv, name(g.Annotator), g.GoldJudgements.ToString(CultureInfo.InvariantCulture), g.Correct.ToString(CultureInfo.InvariantCulture), Num(g.Accuracy));
                }

                break;
            case "dividing":
                Row(csv, "item", "percent_agreement", "labels");
                foreach (var item in d.MostDividing)
                {
                    Row(csv, item.Item, Num(item.PercentAgreement), string.Join("; ", item.Labels.Select(kv => $"{kv.Key}={kv.Value}")));
                }

                break;
            default:
                throw new AgreementException($"unknown table \"{table}\"; expected one of {string.Join(", ", Tables)}");
        }
    }

    private static string Num(double? v) => v is { } x && double.IsFinite(x) ? x.ToString("0.######", CultureInfo.InvariantCulture) : string.Empty;

    private static void Row(CsvWriter csv, params string[] cells)
    {
        foreach (var cell in cells)
        {
            // Names and labels come from users: keep a spreadsheet from running them as formulas (plain numbers are safe).
            var isNumber = double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
            csv.WriteField(isNumber ? cell : Export.SpreadsheetCell.Neutralise(cell));
        }

        csv.NextRecord();
    }
}

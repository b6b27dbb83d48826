using System.Globalization;
using LabelBench.Core.Export;
using LabelBench.Core.Import;

namespace LabelBench.Data.Services;

/// <summary>What to export: a format id of CONTRACT.md, which labels, and which items.</summary>
/// <param name="Annotator">A pseudonym as exports write it, or (for leads) the annotator's email.</param>
public sealed record ExportRequest(string Format, string Source)
{
    public string? Split { get; init; }
    public string? Label { get; init; }

    /// <summary>Annotations submitted at or after this time.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Annotations submitted before this time (a date-only <c>to</c> is parsed as the end of that day).</summary>
    public DateTimeOffset? To { get; init; }

    public string? Annotator { get; init; }

    /// <summary>The formats this server writes, id → description.</summary>
    public static IReadOnlyDictionary<string, string> Formats { get; } = ExportFormats.All.ToDictionary(f => f.Id, f => f.Description, StringComparer.Ordinal);

    public static IReadOnlyList<string> Sources { get; } = ["final", "majority", "dawid-skene", "all"];

    public ExportSource SourceKind => Source switch
    {
        "final" => ExportSource.Final,
        "majority" => ExportSource.Majority,
        "dawid-skene" => ExportSource.DawidSkene,
        _ => ExportSource.All,
    };

    public ExportFormat FormatInfo => ExportFormats.Find(Format)!;

    /// <summary>The filters as saved with a snapshot and written in its manifest (absent ones left out).</summary>
    public IReadOnlyDictionary<string, string> Filters()
    {
        var filters = new SortedDictionary<string, string>(StringComparer.Ordinal);
        void Add(string key, string? value)
        {
            if (value is not null)
            {
                filters[key] = value;
            }
        }

        Add("split", Split);
        Add("label", Label);
        Add("from", From?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        Add("to", To?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        Add("annotator", Annotator);
        return filters;
    }

    public static ExportRequest Parse(string? format, string? source) => Parse(format, source, null, null, null, null, null);

    /// <summary>Checks and normalises the request's parts; the error names the one at fault.</summary>
    public static ExportRequest Parse(string? format, string? source, string? split, string? label, string? from, string? to, string? annotator)
    {
        format = string.IsNullOrWhiteSpace(format) ? "jsonl" : format.Trim().ToLowerInvariant();
        source = string.IsNullOrWhiteSpace(source) ? "all" : source.Trim().ToLowerInvariant();
        if (!Formats.ContainsKey(format))
        {
            throw ServiceException.Invalid($"format: \"{format}\" is not one of {string.Join(", ", Formats.Keys)}", [new("format", $"one of {string.Join(", ", Formats.Keys)}")]);
        }

        if (!Sources.Contains(source))
        {
            throw ServiceException.Invalid($"source: \"{source}\" is not one of {string.Join(", ", Sources)}", [new("source", string.Join(", ", Sources))]);
        }

        split = Blank(split)?.ToLowerInvariant();
        if (split is not null && !DatasetSplits.IsValid(split))
        {
            throw ServiceException.Invalid($"split: \"{split}\" is not train, validation or test", [new("split", "train, validation or test")]);
        }

        var fromTime = ParseTime("from", from, endOfDay: false);
        var toTime = ParseTime("to", to, endOfDay: true);
        if (fromTime is not null && toTime is not null && toTime <= fromTime)
        {
            throw ServiceException.Invalid("to: must be after from", [new("to", "must be after from")]);
        }

        return new ExportRequest(format, source)
        {
            Split = split,
            Label = Blank(label),
            From = fromTime,
            To = toTime,
            Annotator = Blank(annotator),
        };
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>An ISO 8601 date or date-time (UTC unless it says otherwise); a date alone as <c>to</c> includes that whole day.</summary>
    private static DateTimeOffset? ParseTime(string name, string? value, bool endOfDay)
    {
        value = Blank(value);
        if (value is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            var start = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return endOfDay ? start.AddDays(1) : start;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        throw ServiceException.Invalid($"{name}: \"{value}\" is not a date (2026-03-01) or date-time (2026-03-01T12:00:00Z)", [new(name, "an ISO 8601 date or date-time")]);
    }
}

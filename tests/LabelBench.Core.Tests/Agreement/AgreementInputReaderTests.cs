using LabelBench.Core.Agreement;

namespace LabelBench.Core.Tests.Agreement;

public sealed class AgreementInputReaderTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("labelbench-agreement-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void Reads_csv_with_columns_in_any_order_and_other_columns_ignored()
    {
        var path = Write("j.csv", "Label,note,Item,annotator\npos,\"hello, world\",t1,ann\n,skipped,t1,bob\n\"neg\",,t2, ann \n");

        var set = AgreementInputReader.Read(path);

        Assert.Equal(["t1", "t2"], set.Items);
        Assert.Equal(["ann", "bob"], set.Annotators);
        Assert.Equal(["neg", "pos"], set.Labels);
        Assert.Equal((2, 1), (set.JudgementCount, set.MissingCount));
    }

    [Fact]
    public void A_missing_csv_column_is_reported_on_line_1_naming_the_field()
    {
        var path = Write("j.csv", "item,rater,label\nt1,ann,pos\n");

        var error = Assert.Throws<AgreementInputException>(() => AgreementInputReader.Read(path));

        Assert.Equal((1L, "annotator"), (error.Line, error.Field));
        Assert.Equal(path, error.FileName);
        Assert.Contains("no 'annotator' column (it has: item, rater, label)", error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"{path} line 1, field 'annotator': ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_errors_name_the_line_a_record_starts_on()
    {
        // Line 2 is a record whose quoted label spans lines 2–3, so the bad record starts on line 4.
        var path = Write("j.csv", "item,annotator,label\nt1,ann,\"multi\nline\"\n,bob,pos\n");

        var error = Assert.Throws<AgreementInputException>(() => AgreementInputReader.Read(path));

        Assert.Equal((4L, "item"), (error.Line, error.Field));
        Assert.Contains("item id is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_short_rows_and_duplicate_judgements_are_errors_with_lines()
    {
        var shortRow = Write("short.csv", "item,annotator,label\nt1,ann,pos\nt2,bob\n");
        var duplicate = Write("dup.csv", "item,annotator,label\nt1,ann,pos\nt2,ann,pos\nt1,ann,neg\n");

        var shortError = Assert.Throws<AgreementInputException>(() => AgreementInputReader.Read(shortRow));
        var duplicateError = Assert.Throws<AgreementInputException>(() => AgreementInputReader.Read(duplicate));

        Assert.Equal((3L, "label"), (shortError.Line, shortError.Field));
        Assert.Equal(4L, duplicateError.Line);
        Assert.Contains("'ann' judged item 't1' more than once", duplicateError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_csv_file_is_a_clear_error()
    {
        var error = Assert.Throws<AgreementInputException>(() => AgreementInputReader.Read(Write("j.csv", string.Empty)));

        Assert.Contains("the file is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_json_lines_with_numbers_nulls_and_blank_lines()
    {
        var path = Write(
            "j.jsonl",
            "{\"item\": 1, \"annotator\": \"ann\", \"label\": 3}\n\n{\"item\": 1, \"annotator\": \"bob\", \"label\": null, \"x\": [1]}\n{\"item\": \"2\", \"annotator\": \"bob\", \"label\": \"10\"}\n");

        var set = AgreementInputReader.Read(path);

        Assert.Equal(["1", "2"], set.Items);
        Assert.Equal(["3", "10"], set.Labels);
        Assert.True(set.IsNumeric);
        Assert.Equal(1, set.MissingCount);
    }

    [Theory]
    [InlineData("{\"item\": \"a\", \"annotator\": \"x\"}", 2L, "label", "no \"label\"")]
    [InlineData("{\"item\": \"a\", \"annotator\": [1], \"label\": \"p\"}", 2L, "annotator", "found an array")]
    [InlineData("{\"item\": \"a\", \"annotator\": \"x\", \"label\": \"p\"", 2L, null, "not valid JSON")]
    [InlineData("[1, 2]", 2L, null, "expected an object")]
    public void Json_lines_errors_name_line_and_field(string secondLine, long line, string? field, string message)
    {
        var path = Write("j.jsonl", "{\"item\": \"z\", \"annotator\": \"x\", \"label\": \"p\"}\n" + secondLine + "\n");

        var error = Assert.Throws<AgreementInputException>(() => AgreementInputReader.Read(path));

        Assert.Equal((line, field), (error.Line, error.Field));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_a_json_array_and_names_lines_in_it()
    {
        var good = Write("good.json", "\n[\n  {\"item\": \"a\", \"annotator\": \"x\", \"label\": \"p\"},\n  {\"item\": \"a\", \"annotator\": \"y\", \"label\": \"q \\\" }\"}\n]\n");
        var bad = Write("bad.json", "[\n  {\"item\": \"a\", \"annotator\": \"x\", \"label\": \"p\"},\n\n  {\"item\": \"a\",\n   \"annotator\": \"\", \"label\": \"p\"}\n]");

        var set = AgreementInputReader.Read(good);
        var error = Assert.Throws<AgreementInputException>(() => AgreementInputReader.Read(bad));

        Assert.Equal(["p", "q \" }"], set.Labels);
        Assert.Equal((4L, "annotator"), (error.Line, error.Field));
    }

    [Fact]
    public void A_json_file_of_lines_is_read_as_json_lines_keeping_line_numbers()
    {
        var path = Write("j.json", "\n{\"item\": \"a\", \"annotator\": \"x\", \"label\": \"p\"}\n{\"item\": \"\", \"annotator\": \"x\", \"label\": \"p\"}\n");

        var error = Assert.Throws<AgreementInputException>(() => AgreementInputReader.Read(path));

        Assert.Equal((3L, "item"), (error.Line, error.Field));
    }

    [Fact]
    public void Unknown_extensions_and_missing_files_are_clear_errors()
    {
        var unknown = Assert.Throws<AgreementInputException>(() => AgreementInputReader.Read(Write("j.tsv", "item\tannotator\tlabel\n")));
        var missing = Assert.Throws<AgreementInputException>(() => AgreementInputReader.Read(Path.Combine(directory, "nope.csv")));

        Assert.Contains("use .csv, .jsonl or .json", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
    }
}

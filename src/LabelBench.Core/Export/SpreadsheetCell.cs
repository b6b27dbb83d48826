namespace LabelBench.Core.Export;

/// <summary>Makes text safe to open in a spreadsheet (CSV formula injection, OWASP).</summary>
public static class SpreadsheetCell
{
    /// <summary>
    /// Prefixes a single quote to a cell that begins with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage return,
    /// so Excel, LibreOffice and Sheets show it as text instead of evaluating it (negative numbers too: "-3" becomes "'-3").
    /// OWASP also recommends wrapping every cell in double quotes (and doubling quotes inside); the CSV writer quotes
    /// where the format needs it, and quoting alone does not stop a spreadsheet from evaluating a formula — the quote prefix does.
    /// </summary>
    public static string Neutralise(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
}

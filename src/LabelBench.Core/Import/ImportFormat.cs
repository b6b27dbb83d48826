namespace LabelBench.Core.Import;

/// <summary>What kind of import file something is.</summary>
public enum ImportFormat
{
    Unknown,
    Csv,
    Jsonl,
    Zip,
    Image,
    Audio,
}

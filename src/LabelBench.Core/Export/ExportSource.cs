namespace LabelBench.Core.Export;

/// <summary>Which labels an export carries (<c>--source final|majority|dawid-skene|all</c>).</summary>
public enum ExportSource
{
    /// <summary>Only items with a final label (adjudication, else agreement), without the raw annotations.</summary>
    Final,

    /// <summary>Like <see cref="Final"/>; the caller computes agreement with <c>AgreementRule.Majority</c>.</summary>
    Majority,

    /// <summary>Every item with every annotation, and its final label where there is one.</summary>
    /// <remarks>Formats that hold one label set per record (COCO, YOLO, VOC, CoNLL, HF, DPO, Parquet, and CSV with
    /// <see cref="ExportOptions.OneRowPerAnnotation"/>) write one record per submitted annotation.</remarks>
    All,

    /// <summary>Like <see cref="Final"/>; the caller decides choices fields by Dawid–Skene aggregation.</summary>
    DawidSkene,
}

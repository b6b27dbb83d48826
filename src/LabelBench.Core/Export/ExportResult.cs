namespace LabelBench.Core.Export;

/// <summary>What an exporter wrote: records (rows, images, pairs, sentences), records it had to leave out, and images whose bytes were missing.</summary>
/// <param name="Skipped">Records left out because the format cannot hold them (an image without a known size for COCO, YOLO and VOC).</param>
/// <param name="MissingMedia">Records written without their image file because the media store did not have it.</param>
public sealed record ExportResult(int Records, int Skipped = 0, int MissingMedia = 0);

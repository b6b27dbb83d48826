namespace LabelBench.Core.Export;

/// <summary>Opens stored media by content hash, for formats that ship the images (YOLO, VOC).</summary>
public interface IMediaReader
{
    /// <summary>A readable stream of the file's bytes, or null when the store does not have it.</summary>
    Stream? Open(string hash);
}

/// <summary>An <see cref="IMediaReader"/> over a function, handy for tests and in-memory stores.</summary>
public sealed class DelegateMediaReader(Func<string, Stream?> open) : IMediaReader
{
    public Stream? Open(string hash) => open(hash);
}

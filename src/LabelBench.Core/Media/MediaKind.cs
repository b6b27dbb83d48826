namespace LabelBench.Core.Media;

/// <summary>What a media file holds.</summary>
public enum MediaKind
{
    Image,
    Audio,
}

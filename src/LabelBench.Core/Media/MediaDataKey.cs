using LabelBench.Core.Schemas;

namespace LabelBench.Core.Media;

/// <summary>
/// Which item data key holds a media file's path, so the schema's fields find it. For images: the source of the first
/// boxes, polygons or keypoints field; for audio: the source of the first segments field; when the schema has no
/// such field, the first data key any field reads (an image classified with choices, say); when it reads none,
/// <c>image</c> or <c>audio</c>.
/// </summary>
public static class MediaDataKey
{
    public static string For(LabelSchema schema, MediaKind kind)
    {
        var made = schema.Fields.FirstOrDefault(f => !string.IsNullOrEmpty(f.Source) && (kind == MediaKind.Image ? f.Kind.IsImageKind() : f.Kind == FieldKind.Segments));
        return made?.Source ?? schema.DataKeys().FirstOrDefault() ?? (kind == MediaKind.Image ? "image" : "audio");
    }

    /// <summary>The keys whose values a manifest row may use to reference media (the image key, then the audio key when different).</summary>
    public static IReadOnlyList<string> ReferenceKeys(LabelSchema schema) =>
        new[] { For(schema, MediaKind.Image), For(schema, MediaKind.Audio) }.Distinct(StringComparer.Ordinal).ToList();
}

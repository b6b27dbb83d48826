using System.Text.Json.Nodes;
using LabelBench.Core.Schemas;

namespace LabelBench.Core.Media;

/// <summary>A manifest row's reference to a media file: the data key, the path as written, and the kind the reading field expects.</summary>
public sealed record MediaReference(string Key, string Path, MediaKind? Expected);

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
        var made = schema.Fields.FirstOrDefault(f => !string.IsNullOrEmpty(f.Source) && IsMadeFor(f.Kind, kind));
        return made?.Source ?? schema.DataKeys().FirstOrDefault() ?? (kind == MediaKind.Image ? "image" : "audio");
    }

    /// <summary>
    /// The media a manifest row references: the first string value under the source of a media field (image:
    /// boxes, polygons, keypoints; audio: segments), whatever it says, so a mistyped path is reported rather than
    /// kept as text. A schema without media fields reads media under its first data key, and there a value is a
    /// reference only when its extension names a media type (other rows keep plain text).
    /// </summary>
    public static MediaReference? FindReference(LabelSchema schema, JsonObject data)
    {
        var mediaFields = schema.Fields.Where(f => !string.IsNullOrEmpty(f.Source) && (f.Kind.IsImageKind() || f.Kind == FieldKind.Segments)).ToList();
        if (mediaFields.Count > 0)
        {
            foreach (var key in mediaFields.Select(f => f.Source!).Distinct(StringComparer.Ordinal))
            {
                if (StringAt(data, key) is { } path)
                {
                    var readers = mediaFields.Where(f => f.Source == key).Select(f => f.Kind.IsImageKind() ? MediaKind.Image : MediaKind.Audio).Distinct().ToList();
                    return new MediaReference(key, path, readers.Count == 1 ? readers[0] : null);
                }
            }

            return null;
        }

        var first = For(schema, MediaKind.Image);
        return StringAt(data, first) is { } value && MediaTypes.FromFileName(value) is not null ? new MediaReference(first, value, null) : null;
    }

    private static bool IsMadeFor(FieldKind field, MediaKind kind) => kind == MediaKind.Image ? field.IsImageKind() : field == FieldKind.Segments;

    private static string? StringAt(JsonObject data, string key) =>
        data[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}

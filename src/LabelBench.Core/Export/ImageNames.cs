using LabelBench.Core.Schemas;

namespace LabelBench.Core.Export;

/// <summary>
/// File names for the images of an image export: the base name of the path in the item's data (<c>images/street-01.png</c>
/// becomes <c>street-01.png</c>), made safe for any file system; an item whose name was already used gets its item id
/// added (<c>street-01-17.png</c>), and a name without an extension gets one from the media type.
/// </summary>
internal sealed class ImageNames
{
    private readonly HashSet<string> used = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The name of a record's image; <paramref name="variant"/> (an annotator, for one file per annotation) is added to the stem.</summary>
    public string For(ExportItem item, SchemaField field, string? variant = null)
    {
        var raw = field.Source is null ? null : ExportValues.Text(item.Data[field.Source]);
        var baseName = raw is null ? string.Empty : raw.Replace('\\', '/').Split('/')[^1];
        baseName = baseName.Length == 0 ? $"item-{item.ItemId}" : ExportValues.SafeFileName(baseName);
        var extension = Path.GetExtension(baseName);
        var stem = Path.GetFileNameWithoutExtension(baseName);
        if (extension.Length == 0)
        {
            extension = ExtensionOf(item.MediaType);
        }

        if (variant is not null)
        {
            stem = $"{stem}__{ExportValues.SafeFileName(variant)}";
        }

        var name = stem + extension;
        if (!used.Add(name))
        {
            name = $"{stem}-{item.ItemId}{extension}";
            var n = 2;
            while (!used.Add(name))
            {
                name = $"{stem}-{item.ItemId}-{n++}{extension}";
            }
        }

        return name;
    }

    public static string ExtensionOf(string? mediaType) => mediaType switch
    {
        "image/png" => ".png",
        "image/jpeg" => ".jpg",
        "image/webp" => ".webp",
        "image/gif" => ".gif",
        _ => string.Empty,
    };
}

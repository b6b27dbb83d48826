using LabelBench.Core.Media;
using LabelBench.Core.Schemas;
using LabelBench.Data.Services;

namespace LabelBench.Web.Components.Annotate;

/// <summary>
/// An item's media as the editors load it: always through the authorised media endpoint (<see cref="MediaService.Url"/>),
/// never a public address. <see cref="PeaksUrl"/> is where the waveform peaks would be (served for WAV).
/// </summary>
public sealed record ItemMedia(string Url, string? PeaksUrl, string ContentType, int? Width, int? Height, double? DurationSeconds)
{
    public MediaKind? Kind => MediaTypes.KindOf(ContentType);

    public bool IsImage => Kind == MediaKind.Image && Width is > 0 && Height is > 0;

    public bool IsAudio => Kind == MediaKind.Audio;

    /// <summary>The media of an item, or null when it has none.</summary>
    public static ItemMedia? For(long projectId, long itemId, string? contentType, int? width, int? height, double? durationSeconds) =>
        contentType is null
            ? null
            : new ItemMedia(
                MediaService.Url(projectId, itemId),
                MediaTypes.KindOf(contentType) == MediaKind.Audio ? MediaService.Url(projectId, itemId, MediaVariant.Peaks) : null,
                contentType,
                width,
                height,
                durationSeconds);

    /// <summary>Whether an editor of <paramref name="field"/> draws on this media itself.</summary>
    public bool HasEditorFor(SchemaField field) => (IsImage && field.Kind.IsImageKind()) || (IsAudio && field.Kind == FieldKind.Segments);
}

/// <summary>An editor's change of one field of the result (null removes the field).</summary>
public sealed record FieldEdit(string Field, System.Text.Json.Nodes.JsonNode? Value);

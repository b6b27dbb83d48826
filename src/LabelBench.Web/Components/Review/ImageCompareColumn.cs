using System.Text.Json.Nodes;
using LabelBench.Core.Schemas;

namespace LabelBench.Web.Components.Review;

/// <summary>One annotator's shapes over an image, per image field (boxes, polygons, keypoints).</summary>
public sealed record ImageCompareColumn(string Name, IReadOnlyList<ImageCompareField> Fields)
{
    /// <summary>The column of a result: its value of every image field of the schema (regions that are not objects are left out).</summary>
    public static ImageCompareColumn From(string name, LabelSchema schema, JsonObject result) =>
        new(name, schema.Fields.Where(f => f.Kind.IsImageKind())
            .Select(f => new ImageCompareField(f.Name, f.Kind, result[f.Name] is JsonArray a ? a.OfType<JsonObject>().ToList() : []))
            .ToList());
}

/// <summary>The shapes of one image field in one annotator's result.</summary>
public sealed record ImageCompareField(string Field, FieldKind Kind, IReadOnlyList<JsonObject> Shapes);

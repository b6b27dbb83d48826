using System.Text;
using System.Text.Json.Nodes;
using LabelBench.Core.Schemas;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;

namespace LabelBench.Web.Components.Schema;

/// <summary>Problems of one field (or of the schema as a whole), as the designer lists them.</summary>
public sealed record ProblemGroup(string Title, IReadOnlyList<FieldProblem> Problems);

/// <summary>A problem with the part of the field it concerns (<c>options[1].hotkey: </c>) and the rule it breaks.</summary>
public sealed record FieldProblem(string Where, string Message, bool IsWarning);

public sealed partial class SchemaDesigner
{
    /// <summary>The largest schema file the designer imports.</summary>
    public const int MaxImportBytes = 1024 * 1024;

    private static int instances;
    private readonly string dataKeyListId = $"lb-data-keys-{Interlocked.Increment(ref instances)}";

    private SchemaDraft draft = new();
    private LabelSchema? loadedFrom;
    private string jsonText = string.Empty;
    private List<ValidationError> jsonProblems = [];
    private IReadOnlyList<ValidationError> problems = [];
    private LabelSchema? previewSchema;
    private bool previewStale;
    private JsonObject previewValue = [];
    private string newKindName = FieldKind.Choices.ToName();
    private string templateKey = string.Empty;
    private string? importMessage;
    private int tab;

    /// <summary>The schema to start from (the project's current one); a new instance reloads the designer.</summary>
    [Parameter, EditorRequired]
    public LabelSchema Schema { get; set; } = default!;

    /// <summary>Item data keys seen in the project's items: offered as sources, and checked against.</summary>
    [Parameter]
    public IReadOnlyList<string> DataKeys { get; set; } = [];

    /// <summary>True when the project has items, so a source key none of them has is worth a warning.</summary>
    [Parameter]
    public bool WarnUnknownKeys { get; set; }

    /// <summary>An item of the project to preview on; a made-up one when null.</summary>
    [Parameter]
    public JsonObject? SampleData { get; set; }

    [Parameter]
    public string FileName { get; set; } = "schema.json";

    [Parameter]
    public bool Saving { get; set; }

    /// <summary>Shows the designer without saving (members who are not leads).</summary>
    [Parameter]
    public bool ReadOnly { get; set; }

    [Parameter]
    public EventCallback<LabelSchema> OnSave { get; set; }

    private string DataKeyListId => dataKeyListId;

    private int ErrorCount => problems.Count(p => !p.IsWarning);

    private string ExportHref => "data:application/json;charset=utf-8," + Uri.EscapeDataString(draft.ToJson());

    private JsonObject PreviewData
    {
        get
        {
            var data = SampleData is null ? new JsonObject() : (JsonObject)SampleData.DeepClone();
            foreach (var (key, value) in SchemaDraft.MadeUpItem(previewSchema!))
            {
                if (!data.ContainsKey(key))
                {
                    data[key] = value?.DeepClone();
                }
            }

            return data;
        }
    }

    protected override void OnParametersSet()
    {
        if (!ReferenceEquals(loadedFrom, Schema))
        {
            loadedFrom = Schema;
            draft = SchemaDraft.From(Schema);
            previewValue = [];
            Refresh(updateJson: true);
        }
    }

    /// <summary>Recomputes problems, the preview and (unless the lead is typing JSON) the JSON text from the draft.</summary>
    private void Refresh(bool updateJson)
    {
        var schema = draft.ToSchema();
        problems = SchemaValidator.Validate(schema, WarnUnknownKeys ? DataKeys.ToHashSet(StringComparer.Ordinal) : null);
        if (updateJson)
        {
            jsonText = draft.ToJson();
            jsonProblems = [];
        }

        if (problems.Any(p => !p.IsWarning))
        {
            previewStale = previewSchema is not null;
            return;
        }

        previewSchema = schema;
        previewStale = false;
        foreach (var key in previewValue.Select(p => p.Key).Where(k => schema.FindField(k) is null).ToList())
        {
            previewValue.Remove(key);
        }
    }

    private void OnDraftChanged() => Refresh(updateJson: true);

    private void AddField()
    {
        if (!FieldKinds.TryParse(newKindName, out var kind))
        {
            return;
        }

        draft.Fields.Add(FieldDraft.New(kind, draft.Fields.Select(f => f.Name), DataKeys));
        Refresh(updateJson: true);
    }

    private void Move(int index, int delta)
    {
        var target = index + delta;
        if (target < 0 || target >= draft.Fields.Count)
        {
            return;
        }

        (draft.Fields[index], draft.Fields[target]) = (draft.Fields[target], draft.Fields[index]);
        Refresh(updateJson: true);
    }

    private void RemoveField(int index)
    {
        draft.Fields.RemoveAt(index);
        Refresh(updateJson: true);
    }

    private void OnJsonChanged(ChangeEventArgs e) => ApplyJson(e.Value as string ?? string.Empty);

    /// <summary>Takes a schema typed, imported or picked as JSON: the fields follow it when it reads as a schema.</summary>
    private void ApplyJson(string json)
    {
        jsonText = json;
        var parsed = LabelSchemaJson.Parse(json, validate: false);
        if (parsed.Value is null)
        {
            jsonProblems = parsed.Errors.ToList();
            return;
        }

        jsonProblems = [];
        draft = SchemaDraft.From(parsed.Value);
        Refresh(updateJson: false);
    }

    private void UseTemplate()
    {
        var template = SchemaTemplates.All.FirstOrDefault(t => t.Key == templateKey);
        if (template is null)
        {
            return;
        }

        ApplyJson(template.Json);
        Refresh(updateJson: true);
    }

    private async Task ImportAsync(InputFileChangeEventArgs e)
    {
        importMessage = null;
        if (e.File.Size > MaxImportBytes)
        {
            importMessage = $"{e.File.Name} is larger than {MaxImportBytes / 1024} KB; a schema file is much smaller.";
            return;
        }

        string text;
        try
        {
            await using var stream = e.File.OpenReadStream(MaxImportBytes);
            using var reader = new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true));
            text = await reader.ReadToEndAsync();
        }
        catch (Exception ex) when (ex is IOException or DecoderFallbackException)
        {
            importMessage = $"{e.File.Name} could not be read: {ex.Message}";
            return;
        }

        ApplyJson(text);
        if (jsonProblems.Count > 0)
        {
            importMessage = $"{e.File.Name} is not a schema; see the JSON tab.";
            tab = 1;
        }
        else
        {
            Refresh(updateJson: true);
        }
    }

    private void OnPreviewChanged(JsonObject value) => previewValue = value;

    private async Task SaveAsync()
    {
        Refresh(updateJson: false);
        if (ErrorCount > 0 || jsonProblems.Count > 0)
        {
            return;
        }

        await OnSave.InvokeAsync(draft.ToSchema());
    }

    private IReadOnlyList<FieldProblem> ProblemsOfField(int index)
    {
        var prefix = PathOf(index);
        return problems.Where(p => p.Path == prefix || p.Path.StartsWith(prefix + ".", StringComparison.Ordinal))
            .Select(p => new FieldProblem(p.Path.Length > prefix.Length ? p.Path[(prefix.Length + 1)..] + ": " : string.Empty, p.Message, p.IsWarning))
            .ToList();
    }

    /// <summary>How <see cref="SchemaValidator"/> names field <paramref name="index"/> in its paths.</summary>
    private string PathOf(int index)
    {
        var name = draft.Fields[index].Name.Trim();
        return string.IsNullOrWhiteSpace(name) ? $"fields[{index}]" : $"fields[{index}] \"{name}\"";
    }

    private IEnumerable<ProblemGroup> ProblemGroups()
    {
        var prefixes = Enumerable.Range(0, draft.Fields.Count).Select(PathOf).ToList();
        var general = problems.Where(p => !prefixes.Any(prefix => p.Path == prefix || p.Path.StartsWith(prefix + ".", StringComparison.Ordinal)))
            .Select(p => new FieldProblem(p.Path == "fields" ? string.Empty : p.Path + ": ", p.Message, p.IsWarning)).ToList();
        if (general.Count > 0)
        {
            yield return new ProblemGroup("Schema", general);
        }

        for (var i = 0; i < draft.Fields.Count; i++)
        {
            var mine = ProblemsOfField(i);
            if (mine.Count > 0)
            {
                var name = draft.Fields[i].Name;
                yield return new ProblemGroup(string.IsNullOrWhiteSpace(name) ? $"Field {i + 1}" : $"Field {i + 1} “{name}”", mine);
            }
        }
    }

    internal static string KindTitle(FieldKind kind) => kind switch
    {
        FieldKind.Choices => "choices — pick one or several options",
        FieldKind.Rating => "rating — 1 to max",
        FieldKind.Text => "text — free text, transcription",
        FieldKind.Spans => "spans — entities in text",
        FieldKind.Boxes => "boxes — rectangles on an image",
        FieldKind.Polygons => "polygons — regions on an image",
        FieldKind.Keypoints => "keypoints — points on an image",
        FieldKind.Segments => "segments — time regions of audio",
        FieldKind.Pairwise => "pairwise — which of two responses is better",
        FieldKind.Ranking => "ranking — order several responses",
        _ => kind.ToName(),
    };
}

using System.Globalization;
using System.Text.Json.Nodes;
using LabelBench.Core.Schemas;
using LabelBench.Data.Services;
using LabelBench.Web.Components.Annotate;
using LabelBench.Web.Components.Review;
using Microsoft.AspNetCore.Components;

namespace LabelBench.Web.Components.Pages.Review;

/// <summary>The reviewer's page: the disagreement-first queue, the side-by-side view, and the decisions.</summary>
public sealed partial class ReviewPage
{
    [Inject]
    private ReviewService Review { get; set; } = default!;

    private ReviewQueuePage? queue;
    private ReviewItem? item;
    private ReviewItem? imageColumnsOf;
    private List<ImageCompareColumn> imageColumns = [];
    private long selectedId;
    private IReadOnlyList<MemberInfo> members = [];
    private string? labelFilter;
    private string? annotatorFilter;
    private double minDisagreement;
    private bool flaggedOnly;
    private string? error;
    private bool busy;
    private JsonObject draft = [];
    private string? reason;
    private ReviewAnnotation? mergeFrom;
    private ReviewAnnotation? sendBackTo;
    private string? sendBackComment;

    protected override async Task OnProjectLoadedAsync()
    {
        members = await Projects.MembersAsync(Caller, Id);
        await ReloadQueueAsync();
    }

    private async Task ReloadQueueAsync()
    {
        try
        {
            queue = await Review.QueueAsync(Caller, Id, new ReviewQueueFilter(labelFilter, annotatorFilter, minDisagreement > 0 ? minDisagreement : null, flaggedOnly));
            error = null;
            if (item is null || queue.Items.All(i => i.ItemId != item.ItemId))
            {
                item = null;
                if (queue.Items.Count > 0)
                {
                    await SelectAsync(queue.Items[0].ItemId);
                }
            }
        }
        catch (ServiceException ex)
        {
            error = ex.Message;
        }
    }

    private async Task SelectAsync(long itemId)
    {
        selectedId = itemId;
        mergeFrom = null;
        sendBackTo = null;
        reason = null;
        draft = [];
        try
        {
            item = await Review.ItemAsync(Caller, Id, itemId);
            error = null;
        }
        catch (ServiceException ex)
        {
            error = ex.Message;
        }
    }

    private ItemMedia? Media => item is null ? null : ItemMedia.For(Id, item.ItemId, item.MediaType, item.Width, item.Height, item.DurationSeconds);

    /// <summary>Per annotator, their shapes of every image field (cached per item, so the drawing is not redone on every render).</summary>
    private List<ImageCompareColumn> ImageColumns()
    {
        if (item is null)
        {
            return [];
        }

        if (imageColumnsOf != item)
        {
            imageColumnsOf = item;
            imageColumns = item.Annotations.Select(a => ImageCompareColumn.From(a.Annotator, item.Schema, a.Result)).ToList();
        }

        return imageColumns;
    }

    private SchemaField? ImageField => item?.Schema.Fields.FirstOrDefault(f => f.Kind.IsImageKind());

    private SchemaField? SegmentField => item?.Schema.Fields.FirstOrDefault(f => f.Kind == FieldKind.Segments);

    private SchemaField? SpanField => item?.Schema.Fields.FirstOrDefault(f => f.Kind == FieldKind.Spans);

    private List<SpanCompare.Column> Columns(string field) =>
        item?.Annotations.Select(a => new SpanCompare.Column(a.Annotator, a.Result[field])).ToList() ?? [];

    private static string Seconds(long ms) => (ms / 1000.0).ToString("0.#", CultureInfo.InvariantCulture);

    private void StartMerge(ReviewAnnotation annotation)
    {
        mergeFrom = annotation;
        draft = (JsonObject)annotation.Result.DeepClone();
    }

    private void StartSendBack(ReviewAnnotation annotation)
    {
        sendBackTo = annotation;
        sendBackComment = null;
    }

    private Task AcceptAsync(long annotationId) =>
        DecideAsync(new AdjudicationRequest(annotationId, null, null, null, item?.Adjudication?.Version));

    private Task OverrideAsync() =>
        DecideAsync(new AdjudicationRequest(null, draft, reason, mergeFrom?.Id, item?.Adjudication?.Version));

    private async Task DecideAsync(AdjudicationRequest request)
    {
        if (item is null)
        {
            return;
        }

        busy = true;
        try
        {
            await Review.AdjudicateAsync(Caller, Id, item.ItemId, request);
            item = null;
            await ReloadQueueAsync();
        }
        catch (ServiceException ex)
        {
            error = ex.Message;
        }
        finally
        {
            busy = false;
        }
    }

    private async Task SendBackAsync()
    {
        if (item is null || sendBackTo is null)
        {
            return;
        }

        busy = true;
        try
        {
            await Review.SendBackAsync(Caller, Id, item.ItemId, sendBackTo.Id, sendBackComment ?? string.Empty);
            sendBackTo = null;
            await SelectAsync(item.ItemId);
            await ReloadQueueAsync();
        }
        catch (ServiceException ex)
        {
            error = ex.Message;
        }
        finally
        {
            busy = false;
        }
    }
}

using LabelBench.Data.Services;

namespace LabelBench.Data.Tests.Export;

public class ExportPageReaderTests
{
    private static ExportAnnotationRow Row(long id, long itemId) => new(id, itemId, "u", 1, "{}", 0, DateTimeOffset.UnixEpoch);

    [Fact]
    public void Annotations_come_in_id_order_within_each_item_and_items_keep_their_order()
    {
        List<ExportAnnotationRow> rows = [Row(5, 1), Row(3, 1), Row(9, 2), Row(7, 2), Row(8, 2), Row(1, 3), Row(4, 4), Row(2, 4)];

        ExportPageReader.SortWithinItems(rows);

        Assert.Equal([(3L, 1L), (5, 1), (7, 2), (8, 2), (9, 2), (1, 3), (2, 4), (4, 4)], rows.Select(r => (r.Id, r.ItemId)));
    }
}

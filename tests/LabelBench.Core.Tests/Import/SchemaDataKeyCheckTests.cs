using System.Text.Json.Nodes;
using LabelBench.Core.Import;
using LabelBench.Core.Tests.Schemas;

namespace LabelBench.Core.Tests.Import;

public class SchemaDataKeyCheckTests
{
    [Fact]
    public void Missing_keys_are_listed_in_schema_order()
    {
        var data = new JsonObject { ["text"] = "t", ["image"] = "i.png", ["audio"] = null, ["answer_a"] = "a", ["r0"] = "", ["r1"] = "", ["r2"] = "" };

        Assert.Equal(["audio", "prompt", "answer_b"], SchemaDataKeyCheck.MissingKeys(SchemaSamples.AllKinds(), data));
    }

    [Fact]
    public void Rejection_names_the_missing_key_and_the_row()
    {
        var schema = SchemaSamples.ParseField("""{"name": "s", "kind": "text", "source": "text"}""").Value!;
        var record = new ImportRecord(7, "x", new JsonObject { ["txt"] = "typo" }, [], null);

        var rejection = SchemaDataKeyCheck.Check(schema, record, "items.csv");

        Assert.Equal(new ImportRejection("items.csv", 7, "the data has no \"text\", which the schema reads"), rejection);
    }

    [Fact]
    public void Record_with_every_key_passes()
    {
        var schema = SchemaSamples.ParseField("""{"name": "s", "kind": "text", "source": "text"}""").Value!;

        Assert.Null(SchemaDataKeyCheck.Check(schema, new ImportRecord(2, null, new JsonObject { ["text"] = "" }, [], null), "f"));
    }
}

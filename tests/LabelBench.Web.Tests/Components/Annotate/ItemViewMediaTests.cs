using System.Text.Json.Nodes;
using Bunit;
using LabelBench.Core.Schemas;
using LabelBench.Data.Services;
using LabelBench.Web.Components.Annotate;
using MudBlazor.Services;

namespace LabelBench.Web.Tests.Components.Annotate;

public sealed class ItemViewMediaTests : BunitContext
{
    public ItemViewMediaTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private static LabelSchema Schema(FieldKind kind, string source) =>
        new([new SchemaField { Name = "f", Kind = kind, Source = source, Options = [new LabelOption("x")] }]);

    [Fact]
    public void Image_item_shows_the_image_from_the_media_endpoint_with_its_name_as_text()
    {
        var data = new JsonObject { ["image"] = "<img src=x onerror=alert(1)>.png", ["note"] = "<b>bold</b>" };
        var view = Render<ItemView>(p => p
            .Add(v => v.Data, data)
            .Add(v => v.Schema, Schema(FieldKind.Boxes, "image"))
            .Add(v => v.MediaUrl, MediaService.Url(3, 7))
            .Add(v => v.MediaType, "image/png")
            .Add(v => v.Width, 640)
            .Add(v => v.Height, 480));

        var img = view.Find("[data-testid=image-stage] img");
        Assert.Equal("/api/v1/projects/3/items/7/media", img.GetAttribute("src"));
        Assert.Equal("640", img.GetAttribute("width"));
        Assert.Single(view.FindAll("img"));
        Assert.Empty(view.FindAll("b"));
        Assert.Contains("&lt;b&gt;bold&lt;/b&gt;", view.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Audio_item_shows_an_audio_player()
    {
        var view = Render<ItemView>(p => p
            .Add(v => v.Data, new JsonObject { ["audio"] = "clip.wav" })
            .Add(v => v.Schema, Schema(FieldKind.Segments, "audio"))
            .Add(v => v.MediaUrl, MediaService.Url(1, 2))
            .Add(v => v.MediaType, "audio/wav"));

        var audio = view.Find("[data-testid=audio-player] audio");
        Assert.Equal("/api/v1/projects/1/items/2/media", audio.GetAttribute("src"));
        Assert.True(audio.HasAttribute("controls"));
        Assert.Empty(view.FindAll("[data-testid=text-content]"));
    }

    [Fact]
    public void Text_item_has_no_media()
    {
        var view = Render<ItemView>(p => p
            .Add(v => v.Data, new JsonObject { ["text"] = "hello" })
            .Add(v => v.Schema, Schema(FieldKind.Choices, "text")));

        Assert.Empty(view.FindAll("img, audio"));
        Assert.Equal("hello", view.Find("[data-testid=text-content]").TextContent);
    }
}

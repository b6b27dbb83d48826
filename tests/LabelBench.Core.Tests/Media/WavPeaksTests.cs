using System.Text.Json.Nodes;
using LabelBench.Core.Media;
using LabelBench.Core.Schemas;
using static LabelBench.Core.Tests.Media.MediaBytes;

namespace LabelBench.Core.Tests.Media;

public class WavPeaksTests
{
    private static async Task<JsonObject> PeaksAsync(byte[] wav, int peaksPerSecond)
    {
        Assert.True(WavHeaderReader.TryRead(Stream(wav), out var format, out var error), error);
        var output = new MemoryStream();
        await WavPeaks.WriteJsonAsync(Stream(wav), format, output, peaksPerSecond);
        return JsonNode.Parse(output.ToArray())!.AsObject();
    }

    private static double[] Values(JsonObject json) => json["peaks"]![0]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();

    [Fact]
    public async Task Pcm16_buckets_hold_min_and_max_over_all_channels()
    {
        // 10 Hz stereo, 2 peaks a second: buckets of 5 frames.
        short[] samples =
        [
            0, 16384, -16384, 0, 100, 200, 300, 400, 500, 600,
            -32768, 32767, 0, 0, 0, 0, 0, 0, 0, 0,
            8192, 8192,
        ];
        var json = await PeaksAsync(Wav(2, 10, 16, Pcm16(samples)), 2);

        Assert.Equal(1, json["version"]!.GetValue<int>());
        Assert.Equal(1.1, json["duration"]!.GetValue<double>(), 6);
        Assert.Equal(2, json["channels"]!.GetValue<int>());
        Assert.Equal(3, json["length"]!.GetValue<int>());
        Assert.Equal([-0.5, 0.5, -1, 1, 0.25, 0.25], Values(json));
    }

    [Fact]
    public async Task Bucket_count_matches_the_declared_length_for_uneven_rates()
    {
        var json = await PeaksAsync(Wav(1, 44100, 16, new byte[44100 * 2 * 3 + 2 * 123]), 100);
        Assert.Equal(301, json["length"]!.GetValue<int>());
        Assert.Equal(602, Values(json).Length);
    }

    [Fact]
    public async Task Near_silence_is_written_as_plain_zeros()
    {
        var output = new MemoryStream();
        var wav = Wav(1, 2, 16, Pcm16(-1, 1));
        Assert.True(WavHeaderReader.TryRead(Stream(wav), out var format, out _));
        await WavPeaks.WriteJsonAsync(Stream(wav), format, output, 1);
        Assert.EndsWith("\"peaks\":[[0,0]]}", System.Text.Encoding.UTF8.GetString(output.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eight_bit_is_unsigned()
    {
        var json = await PeaksAsync(Wav(1, 4, 8, [0, 128, 255, 192]), 1);
        Assert.Equal([-1, 0.992], Values(json));
    }

    [Fact]
    public async Task Twenty_four_and_thirty_two_bit_are_signed()
    {
        byte[] s24 = [0x00, 0x00, 0x80, 0xFF, 0xFF, 0x3F]; // −8388608, +4194303
        var values = Values(await PeaksAsync(Wav(1, 2, 24, s24, extensible: true), 1));
        Assert.Equal([-1, 0.5], values);

        byte[] s32 = [0, 0, 0, 0x40, 0, 0, 0, 0xE0]; // +2^30, −2^29
        var more = Values(await PeaksAsync(Wav(1, 2, 32, s32), 1));
        Assert.Equal([-0.25, 0.5], more);
    }

    [Fact]
    public async Task Float_samples_are_clamped_and_nan_is_silence()
    {
        var floats = new byte[12];
        BitConverter.TryWriteBytes(floats.AsSpan(0), 2.5f);
        BitConverter.TryWriteBytes(floats.AsSpan(4), float.NaN);
        BitConverter.TryWriteBytes(floats.AsSpan(8), -0.125f);
        var values = Values(await PeaksAsync(Wav(1, 3, 32, floats, isFloat: true), 1));
        Assert.Equal([-0.125, 1], values);

        var doubles = new byte[16];
        BitConverter.TryWriteBytes(doubles.AsSpan(0), -0.75);
        BitConverter.TryWriteBytes(doubles.AsSpan(8), 0.25);
        var more = Values(await PeaksAsync(Wav(1, 2, 64, doubles, isFloat: true), 1));
        Assert.Equal([-0.75, 0.25], more);
    }
}

public class MediaDataKeyTests
{
    private static LabelSchema Schema(params SchemaField[] fields) => new(fields);

    private static SchemaField Field(string name, FieldKind kind, string source) =>
        new() { Name = name, Kind = kind, Source = source };

    [Fact]
    public void Images_go_under_the_first_image_field_source()
    {
        var schema = Schema(Field("caption", FieldKind.Text, "text"), Field("objects", FieldKind.Boxes, "photo"), Field("parts", FieldKind.Polygons, "other"));
        Assert.Equal("photo", MediaDataKey.For(schema, MediaKind.Image));
    }

    [Fact]
    public void Audio_goes_under_the_first_segments_field_source()
    {
        var schema = Schema(Field("transcript", FieldKind.Text, "words"), Field("regions", FieldKind.Segments, "clip"));
        Assert.Equal("clip", MediaDataKey.For(schema, MediaKind.Audio));
        Assert.Equal("words", MediaDataKey.For(schema, MediaKind.Image));
    }

    [Fact]
    public void Without_a_media_field_the_first_data_key_is_used_else_a_default()
    {
        Assert.Equal("picture", MediaDataKey.For(Schema(Field("label", FieldKind.Choices, "picture")), MediaKind.Image));
        Assert.Equal("image", MediaDataKey.For(Schema(), MediaKind.Image));
        Assert.Equal("audio", MediaDataKey.For(Schema(), MediaKind.Audio));
    }
}

public class MediaReferenceTests
{
    private static SchemaField Field(string name, FieldKind kind, string source) => new() { Name = name, Kind = kind, Source = source };

    [Fact]
    public void Media_field_sources_are_references_whatever_they_say()
    {
        var schema = new LabelSchema([Field("caption", FieldKind.Text, "text"), Field("objects", FieldKind.Boxes, "image")]);
        var data = new JsonObject { ["text"] = "a.png", ["image"] = "images/typo.pgn" };
        Assert.Equal(new MediaReference("image", "images/typo.pgn", MediaKind.Image), MediaDataKey.FindReference(schema, data));
        Assert.Null(MediaDataKey.FindReference(schema, new JsonObject { ["text"] = "a.png" }));
    }

    [Fact]
    public void Segments_source_expects_audio()
    {
        var schema = new LabelSchema([Field("regions", FieldKind.Segments, "audio"), Field("transcript", FieldKind.Text, "audio")]);
        Assert.Equal(MediaKind.Audio, MediaDataKey.FindReference(schema, new JsonObject { ["audio"] = "a.wav" })!.Expected);
    }

    [Fact]
    public void Without_media_fields_only_media_file_names_are_references()
    {
        var schema = new LabelSchema([Field("label", FieldKind.Choices, "picture")]);
        Assert.Equal(new MediaReference("picture", "cats/1.jpg", null), MediaDataKey.FindReference(schema, new JsonObject { ["picture"] = "cats/1.jpg" }));
        Assert.Null(MediaDataKey.FindReference(schema, new JsonObject { ["picture"] = "just some text" }));
    }
}

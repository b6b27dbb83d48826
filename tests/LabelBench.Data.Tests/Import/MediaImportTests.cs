using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using LabelBench.Core.Import;
using LabelBench.Data.Entities;
using LabelBench.Data.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace LabelBench.Data.Tests.Import;

/// <summary>Hostile and ordinary media imports: each bad file or entry is refused by name, the good ones beside it arrive, nothing is written outside the media store.</summary>
public sealed class MediaImportTests : IClassFixture<MediaTestHost>
{
    private const string ImageSchema = """{"fields": [{"name": "objects", "kind": "boxes", "source": "image", "labels": [{"value": "car"}]}]}""";
    private const string AudioSchema = """{"fields": [{"name": "regions", "kind": "segments", "source": "audio", "labels": [{"value": "speech"}]}, {"name": "transcript", "kind": "text", "source": "audio"}]}""";

    private readonly MediaTestHost host;

    public MediaImportTests(MediaTestHost host)
    {
        this.host = host;
        host.Mark();
    }

    [Fact]
    public async Task Single_png_becomes_an_item_with_its_size_thumbnail_and_stored_file()
    {
        var project = await host.CreateProjectAsync(ImageSchema);
        var report = await host.ImportAsync(project, ("street.png", MediaFiles.Png(64, 48)));

        Assert.Equal(1, report.Imported);
        Assert.Empty(report.Rejected);
        var item = Assert.Single(await host.ItemsAsync(project));
        Assert.Equal("""{"image":"street.png"}""", item.DataJson);
        Assert.Equal(("image/png", 64, 48), (item.MediaType, item.Width, item.Height));
        Assert.True(File.Exists(host.MediaPath(item.MediaHash!)));

        var media = host.Services.GetRequiredService<MediaService>();
        await using (var original = await media.OpenAsync(Caller.System, project, item.Id, MediaVariant.Original))
        {
            Assert.Equal("image/png", original.ContentType);
            Assert.Equal(item.MediaHash, original.Hash);
        }

        await using var thumbnail = await media.OpenAsync(Caller.System, project, item.Id, MediaVariant.Thumbnail);
        using var decoded = SKBitmap.Decode(thumbnail.Content);
        Assert.Equal((64, 48), (decoded.Width, decoded.Height));
        host.AssertNothingOutsideMediaStore();
    }

    [Fact]
    public async Task Truncated_image_is_refused_naming_it_and_the_good_one_beside_is_imported()
    {
        var project = await host.CreateProjectAsync(ImageSchema);
        var whole = MediaFiles.Png(200, 200, noise: true);
        var report = await host.ImportAsync(project, ("cut.png", whole[..(whole.Length / 2)]), ("good.png", MediaFiles.Png(20, 20)));

        Assert.Equal(1, report.Imported);
        var rejection = Assert.Single(report.Rejected);
        Assert.Equal(("cut.png", 0), (rejection.Source, rejection.Line));
        Assert.StartsWith("cut.png: the image does not decode", rejection.Error, StringComparison.Ordinal);
        Assert.Equal("""{"image":"good.png"}""", Assert.Single(await host.ItemsAsync(project)).DataJson);
    }

    [Fact]
    public async Task Image_bomb_is_refused_from_its_header()
    {
        var project = await host.CreateProjectAsync(ImageSchema);
        var report = await host.ImportAsync(project, ("bomb.png", MediaFiles.PngHeaderOnly(100_000, 100_000)), ("good.png", MediaFiles.Png(8, 8)));

        Assert.Equal(1, report.Imported);
        var rejection = Assert.Single(report.Rejected);
        Assert.Equal("bomb.png", rejection.Source);
        Assert.Contains("bomb.png: declares 100000×100000 pixels", rejection.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_magic_bytes_are_refused_naming_the_file()
    {
        var project = await host.CreateProjectAsync(ImageSchema);
        var report = await host.ImportAsync(project,
            ("photo.png", MediaFiles.Jpeg(10, 10)),
            ("notes.jpg", "<script>alert(1)</script>"u8.ToArray()),
            ("good.jpg", MediaFiles.Jpeg(10, 10)));

        Assert.Equal(1, report.Imported);
        Assert.Collection(report.Rejected,
            r => Assert.Equal(("photo.png", "photo.png: the name says image/png but the content is image/jpeg"), (r.Source, r.Error)),
            r =>
            {
                Assert.Equal("notes.jpg", r.Source);
                Assert.StartsWith("notes.jpg: ", r.Error, StringComparison.Ordinal);
            });
    }

    [Fact]
    public async Task Exif_orientation_is_applied_to_the_stored_pixels()
    {
        var project = await host.CreateProjectAsync(ImageSchema);
        var report = await host.ImportAsync(project, ("portrait.jpg", MediaFiles.JpegWithOrientation(40, 20, orientation: 6)));

        Assert.Equal(1, report.Imported);
        var item = Assert.Single(await host.ItemsAsync(project));
        Assert.Equal((20, 40), (item.Width, item.Height));
        using var stored = SKBitmap.Decode(host.MediaPath(item.MediaHash!));
        Assert.Equal((20, 40), (stored.Width, stored.Height));
    }

    [Fact]
    public async Task Zip_entries_escaping_the_archive_are_refused_by_name_and_the_rest_imported()
    {
        var project = await host.CreateProjectAsync(ImageSchema);
        var zip = MediaFiles.Zip(
            ("../evil.png", MediaFiles.Png(4, 4), null),
            ("/etc/abs.png", MediaFiles.Png(4, 4), null),
            ("C:/windows/drive.png", MediaFiles.Png(4, 4), null),
            ("images/link.png", "../../../etc/passwd"u8.ToArray(), unchecked((int)0xA1FF_0000)),
            ("images/ok.png", MediaFiles.Png(4, 4), null),
            ("__MACOSX/images/._ok.png", [0, 5, 22, 7], null));
        var report = await host.ImportAsync(project, ("bundle.zip", zip));

        Assert.Equal(1, report.Imported);
        Assert.Equal("""{"image":"images/ok.png"}""", Assert.Single(await host.ItemsAsync(project)).DataJson);
        Assert.Collection(report.Rejected,
            r => Assert.Equal(("bundle.zip/../evil.png", "../evil.png: the path climbs out of the archive (\"..\")"), (r.Source, r.Error)),
            r => Assert.Equal(("bundle.zip//etc/abs.png", "/etc/abs.png: the path is absolute (starts with \"/\")"), (r.Source, r.Error)),
            r => Assert.Contains("C:/windows/drive.png: the path contains \":\"", r.Error, StringComparison.Ordinal),
            r => Assert.Equal("images/link.png: the entry is a symbolic link; links are not followed", r.Error));
        host.AssertNothingOutsideMediaStore();
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(host.DataDir)!, "evil.png")));
    }

    [Fact]
    public async Task Zip_bomb_entry_is_refused_and_the_good_entry_beside_is_imported()
    {
        var project = await host.CreateProjectAsync(AudioSchema);
        var silence = MediaFiles.Wav(channels: 1, sampleRate: 8000, new byte[8 * 1024 * 1024]);
        var zip = MediaFiles.Zip(("bomb.wav", silence, null), ("clip.wav", MediaFiles.Wav(1, 8000, MediaFiles.Noise(16_000)), null));
        var report = await host.ImportAsync(project, ("bundle.zip", zip));

        Assert.Equal(1, report.Imported);
        var rejection = Assert.Single(report.Rejected);
        Assert.Equal("bundle.zip/bomb.wav", rejection.Source);
        Assert.StartsWith("bomb.wav: compressed ", rejection.Error, StringComparison.Ordinal);
        Assert.Contains("zip bomb", rejection.Error, StringComparison.Ordinal);
        host.AssertNothingOutsideMediaStore();
    }

    [Fact]
    public async Task Archive_declaring_too_much_is_refused_whole()
    {
        await using var limited = new MediaTestHost();
        await limited.StartAsync(new() { ["LabelBench:Media:MaxArchiveEntries"] = "3" });
        var project = await limited.CreateProjectAsync(ImageSchema);
        var zip = MediaFiles.Zip(Enumerable.Range(1, 5).Select(i => ($"{i}.png", MediaFiles.Png(2, 2), (int?)null)).ToArray());
        var report = await limited.ImportAsync(project, ("many.zip", zip));

        Assert.Equal(0, report.Imported);
        Assert.Equal(("many.zip", 0, "the archive declares 5 entries, more than the limit of 3"), (report.Rejected[0].Source, report.Rejected[0].Line, report.Rejected[0].Error));
    }

    [Fact]
    public async Task Manifest_rows_reference_media_and_a_missing_file_is_rejected_with_file_and_line()
    {
        var project = await host.CreateProjectAsync(ImageSchema);
        var manifest = """
            {"id": "a", "data": {"image": "images/a.png"}, "predictions": [{"model": "m", "result": {"objects": []}, "score": 0.5}]}
            {"id": "b", "data": {"image": "images/missing.png"}}
            {"id": "c", "data": {"image": "images/a.png"}, "split": "test"}
            """;
        var zip = MediaFiles.Zip(
            ("manifest.jsonl", Encoding.UTF8.GetBytes(manifest), null),
            ("images/a.png", MediaFiles.Png(6, 6), null),
            ("images/extra.png", MediaFiles.Png(3, 3), null),
            ("README.txt", "hello"u8.ToArray(), null));
        var report = await host.ImportAsync(project, ("set.zip", zip));

        Assert.Equal(2, report.Imported);
        Assert.Collection(report.Rejected,
            r => Assert.Equal(("set.zip/manifest.jsonl", 2, "\"image\" names images/missing.png, which is not in the archive"), (r.Source, r.Line, r.Error)),
            r => Assert.Equal(("set.zip/images/extra.png", 0, "images/extra.png: no row of manifest.jsonl references it; not imported"), (r.Source, r.Line, r.Error)));
        var items = await host.ItemsAsync(project);
        Assert.Equal(["a", "c"], items.Select(i => i.ExternalId));
        Assert.All(items, i => Assert.Equal((6, 6), (i.Width, i.Height)));
        Assert.Single(items.Select(i => i.MediaHash).Distinct());
    }

    [Fact]
    public async Task Malformed_manifest_line_is_rejected_with_its_line_and_the_other_rows_import()
    {
        var project = await host.CreateProjectAsync(ImageSchema);
        var manifest = "{\"image\": \"a.png\"}\n{\"image\": \n{\"image\": \"b.png\"}\n";
        var zip = MediaFiles.Zip(("manifest.jsonl", Encoding.UTF8.GetBytes(manifest), null), ("a.png", MediaFiles.Png(2, 2), null), ("b.png", MediaFiles.Png(3, 2), null));
        var report = await host.ImportAsync(project, ("set.zip", zip));

        Assert.Equal(2, report.Imported);
        var rejection = Assert.Single(report.Rejected);
        Assert.Equal(("set.zip/manifest.jsonl", 2), (rejection.Source, rejection.Line));
        Assert.StartsWith("not valid JSON", rejection.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_utf8_manifest_refuses_the_archive_while_other_files_import()
    {
        var project = await host.CreateProjectAsync(ImageSchema);
        byte[] manifest = [.. "{\"image\": \"a.png\"}\n{\"image\": \"caf"u8.ToArray(), 0xE9, .. ".png\"}\n"u8.ToArray()];
        var zip = MediaFiles.Zip(("manifest.jsonl", manifest, null), ("a.png", MediaFiles.Png(2, 2), null), ("café.png", MediaFiles.Png(2, 2), null));
        var report = await host.ImportAsync(project, ("set.zip", zip), ("alone.png", MediaFiles.Png(5, 5)));

        Assert.Equal(1, report.Imported);
        var rejection = Assert.Single(report.Rejected);
        Assert.Equal(("set.zip/manifest.jsonl", 0), (rejection.Source, rejection.Line));
        Assert.StartsWith("manifest.jsonl: the file is not valid UTF-8", rejection.Error, StringComparison.Ordinal);
        // The archive's rows were discarded: only the lone file is an item; its stored media may stay unreferenced.
        Assert.Equal("""{"image":"alone.png"}""", Assert.Single(await host.ItemsAsync(project)).DataJson);
    }

    [Fact]
    public async Task Csv_manifest_in_a_folder_resolves_paths_from_its_folder_and_streams_a_forward_only_upload()
    {
        var project = await host.CreateProjectAsync(ImageSchema);
        var zip = MediaFiles.Zip(
            ("dataset/manifest.csv", "id,image\nx1,images/a.png\nx2,./images/b.png\nx3,../escape.png\n"u8.ToArray(), null),
            ("dataset/images/a.png", MediaFiles.Png(2, 2), null),
            ("dataset/images/b.png", MediaFiles.Png(2, 3), null));
        var report = await host.ImportAsync(project, forwardOnly: true, ("set.zip", zip));

        Assert.Equal(2, report.Imported);
        var rejection = Assert.Single(report.Rejected);
        Assert.Equal(("set.zip/dataset/manifest.csv", 4), (rejection.Source, rejection.Line));
        Assert.Contains("../escape.png", rejection.Error, StringComparison.Ordinal);
        Assert.Contains("climbs out", rejection.Error, StringComparison.Ordinal);
        host.AssertNothingOutsideMediaStore();
    }

    [Fact]
    public async Task Broken_wav_header_is_refused_and_a_good_wav_gets_duration_and_peaks()
    {
        var project = await host.CreateProjectAsync(AudioSchema);
        var broken = MediaFiles.Wav(1, 8000, MediaFiles.Noise(800));
        broken[22] = 0; // zero channels
        var report = await host.ImportAsync(project, ("broken.wav", broken), ("ok.wav", MediaFiles.Wav(1, 8000, MediaFiles.Noise(16_000))));

        Assert.Equal(1, report.Imported);
        var rejection = Assert.Single(report.Rejected);
        Assert.Equal(("broken.wav", "broken.wav: the WAV header declares 0 channels"), (rejection.Source, rejection.Error));
        var item = Assert.Single(await host.ItemsAsync(project));
        Assert.Equal(("audio/wav", 1.0), (item.MediaType, item.DurationSeconds));

        await using var peaks = await host.Services.GetRequiredService<MediaService>().OpenAsync(Caller.System, project, item.Id, MediaVariant.Peaks);
        Assert.Equal("application/json", peaks.ContentType);
        var json = (await JsonNode.ParseAsync(peaks.Content))!;
        Assert.Equal(100, json["length"]!.GetValue<int>());
        Assert.Equal(200, json["peaks"]![0]!.AsArray().Count);
    }

    [Fact]
    public async Task Same_media_twice_is_stored_once()
    {
        var project = await host.CreateProjectAsync(ImageSchema);
        var png = MediaFiles.Png(9, 9);
        await host.ImportAsync(project, ("one.png", png));
        await host.ImportAsync(project, ("two.png", png));

        var items = await host.ItemsAsync(project);
        Assert.Equal(2, items.Count);
        Assert.Single(items.Select(i => i.MediaHash).Distinct());
        var added = host.AddedFiles().Where(f => f.StartsWith("media/", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, added.Count); // the image and its thumbnail
    }

    [Fact]
    public async Task Media_is_not_served_to_non_members()
    {
        var project = await host.CreateProjectAsync(ImageSchema);
        await host.ImportAsync(project, ("a.png", MediaFiles.Png(2, 2)));
        var item = Assert.Single(await host.ItemsAsync(project));

        var media = host.Services.GetRequiredService<MediaService>();
        var refused = await Assert.ThrowsAsync<ServiceException>(() => media.OpenAsync(new Caller("stranger"), project, item.Id, MediaVariant.Original));
        Assert.Equal(ServiceErrorKind.NotFound, refused.Kind);
    }
}

/// <summary>A data folder, services and a database shared by the tests of a class (each uses its own project); removed afterwards.</summary>
public sealed class MediaTestHost : IAsyncLifetime, IAsyncDisposable
{
    private HashSet<string> before = [];

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), $"lb-media-tests-{Guid.NewGuid():N}", "data");

    public ServiceProvider Services { get; private set; } = null!;

    public async Task StartAsync(Dictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?> { ["LabelBench:DataDir"] = DataDir, ["LabelBench:SeedDemo"] = "false" };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddLabelBenchData(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        Services = services.BuildServiceProvider();
        await DatabaseSetup.MigrateAsync(Services.GetRequiredService<IDbContextFactory<LabelBenchDbContext>>());
        Mark();
    }

    Task IAsyncLifetime.InitializeAsync() => StartAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    /// <summary>Remembers the files present now, for <see cref="AssertNothingOutsideMediaStore"/>.</summary>
    public void Mark() => before = Snapshot();

    public Task<long> CreateProjectAsync(string schema) =>
        Services.GetRequiredService<ProjectService>().CreateAsync(Caller.System, new ProjectDraft("Media", schema, 1, null, null, "sequential"));

    public Task<ImportReport> ImportAsync(long project, params (string Name, byte[] Bytes)[] files) => ImportAsync(project, false, files);

    public Task<ImportReport> ImportAsync(long project, bool forwardOnly, params (string Name, byte[] Bytes)[] files) =>
        Services.GetRequiredService<ImportService>().ImportAsync(
            Caller.System,
            project,
            files.Select(f => new ImportFile(f.Name, f.Bytes.Length, () => forwardOnly ? new ForwardOnlyStream(f.Bytes) : new MemoryStream(f.Bytes, writable: false))).ToList());

    public async Task<List<Item>> ItemsAsync(long project)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<LabelBenchDbContext>>().CreateDbContextAsync();
        return await db.Items.AsNoTracking().Where(i => i.ProjectId == project).OrderBy(i => i.Id).ToListAsync();
    }

    public string MediaPath(string hash) => Path.Combine(DataDir, "media", hash[..2], hash[2..4], hash);

    /// <summary>Every file created in the data folder since the start is the database's or lies under media/ (staging files removed).</summary>
    public void AssertNothingOutsideMediaStore()
    {
        var added = AddedFiles();
        var database = new[] { "labelbench.db", "labelbench.db-wal", "labelbench.db-shm" };
        Assert.All(added, path => Assert.True(path.StartsWith("media/", StringComparison.Ordinal) || database.Contains(path), $"{path} was written outside the media store"));
        Assert.DoesNotContain(added, p => p.StartsWith("media/tmp/", StringComparison.Ordinal));
        var outside = Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(DataDir)!).Select(Path.GetFileName).ToList();
        Assert.Equal(["data"], outside);
    }

    public List<string> AddedFiles() => Snapshot().Except(before).ToList();

    private HashSet<string> Snapshot() =>
        Directory.Exists(DataDir)
            ? Directory.EnumerateFiles(DataDir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(DataDir, f).Replace('\\', '/')).ToHashSet()
            : [];

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(DataDir)!, recursive: true);
    }

    /// <summary>Like an HTTP request body: forward-only.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream inner = new(bytes);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>Real media files for import tests, encoded with SkiaSharp or written byte by byte.</summary>
internal static class MediaFiles
{
    public static byte[] Png(int width, int height, bool noise = false) => Encode(width, height, SKEncodedImageFormat.Png, noise);

    public static byte[] Jpeg(int width, int height) => Encode(width, height, SKEncodedImageFormat.Jpeg, false);

    /// <summary>A PNG signature and IHDR declaring a size, and nothing else.</summary>
    public static byte[] PngHeaderOnly(int width, int height)
    {
        var b = new byte[33];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R' }.CopyTo(b, 0);
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(16), width);
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(20), height);
        b[24] = 8;
        b[25] = 6;
        return b;
    }

    /// <summary>A JPEG with an EXIF APP1 segment whose orientation tag is <paramref name="orientation"/>.</summary>
    public static byte[] JpegWithOrientation(int width, int height, ushort orientation)
    {
        var jpeg = Jpeg(width, height);
        byte[] exif =
        [
            0xFF, 0xE1, 0x00, 34, .. "Exif\0\0"u8.ToArray(),
            .. "MM\0\x2A"u8.ToArray(), 0, 0, 0, 8,
            0, 1,
            0x01, 0x12, 0, 3, 0, 0, 0, 1, (byte)(orientation >> 8), (byte)orientation, 0, 0,
            0, 0, 0, 0,
        ];
        // After the SOI marker and the JFIF APP0 segment.
        var app0End = 4 + ((jpeg[4] << 8) | jpeg[5]);
        return [.. jpeg[..app0End], .. exif, .. jpeg[app0End..]];
    }

    public static byte[] Wav(int channels, int sampleRate, byte[] pcm16)
    {
        var b = new List<byte>();
        b.AddRange("RIFF"u8.ToArray());
        b.AddRange(Le32(36 + pcm16.Length));
        b.AddRange("WAVEfmt "u8.ToArray());
        b.AddRange(Le32(16));
        b.AddRange([1, 0, (byte)channels, 0]);
        b.AddRange(Le32(sampleRate));
        b.AddRange(Le32(sampleRate * channels * 2));
        b.AddRange([(byte)(channels * 2), 0, 16, 0]);
        b.AddRange("data"u8.ToArray());
        b.AddRange(Le32(pcm16.Length));
        b.AddRange(pcm16);
        return [.. b];
    }

    public static byte[] Noise(int bytes)
    {
        var b = new byte[bytes];
        new Random(7).NextBytes(b);
        return b;
    }

    /// <summary>A zip of (name, content, Unix external attributes) entries, names stored exactly as given.</summary>
    public static byte[] Zip(params (string Name, byte[] Content, int? Attributes)[] entries)
    {
        var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content, attributes) in entries)
            {
                var entry = archive.CreateEntry(name, CompressionLevel.Optimal);
                if (attributes is { } a)
                {
                    entry.ExternalAttributes = a;
                }

                using var s = entry.Open();
                s.Write(content);
            }
        }

        return zip.ToArray();
    }

    private static byte[] Encode(int width, int height, SKEncodedImageFormat format, bool noise)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var random = new Random(3);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, noise ? new SKColor((uint)random.Next() | 0xFF000000) : new SKColor((byte)(x * 4), (byte)(y * 4), 128));
            }
        }

        using var data = bitmap.Encode(format, 90);
        return data.ToArray();
    }

    private static byte[] Le32(int v) => [(byte)v, (byte)(v >> 8), (byte)(v >> 16), (byte)(v >> 24)];
}

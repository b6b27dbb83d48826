using System.IO.Compression;
using System.Text.Json.Nodes;
using LabelBench.Core.ActiveLearning;
using LabelBench.Core.Import;
using LabelBench.Core.Media;
using LabelBench.Core.Schemas;
using LabelBench.Data.Media;

namespace LabelBench.Data.Services;

/// <summary>
/// Media files and zip archives. A single image or audio file becomes one item whose data holds the file name under
/// <see cref="MediaDataKey.For"/>. A zip is one import file, all or nothing like a CSV: its entries are read in place
/// (never extracted to disk), each checked against the path rules and <see cref="MediaLimits"/>, and a bad entry is
/// reported by name while the good ones are imported.
/// <list type="bullet">
/// <item>With a <c>manifest.jsonl</c> or <c>manifest.csv</c> (the shallowest one; its folder is where its paths start),
/// each manifest row is an item, read like an uploaded JSONL/CSV file; its media reference (<see cref="MediaDataKey.FindReference"/>)
/// must name a good file in the archive, else the row is rejected with the manifest line and the file. Media files
/// no row references are reported as not imported; other files (a README) are ignored.</item>
/// <item>Without a manifest each file is one item, as if uploaded alone; a file that is not media is reported.</item>
/// </list>
/// Report sources name the archive and the entry (<c>photos.zip/images/a.png</c>, <c>photos.zip/manifest.jsonl</c>).
/// Media is stored as it is validated, before the import commits: when an import is discarded its items go, and the
/// files it stored stay in the content-addressed store unreferenced (harmless, and reused if the same bytes return).
/// </summary>
public sealed partial class ImportService
{
    private static readonly string[] ManifestNames = ["manifest.jsonl", "manifest.csv"];

    private static bool IsMediaOrArchive(string name) =>
        MediaTypes.FromFileName(name) is not null || IsZip(name);

    private static bool IsZip(string name) => string.Equals(Path.GetExtension(name), ".zip", StringComparison.OrdinalIgnoreCase);

    private async Task<(int Imported, List<ImportRejection> Rejected)> ImportMediaFileAsync(
        Caller caller, long projectId, LabelSchema schema, UncertaintyMeasure measure, ImportFile file, string name, MediaImporter importer, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var rejected = new List<ImportRejection>();
        var batchId = await BeginBatchAsync(caller, projectId, name, ct);
        var tally = new ImportTally();
        var sink = new MediaItemSink(this, caller, projectId, schema, measure, batchId, name, rejected, tally, progress);
        ImportRejection? fatal;
        try
        {
            await using var stream = file.Open();
            fatal = IsZip(name)
                ? await ReadArchiveAsync(stream, name, schema, importer, sink, rejected, ct)
                : await ReadSingleMediaAsync(stream, name, schema, importer, sink, ct);
            if (fatal is null)
            {
                await sink.FlushAsync(ct);
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            fatal = new ImportRejection(name, 0, $"the file could not be read: {ex.Message}");
        }
        catch (OperationCanceledException)
        {
            await DiscardAsync(batchId, CancellationToken.None);
            throw;
        }

        if (fatal is not null)
        {
            // Nothing from the file was imported: the reason it was refused whole is the report.
            await DiscardAsync(batchId, ct);
            return (0, [fatal]);
        }

        await CommitAsync(caller, projectId, batchId, name, sink.Written, rejected.Count, tally, ct);
        progress?.Report(new ImportProgress(name, sink.Written, rejected.Count));
        return (sink.Written, rejected);
    }

    private static async Task<ImportRejection?> ReadSingleMediaAsync(
        Stream stream, string name, LabelSchema schema, MediaImporter importer, MediaItemSink sink, CancellationToken ct)
    {
        var kind = MediaTypes.KindOf(MediaTypes.FromFileName(name))!.Value;
        var max = importer.Limits.MaxBytes(kind);
        var result = await importer.ImportAsync(stream, name, max, $"{ArchivePath.Display(name)}: larger than the limit of {MediaProbe.Bytes(max)} for {(kind == MediaKind.Image ? "an image" : "audio")}", ct);
        if (result.Media is not { } media)
        {
            return new ImportRejection(name, 0, result.Error!);
        }

        var record = new ImportRecord(1, null, new JsonObject { [MediaDataKey.For(schema, media.Kind)] = name }, [], null);
        if (MissingSourceKey(schema, record) is { } missing)
        {
            return new ImportRejection(name, 0, $"{missing}; to give media files more data, upload them in a zip with a manifest.jsonl or manifest.csv");
        }

        await sink.AddAsync(record, media, ct);
        return null;
    }

    private static async Task<ImportRejection?> ReadArchiveAsync(
        Stream stream, string name, LabelSchema schema, MediaImporter importer, MediaItemSink sink, List<ImportRejection> rejected, CancellationToken ct)
    {
        var limits = importer.Limits;
        StagedMedia? spilled = null;
        Stream? spilledStream = null;
        try
        {
            var zip = stream;
            if (!stream.CanSeek)
            {
                // The central directory is at the end: a forward-only upload is buffered in the media store's staging area first.
                spilled = await importer.BufferAsync(stream, limits.MaxArchiveBytes, ct);
                if (spilled is null)
                {
                    return new ImportRejection(name, 0, $"the archive is larger than the limit of {MediaProbe.Bytes(limits.MaxArchiveBytes)}");
                }

                zip = spilledStream = spilled.OpenRead();
            }
            else if (stream.Length - stream.Position > limits.MaxArchiveBytes)
            {
                return new ImportRejection(name, 0, $"the archive is larger than the limit of {MediaProbe.Bytes(limits.MaxArchiveBytes)}");
            }

            if (ZipDirectory.DeclaredEntryCount(zip) is { } declared && declared > limits.MaxArchiveEntries)
            {
                return new ImportRejection(name, 0, $"the archive declares {declared} entries, more than the limit of {limits.MaxArchiveEntries}");
            }

            zip.Position = 0;
            ZipArchive archive;
            IReadOnlyList<ZipArchiveEntry> entries;
            try
            {
                archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
                entries = archive.Entries;
            }
            catch (InvalidDataException ex)
            {
                return new ImportRejection(name, 0, $"not a valid zip archive ({ex.Message})");
            }

            using (archive)
            {
                return await ReadEntriesAsync(archive, entries, name, schema, importer, sink, rejected, ct);
            }
        }
        finally
        {
            if (spilledStream is not null)
            {
                await spilledStream.DisposeAsync();
            }

            if (spilled is not null)
            {
                await spilled.DisposeAsync();
            }
        }
    }

    private static async Task<ImportRejection?> ReadEntriesAsync(
        ZipArchive archive, IReadOnlyList<ZipArchiveEntry> entries, string name, LabelSchema schema, MediaImporter importer, MediaItemSink sink,
        List<ImportRejection> rejected, CancellationToken ct)
    {
        var limits = importer.Limits;
        if (entries.Count > limits.MaxArchiveEntries)
        {
            return new ImportRejection(name, 0, $"the archive holds {entries.Count} entries, more than the limit of {limits.MaxArchiveEntries}");
        }

        var total = entries.Sum(e => e.Length);
        if (total > limits.MaxArchiveUncompressedBytes)
        {
            return new ImportRejection(name, 0, $"the archive unpacks to {MediaProbe.Bytes(total)}, more than the limit of {MediaProbe.Bytes(limits.MaxArchiveUncompressedBytes)}");
        }

        var files = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        var refused = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (ArchivePath.IsFolder(entry.FullName) && entry.Length == 0)
            {
                continue;
            }

            var shown = ArchivePath.Display(entry.FullName);
            var mediaType = MediaTypes.FromFileName(entry.FullName);
            var max = mediaType is not null ? limits.MaxBytes(MediaTypes.KindOf(mediaType)!.Value) : limits.MaxArchiveUncompressedBytes;
            var path = ArchiveEntryCheck.Check(entry.FullName, entry.ExternalAttributes, entry.Length, entry.CompressedLength, max, limits, out var problem);
            if (path is null)
            {
                rejected.Add(EntryRejection(name, entry.FullName, $"{shown}: {problem}"));
                if (ArchivePath.Normalize(entry.FullName, out _) is { } normalized)
                {
                    refused[normalized] = problem;
                }

                continue;
            }

            if (ArchivePath.IsClutter(path))
            {
                continue;
            }

            if (entry.IsEncrypted)
            {
                rejected.Add(EntryRejection(name, entry.FullName, $"{shown}: the entry is encrypted; LabelBench reads unencrypted archives"));
                refused[path] = "it is encrypted";
                continue;
            }

            if (!files.TryAdd(path, entry))
            {
                rejected.Add(EntryRejection(name, entry.FullName, $"{shown}: a second entry with the same path"));
            }
        }

        var manifests = files.Keys.Where(p => ManifestNames.Contains(p[(p.LastIndexOf('/') + 1)..], StringComparer.OrdinalIgnoreCase)).ToList();
        if (manifests.Count == 0)
        {
            await ReadWithoutManifestAsync(files, name, schema, importer, sink, rejected, ct);
            return null;
        }

        var depth = manifests.Min(p => p.Count(c => c == '/'));
        var shallowest = manifests.Where(p => p.Count(c => c == '/') == depth).ToList();
        if (shallowest.Count > 1)
        {
            return new ImportRejection(name, 0, $"the archive has {string.Join(" and ", shallowest)}; keep one manifest");
        }

        return await ReadWithManifestAsync(files, refused, shallowest[0], name, schema, importer, sink, rejected, ct);
    }

    private static async Task ReadWithoutManifestAsync(
        Dictionary<string, ZipArchiveEntry> files, string name, LabelSchema schema, MediaImporter importer, MediaItemSink sink, List<ImportRejection> rejected, CancellationToken ct)
    {
        var ordinal = 0;
        foreach (var (path, entry) in files)
        {
            ordinal++;
            var shown = ArchivePath.Display(path);
            if (MediaTypes.FromFileName(path) is null)
            {
                rejected.Add(EntryRejection(name, path, $"{shown}: not a media file ({MediaTypes.Describe()}); to import other data, add a manifest.jsonl or manifest.csv"));
                continue;
            }

            var result = await ImportEntryAsync(entry, path, importer, ct);
            if (result.Media is not { } media)
            {
                rejected.Add(EntryRejection(name, path, result.Error!));
                continue;
            }

            var record = new ImportRecord(ordinal, null, new JsonObject { [MediaDataKey.For(schema, media.Kind)] = path }, [], null);
            if (MissingSourceKey(schema, record) is { } missing)
            {
                rejected.Add(EntryRejection(name, path, $"{shown}: {missing}; give media files more data with a manifest.jsonl or manifest.csv"));
                continue;
            }

            await sink.AddAsync(record, media, ct);
        }
    }

    private static async Task<ImportRejection?> ReadWithManifestAsync(
        Dictionary<string, ZipArchiveEntry> files, Dictionary<string, string> refused, string manifestPath, string name, LabelSchema schema,
        MediaImporter importer, MediaItemSink sink, List<ImportRejection> rejected, CancellationToken ct)
    {
        var source = $"{name}/{manifestPath}";
        var folder = ArchivePath.FolderOf(manifestPath);
        IItemReader reader = manifestPath.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? new CsvItemReader() : new JsonlItemReader();
        var stored = new Dictionary<string, MediaImportResult>(StringComparer.Ordinal);
        var referenced = new HashSet<string>(StringComparer.Ordinal) { manifestPath };
        sink.Source = source;
        await using (var manifest = files[manifestPath].Open())
        {
            await foreach (var row in reader.ReadAsync(manifest, source, ct).WithCancellation(ct))
            {
                if (row.Rejection is { } rejection)
                {
                    if (rejection.IsWholeFile)
                    {
                        return rejection with { Error = $"{manifestPath}: {rejection.Error}" };
                    }

                    rejected.Add(rejection);
                    continue;
                }

                var record = row.Record!;
                if (MissingSourceKey(schema, record) is { } missing)
                {
                    rejected.Add(new ImportRejection(source, record.Line, missing));
                    continue;
                }

                StoredMedia? media = null;
                if (MediaDataKey.FindReference(schema, record.Data) is { } reference)
                {
                    string? problem;
                    (media, problem) = await ResolveAsync(reference);
                    if (problem is not null)
                    {
                        rejected.Add(new ImportRejection(source, record.Line, problem));
                        continue;
                    }
                }

                await sink.AddAsync(record, media, ct);
            }
        }

        foreach (var path in files.Keys.Where(p => !referenced.Contains(p) && MediaTypes.FromFileName(p) is not null))
        {
            rejected.Add(EntryRejection(name, path, $"{ArchivePath.Display(path)}: no row of {manifestPath} references it; not imported"));
        }

        return null;

        async Task<(StoredMedia? Media, string? Problem)> ResolveAsync(MediaReference reference)
        {
            var key = reference.Key;
            var shown = ArchivePath.Display(reference.Path);
            if (reference.Path.Contains("://", StringComparison.Ordinal))
            {
                return (null, $"\"{key}\" is a URL (\"{shown}\"); put the file in the archive and give its path");
            }

            var path = ArchivePath.Resolve(reference.Path, folder, out var pathProblem);
            if (path is null)
            {
                return (null, $"\"{key}\": \"{shown}\": {pathProblem}");
            }

            referenced.Add(path);
            if (!files.TryGetValue(path, out var entry))
            {
                return (null, refused.TryGetValue(path, out var why)
                    ? $"\"{key}\" names {ArchivePath.Display(path)}, which was refused: {why}"
                    : $"\"{key}\" names {ArchivePath.Display(path)}, which is not in the archive");
            }

            if (!stored.TryGetValue(path, out var result))
            {
                result = await ImportEntryAsync(entry, path, importer, ct);
                stored[path] = result;
            }

            if (result.Media is not { } media)
            {
                return (null, $"\"{key}\" names {result.Error}");
            }

            if (reference.Expected is { } expected && media.Kind != expected)
            {
                return (null, $"\"{key}\" names {ArchivePath.Display(path)}, which is {(media.Kind == MediaKind.Image ? "an image" : "audio")}, but the schema reads {(expected == MediaKind.Image ? "images" : "audio")} there");
            }

            return (media, null);
        }
    }

    private static async Task<MediaImportResult> ImportEntryAsync(ZipArchiveEntry entry, string path, MediaImporter importer, CancellationToken ct)
    {
        try
        {
            await using var content = entry.Open();
            return await importer.ImportAsync(content, path, entry.Length, $"{ArchivePath.Display(path)}: the entry holds more data than its header declares", ct);
        }
        catch (InvalidDataException ex)
        {
            return MediaImportResult.Refused($"{ArchivePath.Display(path)}: the entry cannot be read ({ex.Message})");
        }
    }

    private static ImportRejection EntryRejection(string archive, string entryName, string error) =>
        new($"{archive}/{ArchivePath.Display(entryName)}", 0, error);

    private async Task<long> BeginBatchAsync(Caller caller, long projectId, string source, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var batch = new Entities.ImportBatch { ProjectId = projectId, UserId = caller == Caller.System ? null : caller.UserId, Source = source, CreatedAt = time.GetUtcNow() };
        db.ImportBatches.Add(batch);
        await db.SaveChangesAsync(ct);
        return batch.Id;
    }

    /// <summary>Collects one import file's items with their media and writes them in batches of <see cref="BatchSize"/>.</summary>
    private sealed class MediaItemSink(ImportService service, Caller caller, long projectId, LabelSchema schema, UncertaintyMeasure measure, long batchId, string source, List<ImportRejection> rejected, ImportTally tally, IProgress<ImportProgress>? progress)
    {
        private readonly List<ImportRecord> pending = new(BatchSize);
        private readonly Dictionary<ImportRecord, StoredMedia> media = new(ReferenceEqualityComparer.Instance);

        /// <summary>The report source of rows written from now on (the manifest, when there is one).</summary>
        public string Source { get; set; } = source;

        public int Written { get; private set; }

        public async Task AddAsync(ImportRecord record, StoredMedia? stored, CancellationToken ct)
        {
            pending.Add(record);
            if (stored is not null)
            {
                media[record] = stored;
            }

            if (pending.Count >= BatchSize)
            {
                await FlushAsync(ct);
            }
        }

        public async Task FlushAsync(CancellationToken ct)
        {
            if (pending.Count == 0)
            {
                return;
            }

            Written += await service.WriteBatchAsync(caller, projectId, schema, batchId, Source, measure, pending, rejected, tally, media, ct);
            pending.Clear();
            media.Clear();
            progress?.Report(new ImportProgress(Source, Written, rejected.Count));
        }
    }
}

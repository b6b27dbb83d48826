using System.IO.Compression;
using System.Text.Json.Nodes;
using LabelBench.Data.Entities;
using Microsoft.Extensions.Logging;

namespace LabelBench.Data.Services;

/// <summary>Creates the demo projects from <c>samples/</c> (one folder each: project.json, schema.json, the data).</summary>
public sealed class DemoSeeder(ProjectService projects, ImportService import, ILogger<DemoSeeder> logger)
{
    public async Task<IReadOnlyList<long>> SeedAsync(Caller lead, string samplesDir, CancellationToken ct = default)
    {
        var created = new List<long>();
        if (!Directory.Exists(samplesDir))
        {
            logger.LogWarning("No demo projects: the samples folder {Dir} does not exist.", samplesDir);
            return created;
        }

        foreach (var dir in Directory.GetDirectories(samplesDir).Order(StringComparer.Ordinal))
        {
            var projectFile = Path.Combine(dir, "project.json");
            var schemaFile = Path.Combine(dir, "schema.json");
            if (!File.Exists(projectFile) || !File.Exists(schemaFile))
            {
                continue;
            }

            var meta = JsonNode.Parse(await File.ReadAllTextAsync(projectFile, ct))?.AsObject() ?? [];
            var draft = new ProjectDraft(
                meta["name"]?.GetValue<string>() ?? Path.GetFileName(dir),
                await File.ReadAllTextAsync(schemaFile, ct),
                meta["overlap"]?.GetValue<int>() ?? 1,
                meta["description"]?.GetValue<string>(),
                meta["guidelines"]?.GetValue<string>(),
                meta["queueOrder"]?.GetValue<string>() ?? "sequential",
                MaxOverlap: meta["maxOverlap"]?.GetValue<int>());
            var id = await projects.CreateAsync(lead, draft, ct);
            foreach (var role in new[] { ProjectRole.Lead, ProjectRole.Annotator, ProjectRole.Reviewer })
            {
                await projects.AddMemberByIdAsync(lead, id, lead.UserId, role, ct);
            }

            var report = await import.ImportAsync(lead, id, DataFiles(dir), ct: ct);
            foreach (var r in report.Rejected)
            {
                logger.LogWarning("Demo {Dir}: {Source} line {Line}: {Error}", Path.GetFileName(dir), r.Source, r.Line, r.Error);
            }

            logger.LogInformation("Demo project {Name} (id {Id}): {Count} items.", draft.Name, id, report.Imported);
            created.Add(id);
        }

        return created;
    }

    /// <summary>Item files as they are; a manifest with media beside it goes in as one zip archive, as a user would upload it.</summary>
    private static List<ImportFile> DataFiles(string dir)
    {
        var files = new List<ImportFile>();
        foreach (var path in Directory.GetFiles(dir, "items.*").Order(StringComparer.Ordinal))
        {
            files.Add(new ImportFile(Path.GetFileName(path), new FileInfo(path).Length, () => File.OpenRead(path)));
        }

        var manifest = Path.Combine(dir, "manifest.jsonl");
        if (File.Exists(manifest))
        {
            var zip = new MemoryStream();
            using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
            {
                foreach (var path in Directory.GetFiles(dir, "*", SearchOption.AllDirectories)
                    .Where(p => !p.EndsWith(".json", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
                {
                    archive.CreateEntryFromFile(path, Path.GetRelativePath(dir, path).Replace('\\', '/'));
                }
            }

            var bytes = zip.ToArray();
            files.Add(new ImportFile(Path.GetFileName(dir) + ".zip", bytes.Length, () => new MemoryStream(bytes, writable: false)));
        }

        return files;
    }
}

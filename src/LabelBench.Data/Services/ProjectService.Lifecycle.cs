using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LabelBench.Data.Services;

/// <summary>What deleting a project removed.</summary>
public sealed record ProjectDeletion(long Items, long Annotations, int MediaFiles);

public sealed partial class ProjectService
{
    /// <summary>
    /// Archives a project (leads and admins): it leaves the project list and hands out no more items, and everything
    /// in it stays readable and exportable. <paramref name="archived"/> false brings it back.
    /// </summary>
    public async Task ArchiveAsync(Caller caller, long projectId, bool archived = true, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ProjectAccess.RequireLeadAsync(db, caller, projectId, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var project = await db.Projects.SingleAsync(p => p.Id == projectId, ct);
        if ((project.ArchivedAt is not null) == archived)
        {
            return;
        }

        var before = project.ArchivedAt;
        project.ArchivedAt = archived ? time.GetUtcNow() : null;
        await audit.AppendAsync(db, archived ? "project.archived" : "project.unarchived", caller, projectId, "project", projectId.ToString(CultureInfo.InvariantCulture),
            before: new { archivedAt = before }, after: new { archivedAt = project.ArchivedAt }, ct: ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// Deletes a project for good (leads and admins) when <paramref name="confirmName"/> is its exact name: items,
    /// annotations, predictions, decisions, members, schema versions, and the media files no other project's item
    /// references. The deletion is audited; the audit trail itself keeps the project's events.
    /// </summary>
    public async Task<ProjectDeletion> DeleteAsync(Caller caller, long projectId, string confirmName, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ProjectAccess.RequireLeadAsync(db, caller, projectId, ct);
        var name = await db.Projects.Where(p => p.Id == projectId).Select(p => p.Name).SingleAsync(ct);
        if (!string.Equals(confirmName, name, StringComparison.Ordinal))
        {
            throw ServiceException.Invalid($"confirmName: type the project's name \"{name}\" exactly to delete it", [new("confirmName", $"must be \"{name}\"")]);
        }

        var orphanedMedia = new List<string>();
        ProjectDeletion deletion;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var hashes = await db.Items.AsNoTracking().Where(i => i.ProjectId == projectId && i.MediaHash != null)
                .Select(i => i.MediaHash!).Distinct().ToListAsync(ct);
            var items = await db.Items.LongCountAsync(i => i.ProjectId == projectId, ct);
            var annotations = await db.Annotations.LongCountAsync(a => a.ProjectId == projectId, ct);

            // Children first, each in one statement over its project index (a cascade would visit them row by row).
            await db.Annotations.Where(a => a.ProjectId == projectId).ExecuteDeleteAsync(ct);
            await db.Adjudications.Where(a => a.ProjectId == projectId).ExecuteDeleteAsync(ct);
            await db.Assignments.Where(a => a.ProjectId == projectId).ExecuteDeleteAsync(ct);
            await db.Predictions.Where(p => p.ProjectId == projectId).ExecuteDeleteAsync(ct);
            await db.Items.Where(i => i.ProjectId == projectId).ExecuteDeleteAsync(ct);
            await db.ImportBatches.Where(b => b.ProjectId == projectId).ExecuteDeleteAsync(ct);
            await db.ProjectMembers.Where(m => m.ProjectId == projectId).ExecuteDeleteAsync(ct);
            await db.SchemaVersions.Where(s => s.ProjectId == projectId).ExecuteDeleteAsync(ct);
            await db.Projects.Where(p => p.Id == projectId).ExecuteDeleteAsync(ct);

            // The store is content-addressed: another project may hold the same file.
            foreach (var chunk in hashes.Chunk(ItemFinality.BatchSize))
            {
                var stillUsed = (await db.Items.AsNoTracking().Where(i => i.MediaHash != null && chunk.Contains(i.MediaHash))
                    .Select(i => i.MediaHash!).Distinct().ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
                var unused = chunk.Where(h => !stillUsed.Contains(h)).ToList();
                await db.MediaObjects.Where(m => unused.Contains(m.Hash)).ExecuteDeleteAsync(ct);
                orphanedMedia.AddRange(unused);
            }

            deletion = new ProjectDeletion(items, annotations, orphanedMedia.Count);
            await audit.AppendAsync(db, "project.deleted", caller, projectId, "project", projectId.ToString(CultureInfo.InvariantCulture),
                before: new { name, items, annotations }, after: new { deleted = true, mediaFilesRemoved = orphanedMedia.Count }, ct: ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        // Files go only after the rows are gone for good: a rolled-back delete must not lose media.
        foreach (var hash in orphanedMedia)
        {
            foreach (var path in MediaStorePaths.Candidates(options.Value.MediaDir, hash))
            {
                try
                {
                    File.Delete(path);
                }
                catch (IOException ex)
                {
                    logger.LogWarning(ex, "Could not delete media file {Path} of deleted project {ProjectId}", path, projectId);
                }
                catch (UnauthorizedAccessException ex)
                {
                    logger.LogWarning(ex, "Could not delete media file {Path} of deleted project {ProjectId}", path, projectId);
                }
            }
        }

        return deletion;
    }
}

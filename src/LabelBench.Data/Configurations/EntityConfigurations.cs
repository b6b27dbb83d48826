using LabelBench.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LabelBench.Data.Configurations;

internal sealed class ProjectConfiguration : IEntityTypeConfiguration<Project>
{
    public void Configure(EntityTypeBuilder<Project> b)
    {
        b.Property(p => p.Name).HasMaxLength(200);
        b.Property(p => p.QueueOrder).HasMaxLength(20);
        b.Property(p => p.AgreementRule).HasMaxLength(20);
        b.Property(p => p.PseudonymSalt).HasMaxLength(64);
        b.PrimitiveCollection(p => p.HiddenDataKeys);
        b.Property(p => p.UncertaintyMeasure).HasMaxLength(20);
        b.Property(p => p.ModelServiceUrl).HasMaxLength(500);
        b.HasIndex(p => p.Name);
        b.HasMany(p => p.Members).WithOne(m => m.Project).HasForeignKey(m => m.ProjectId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(p => p.SchemaVersions).WithOne().HasForeignKey(s => s.ProjectId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ProjectMemberConfiguration : IEntityTypeConfiguration<ProjectMember>
{
    public void Configure(EntityTypeBuilder<ProjectMember> b)
    {
        b.HasIndex(m => new { m.ProjectId, m.UserId, m.Role }).IsUnique();
        b.HasIndex(m => m.UserId);
        b.Property(m => m.Role).HasConversion<string>().HasMaxLength(20);
        b.HasOne(m => m.User).WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SchemaVersionConfiguration : IEntityTypeConfiguration<SchemaVersion>
{
    public void Configure(EntityTypeBuilder<SchemaVersion> b) => b.HasIndex(s => new { s.ProjectId, s.Version }).IsUnique();
}

internal sealed class ItemConfiguration : IEntityTypeConfiguration<Item>
{
    /// <summary>The same text in SQLite (integer 0/1) and PostgreSQL (boolean): a bare, quoted column.</summary>
    private const string OpenFilter = "\"Open\"";

    public void Configure(EntityTypeBuilder<Item> b)
    {
        b.HasOne<Project>().WithMany().HasForeignKey(i => i.ProjectId).OnDelete(DeleteBehavior.Cascade);
        b.Property(i => i.ExternalId).HasMaxLength(200);
        b.Property(i => i.Split).HasMaxLength(20);
        b.Property(i => i.MediaHash).HasMaxLength(64);
        b.Property(i => i.MediaType).HasMaxLength(100);
        b.HasIndex(i => new { i.ProjectId, i.ExternalId }).IsUnique();
        // The queue's three orders, each a partial index over open items only, so full items cost nothing and the
        // index stays small as a project completes. The queue filters on the bare column (WHERE "Open"), which is what
        // lets SQLite's planner match the index's WHERE; SQLite cannot use an index for "Open" as a bare term of a
        // (ProjectId, Open, ...) index, and then sorted every item of the project per call (see the benchmark README).
        // Sequential order is import order (the id).
        b.HasIndex(i => new { i.ProjectId, i.Id }, "IX_Items_OpenSequential").HasFilter(OpenFilter);
        b.HasIndex(i => new { i.ProjectId, i.RandomKey, i.Id }, "IX_Items_OpenRandom").HasFilter(OpenFilter);
        // Most uncertain first, ties in import order; items without a prediction are read with "Uncertainty IS NULL",
        // an equality on the same index, then in import order.
        b.HasIndex(i => new { i.ProjectId, i.Uncertainty, i.Id }, "IX_Items_OpenUncertainty").IsDescending(false, true, false).HasFilter(OpenFilter);
        b.HasIndex(i => new { i.ProjectId, i.Pending, i.Id });
        b.HasIndex(i => i.ImportId);
        // The review queue: complete items, most disagreement first.
        b.HasIndex(i => new { i.ProjectId, i.SubmittedCount, i.ReviewScore });
        // Progress counters are recounted from these when the overlap or the agreement rule changes.
        b.HasIndex(i => new { i.ProjectId, i.Final });
        // Deleting a project removes only media files no other item references.
        b.HasIndex(i => i.MediaHash);
    }
}

internal sealed class MediaObjectConfiguration : IEntityTypeConfiguration<MediaObject>
{
    public void Configure(EntityTypeBuilder<MediaObject> b)
    {
        b.HasKey(m => m.Hash);
        b.Property(m => m.Hash).HasMaxLength(64);
        b.Property(m => m.ContentType).HasMaxLength(100);
        b.Property(m => m.ThumbnailHash).HasMaxLength(64);
        b.Property(m => m.PeaksHash).HasMaxLength(64);
    }
}

internal sealed class AnnotationConfiguration : IEntityTypeConfiguration<Annotation>
{
    public void Configure(EntityTypeBuilder<Annotation> b)
    {
        b.HasOne(a => a.Item).WithMany().HasForeignKey(a => a.ItemId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<ApplicationUser>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Restrict);
        // One annotation per person per item: the database refuses a second.
        b.HasIndex(a => new { a.ItemId, a.UserId }).IsUnique();
        b.HasIndex(a => new { a.ProjectId, a.Status, a.SubmittedAt });
        // Per-annotator counts, and medians of time spent (the middle row of an ordered index range).
        b.HasIndex(a => new { a.ProjectId, a.UserId, a.Status, a.TimeSpentMs });
        b.HasIndex(a => new { a.ProjectId, a.Status, a.TimeSpentMs });
        // An annotator's progress and history (their last submissions, newest first).
        b.HasIndex(a => new { a.ProjectId, a.UserId, a.Status, a.SubmittedAt });
        b.Property(a => a.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(a => a.IdempotencyKey).HasMaxLength(100);
    }
}

internal sealed class AssignmentConfiguration : IEntityTypeConfiguration<Assignment>
{
    public void Configure(EntityTypeBuilder<Assignment> b)
    {
        b.HasOne<Item>().WithMany().HasForeignKey(a => a.ItemId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(a => new { a.ItemId, a.UserId }).IsUnique();
        b.HasIndex(a => new { a.ProjectId, a.UserId, a.State });
        b.HasIndex(a => new { a.ProjectId, a.State, a.ExpiresAt });
        b.Property(a => a.State).HasConversion<string>().HasMaxLength(20);
    }
}

internal sealed class PredictionConfiguration : IEntityTypeConfiguration<Prediction>
{
    public void Configure(EntityTypeBuilder<Prediction> b)
    {
        b.HasOne<Item>().WithMany().HasForeignKey(p => p.ItemId).OnDelete(DeleteBehavior.Cascade);
        b.Property(p => p.Model).HasMaxLength(200);
        b.HasIndex(p => new { p.ItemId, p.CreatedAt });
        b.HasIndex(p => new { p.ProjectId, p.Model });
        b.HasIndex(p => p.ImportId);
        // Predictions of a file still being imported are invisible everywhere until the file commits.
        b.HasQueryFilter(p => !p.Pending);
    }
}

internal sealed class AdjudicationConfiguration : IEntityTypeConfiguration<Adjudication>
{
    public void Configure(EntityTypeBuilder<Adjudication> b)
    {
        b.HasOne<Item>().WithMany().HasForeignKey(a => a.ItemId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(a => a.ItemId).IsUnique();
        b.HasIndex(a => a.ProjectId);
        b.Property(a => a.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(a => a.Version).IsConcurrencyToken();
    }
}

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> b)
    {
        // Two writers racing to extend the chain from the same event: the unique index lets only one win.
        b.HasIndex(e => e.Sequence).IsUnique();
        b.HasIndex(e => e.PreviousHash).IsUnique();
        b.HasIndex(e => new { e.ProjectId, e.Sequence });
        b.Property(e => e.Action).HasMaxLength(100);
        b.Property(e => e.EntityType).HasMaxLength(100);
        b.Property(e => e.EntityId).HasMaxLength(100);
        b.Property(e => e.PreviousHash).HasMaxLength(64);
        b.Property(e => e.Hash).HasMaxLength(64);
    }
}

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> b)
    {
        b.HasOne(t => t.User).WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(t => t.TokenHash).IsUnique();
        b.Property(t => t.Name).HasMaxLength(100);
        b.Property(t => t.Prefix).HasMaxLength(20);
        b.Property(t => t.TokenHash).HasMaxLength(64);
    }
}

internal sealed class ImportBatchConfiguration : IEntityTypeConfiguration<ImportBatch>
{
    public void Configure(EntityTypeBuilder<ImportBatch> b)
    {
        b.HasOne<Project>().WithMany().HasForeignKey(i => i.ProjectId).OnDelete(DeleteBehavior.Cascade);
        b.Property(i => i.Source).HasMaxLength(500);
    }
}

internal sealed class AuditHeadConfiguration : IEntityTypeConfiguration<AuditHead>
{
    public void Configure(EntityTypeBuilder<AuditHead> b)
    {
        b.Property(h => h.Id).ValueGeneratedNever();
        b.Property(h => h.Hash).HasMaxLength(64);
    }
}

using LabelBench.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LabelBench.Data.Configurations;

internal sealed class ExportSnapshotConfiguration : IEntityTypeConfiguration<ExportSnapshot>
{
    public void Configure(EntityTypeBuilder<ExportSnapshot> b)
    {
        b.HasOne<Project>().WithMany().HasForeignKey(s => s.ProjectId).OnDelete(DeleteBehavior.Cascade);
        // A name always means the same bytes within a project.
        b.HasIndex(s => new { s.ProjectId, s.Name }).IsUnique();
        b.HasIndex(s => new { s.Status, s.LeaseExpiresAt });
        b.Property(s => s.Name).HasMaxLength(200);
        b.Property(s => s.Format).HasMaxLength(20);
        b.Property(s => s.Source).HasMaxLength(20);
        b.Property(s => s.Status).HasMaxLength(20);
        b.Property(s => s.LeaseOwner).HasMaxLength(100);
        b.Property(s => s.Error).HasMaxLength(2000);
        b.HasMany(s => s.Files).WithOne().HasForeignKey(f => f.SnapshotId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ExportSnapshotFileConfiguration : IEntityTypeConfiguration<ExportSnapshotFile>
{
    public void Configure(EntityTypeBuilder<ExportSnapshotFile> b)
    {
        b.HasIndex(f => new { f.SnapshotId, f.Name }).IsUnique();
        b.Property(f => f.Name).HasMaxLength(200);
        b.Property(f => f.Sha256).HasMaxLength(64);
    }
}

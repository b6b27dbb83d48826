using LabelBench.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LabelBench.Data.Configurations;

internal sealed class ModelTrainingRunConfiguration : IEntityTypeConfiguration<ModelTrainingRun>
{
    public void Configure(EntityTypeBuilder<ModelTrainingRun> b)
    {
        b.HasOne<Project>().WithMany().HasForeignKey(r => r.ProjectId).OnDelete(DeleteBehavior.Cascade);
        b.Property(r => r.Kind).HasMaxLength(20);
        b.Property(r => r.Model).HasMaxLength(200);
        b.Property(r => r.Field).HasMaxLength(200);
        b.Property(r => r.Status).HasMaxLength(20);
        b.Property(r => r.Trigger).HasMaxLength(20);
        b.Property(r => r.Error).HasMaxLength(2000);
        // Two trainings racing for the same version number: the second insert fails instead of mixing predictions.
        b.HasIndex(r => new { r.ProjectId, r.Model }).IsUnique();
        b.HasIndex(r => new { r.ProjectId, r.StartedAt });
    }
}

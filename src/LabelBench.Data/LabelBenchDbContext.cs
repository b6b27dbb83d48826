using LabelBench.Data.Entities;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace LabelBench.Data;

/// <summary>The database of LabelBench: Identity tables plus projects, items, annotations and the audit chain.</summary>
public abstract class LabelBenchDbContext(DbContextOptions options) : IdentityDbContext<ApplicationUser>(options), IDataProtectionKeyContext
{
    /// <summary>Cookie and antiforgery keys, shared by every app instance on the same database.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Project> Projects => Set<Project>();
    public DbSet<ProjectMember> ProjectMembers => Set<ProjectMember>();
    public DbSet<SchemaVersion> SchemaVersions => Set<SchemaVersion>();
    public DbSet<Item> Items => Set<Item>();
    public DbSet<MediaObject> MediaObjects => Set<MediaObject>();
    public DbSet<Annotation> Annotations => Set<Annotation>();
    public DbSet<Assignment> Assignments => Set<Assignment>();
    public DbSet<Prediction> Predictions => Set<Prediction>();
    public DbSet<Adjudication> Adjudications => Set<Adjudication>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<AuditHead> AuditHeads => Set<AuditHead>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<ImportBatch> ImportBatches => Set<ImportBatch>();
    public DbSet<ExportSnapshot> ExportSnapshots => Set<ExportSnapshot>();
    public DbSet<ExportSnapshotFile> ExportSnapshotFiles => Set<ExportSnapshotFile>();
    public DbSet<ModelTrainingRun> ModelTrainingRuns => Set<ModelTrainingRun>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(LabelBenchDbContext).Assembly);
    }
}

/// <summary>The SQLite flavour (default, nothing to install); its migrations live in Migrations/Sqlite.</summary>
public sealed class SqliteLabelBenchDbContext(DbContextOptions<SqliteLabelBenchDbContext> options) : LabelBenchDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot compare or order DateTimeOffset stored as text; a sortable integer can.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter>();
    }
}

/// <summary>The PostgreSQL flavour, for teams and several app instances; its migrations live in Migrations/Postgres.</summary>
public sealed class PostgresLabelBenchDbContext(DbContextOptions<PostgresLabelBenchDbContext> options) : LabelBenchDbContext(options);

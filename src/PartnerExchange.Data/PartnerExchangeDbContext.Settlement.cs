using Microsoft.EntityFrameworkCore;
using PartnerExchange.Data.Entities;

namespace PartnerExchange.Data;

/// <summary>The monthly settlement's tables: periods, assessments and the complaints behind them, refunds, statements and their lines, revisits.</summary>
public sealed partial class PartnerExchangeDbContext
{
    /// <summary>Gets the settlement months (assessed, closed).</summary>
    public DbSet<SettlementPeriod> SettlementPeriods => Set<SettlementPeriod>();

    /// <summary>Gets the monthly assessments of SIs.</summary>
    public DbSet<Assessment> Assessments => Set<Assessment>();

    /// <summary>Gets the complaints behind each assessment.</summary>
    public DbSet<AssessedComplaint> AssessedComplaints => Set<AssessedComplaint>();

    /// <summary>Gets the refunds paid or reported on SIs' behalf.</summary>
    public DbSet<Refund> Refunds => Set<Refund>();

    /// <summary>Gets the statements of closed months.</summary>
    public DbSet<Statement> Statements => Set<Statement>();

    /// <summary>Gets the statements' lines.</summary>
    public DbSet<StatementLine> StatementLines => Set<StatementLine>();

    /// <summary>Gets the revisits of customers.</summary>
    public DbSet<WorkOrderRevisit> WorkOrderRevisits => Set<WorkOrderRevisit>();

    private static void ConfigureSettlement(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<SettlementPeriod>(e =>
        {
            e.ToTable("SettlementPeriods");
            e.HasKey(x => x.Month);
            e.Property(x => x.Month).HasMaxLength(MonthLength);
            e.Property(x => x.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<Assessment>(e =>
        {
            e.ToTable("Assessments");
            e.HasKey(x => new { x.PartnerId, x.Month });
            e.Property(x => x.PartnerId).HasMaxLength(PartnerIdLength);
            e.Property(x => x.Month).HasMaxLength(MonthLength);
            e.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(EnumLength);
            e.HasIndex(x => new { x.Month, x.PartnerId });
            e.HasOne<Partner>().WithMany().HasForeignKey(x => x.PartnerId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<AssessedComplaint>(e =>
        {
            e.ToTable("AssessedComplaints");
            e.HasKey(x => new { x.PartnerId, x.Month, x.WorkOrderId });
            e.Property(x => x.PartnerId).HasMaxLength(PartnerIdLength);
            e.Property(x => x.Month).HasMaxLength(MonthLength);
            e.Property(x => x.Number).HasMaxLength(32);
            e.Property(x => x.Exclusion).HasConversion<string>().HasMaxLength(EnumLength);
        });
        modelBuilder.Entity<Refund>(e =>
        {
            e.ToTable("Refunds");
            e.HasKey(x => x.Id);
            e.Property(x => x.PartnerId).HasMaxLength(PartnerIdLength);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(EnumLength);
            e.Property(x => x.State).HasConversion<string>().HasMaxLength(EnumLength);
            e.Property(x => x.Currency).HasMaxLength(3).IsFixedLength();
            e.Property(x => x.PaidMonth).HasMaxLength(MonthLength);
            e.Property(x => x.DeductionMonth).HasMaxLength(MonthLength);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasIndex(x => new { x.PartnerId, x.DeductionMonth });
            e.HasIndex(x => new { x.DeductionMonth, x.PartnerId });
            e.HasOne<Partner>().WithMany().HasForeignKey(x => x.PartnerId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<WorkOrder>().WithMany().HasForeignKey(x => x.WorkOrderId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<Statement>(e =>
        {
            e.ToTable("Statements");
            e.HasKey(x => new { x.PartnerId, x.Month });
            e.Property(x => x.PartnerId).HasMaxLength(PartnerIdLength);
            e.Property(x => x.Month).HasMaxLength(MonthLength);
            e.Property(x => x.Currency).HasMaxLength(3).IsFixedLength();
            e.Property(x => x.WithheldRule).HasConversion<string>().HasMaxLength(EnumLength);
            e.Property(x => x.Disposition).HasConversion<string>().HasMaxLength(EnumLength);
            e.Property(x => x.DispositionReason).HasMaxLength(2000);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(EnumLength);
            e.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(EnumLength);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasIndex(x => new { x.Month, x.PartnerId });
            e.HasOne<Partner>().WithMany().HasForeignKey(x => x.PartnerId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<StatementLine>(e =>
        {
            e.ToTable("StatementLines");
            e.HasKey(x => new { x.PartnerId, x.Month, x.LineNumber });
            e.Property(x => x.PartnerId).HasMaxLength(PartnerIdLength);
            e.Property(x => x.Month).HasMaxLength(MonthLength);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(EnumLength);
            e.Property(x => x.Description).HasMaxLength(500);
            e.Property(x => x.SourceMonth).HasMaxLength(MonthLength);
            e.Property(x => x.RefundPaidMonth).HasMaxLength(MonthLength);
        });
        modelBuilder.Entity<WorkOrderRevisit>(e =>
        {
            e.ToTable("WorkOrderRevisits");
            e.HasKey(x => x.Id);
            e.Property(x => x.PartnerId).HasMaxLength(PartnerIdLength);
            e.Property(x => x.Satisfaction).HasConversion<string>().HasMaxLength(EnumLength);
            e.HasIndex(x => new { x.PartnerId, x.RevisitedAt });
            e.HasIndex(x => new { x.RevisitedAt, x.PartnerId });
            e.HasOne<WorkOrder>().WithMany().HasForeignKey(x => x.WorkOrderId).OnDelete(DeleteBehavior.Restrict);
        });
    }
}

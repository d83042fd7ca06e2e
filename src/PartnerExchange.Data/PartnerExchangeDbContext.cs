using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PartnerExchange.Data.Entities;
using PartnerExchange.Domain;

namespace PartnerExchange.Data;

/// <summary>
/// The Partner Exchange database: partners and their bases, the business calendar, OAuth clients (OpenIddict), people's
/// accounts (ASP.NET Core Identity), work orders, outbox, audit trail and idempotency records, and the server's own keys
/// (token keys and ASP.NET Core Data Protection's key ring). Works on SQLite and PostgreSQL with the same hand-written migrations.
/// </summary>
/// <remarks>
/// Instants are <see cref="DateTimeOffset"/> in the entities and stored as UTC ticks in a 64-bit integer column
/// (see <see cref="UtcTicksConverter"/>); enums are stored by name; money is integer minor units.
/// </remarks>
public sealed partial class PartnerExchangeDbContext : IdentityUserContext<PersonAccount>, IDataProtectionKeyContext
{
    private const int EnumLength = 32;
    private const int PartnerIdLength = 63;
    private const int MonthLength = 7;

    /// <summary>Creates the context with options from <see cref="DataServiceCollectionExtensions.AddPartnerExchangeData"/> or a test.</summary>
    public PartnerExchangeDbContext(DbContextOptions<PartnerExchangeDbContext> options)
        : base(options)
    {
    }

    /// <summary>Gets the partners (SIs and the platform operator).</summary>
    public DbSet<Partner> Partners => Set<Partner>();

    /// <summary>Gets the partners' service contacts.</summary>
    public DbSet<PartnerContact> PartnerContacts => Set<PartnerContact>();

    /// <summary>Gets the monthly subscriber bases.</summary>
    public DbSet<SubscriberBase> SubscriberBases => Set<SubscriberBase>();

    /// <summary>Gets the response-rate score deductions (rulebook section 6).</summary>
    public DbSet<ResponseDeduction> ResponseDeductions => Set<ResponseDeduction>();

    /// <summary>Gets the monthly settlement bases.</summary>
    public DbSet<SettlementBasis> SettlementBases => Set<SettlementBasis>();

    /// <summary>Gets the service catalogue (service code to responsible partner).</summary>
    public DbSet<ServiceCatalogueEntry> ServiceCatalogue => Set<ServiceCatalogueEntry>();

    /// <summary>Gets the business calendar days.</summary>
    public DbSet<CalendarDay> CalendarDays => Set<CalendarDay>();

    /// <summary>Gets the work orders.</summary>
    public DbSet<WorkOrder> WorkOrders => Set<WorkOrder>();

    /// <summary>Gets the outbox of work-order events; the id is the feed cursor.</summary>
    public DbSet<OutboxEvent> OutboxEvents => Set<OutboxEvent>();

    /// <summary>Gets the SIs' monthly service analysis reports ("annex 19").</summary>
    public DbSet<ServiceAnalysisReport> ServiceAnalysisReports => Set<ServiceAnalysisReport>();

    /// <summary>Gets the audit trail.</summary>
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    /// <summary>Gets the idempotency records of mutating calls.</summary>
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    /// <summary>Gets the token signing and encryption keys the server made for itself (Development; production uses certificates).</summary>
    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();

    /// <summary>
    /// Gets ASP.NET Core Data Protection's keys (XML, as Data Protection writes them), which protect the sign-in cookie and
    /// antiforgery tokens: shared here, every instance on the database reads what another one protected, also after a restart.
    /// </summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Gets the people's accounts (ASP.NET Core Identity users).</summary>
    public DbSet<PersonAccount> PersonAccounts => Set<PersonAccount>();

    /// <summary>Gets Identity's schema version: 1, always (no passkeys), whatever the host's <c>IdentityOptions</c> say.</summary>
    protected override Version SchemaVersion => IdentitySchemaVersions.Version1;

    /// <inheritdoc/>
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        BumpVersions();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    /// <inheritdoc/>
    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        BumpVersions();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <inheritdoc/>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        configurationBuilder.Properties<PartnerKind>().HaveConversion<string>().HaveMaxLength(EnumLength);
        configurationBuilder.Properties<AssessmentMode>().HaveConversion<string>().HaveMaxLength(EnumLength);
        configurationBuilder.Properties<PartnerStatus>().HaveConversion<string>().HaveMaxLength(EnumLength);
        configurationBuilder.Properties<SettlementState>().HaveConversion<string>().HaveMaxLength(EnumLength);
        configurationBuilder.Properties<ContactKind>().HaveConversion<string>().HaveMaxLength(EnumLength);
        configurationBuilder.Properties<WorkOrderKind>().HaveConversion<string>().HaveMaxLength(EnumLength);
        configurationBuilder.Properties<WorkOrderChannel>().HaveConversion<string>().HaveMaxLength(EnumLength);
        configurationBuilder.Properties<WorkOrderStatus>().HaveConversion<string>().HaveMaxLength(EnumLength);
        configurationBuilder.Properties<DirectChannel>().HaveConversion<string>().HaveMaxLength(EnumLength);
        configurationBuilder.Properties<TechnicalSupportType>().HaveConversion<string>().HaveMaxLength(EnumLength);
        configurationBuilder.Properties<Satisfaction>().HaveConversion<string>().HaveMaxLength(EnumLength);
        configurationBuilder.Properties<SuspensionReason>().HaveConversion<string>().HaveMaxLength(EnumLength);
        configurationBuilder.Properties<CancellationReason>().HaveConversion<string>().HaveMaxLength(EnumLength);
        configurationBuilder.Properties<ResponseDeductionReason>().HaveConversion<string>().HaveMaxLength(EnumLength);
    }

    /// <inheritdoc/>
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        // People's accounts in Identity's user tables, pinned to schema version 1 whatever the host's IdentityOptions
        // say (no passkeys), so the hand-written migration and the model agree on every host.
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<PersonAccount>(ConfigurePersonAccount);
        modelBuilder.Entity<IdentityUserClaim<string>>().ToTable("PersonAccountClaims");
        modelBuilder.Entity<IdentityUserLogin<string>>().ToTable("PersonAccountLogins");
        modelBuilder.Entity<IdentityUserToken<string>>().ToTable("PersonAccountTokens");

        modelBuilder.Entity<Partner>(ConfigurePartner);
        modelBuilder.Entity<PartnerContact>(ConfigureContact);
        modelBuilder.Entity<SubscriberBase>(ConfigureSubscriberBase);
        modelBuilder.Entity<ResponseDeduction>(ConfigureResponseDeduction);
        modelBuilder.Entity<SettlementBasis>(ConfigureSettlementBasis);
        modelBuilder.Entity<ServiceCatalogueEntry>(ConfigureServiceCatalogue);
        modelBuilder.Entity<CalendarDay>(ConfigureCalendar);
        modelBuilder.Entity<WorkOrder>(ConfigureWorkOrder);
        modelBuilder.Entity<OutboxEvent>(ConfigureOutbox);
        modelBuilder.Entity<ServiceAnalysisReport>(ConfigureServiceAnalysisReport);
        modelBuilder.Entity<AuditEntry>(ConfigureAudit);
        modelBuilder.Entity<IdempotencyRecord>(ConfigureIdempotency);
        modelBuilder.Entity<SigningKey>(ConfigureSigningKey);
        modelBuilder.Entity<DataProtectionKey>(ConfigureDataProtectionKey);
        ConfigureSettlement(modelBuilder);

        // OAuth clients (machine clients and their hashed secrets), authorizations, scopes and tokens of the embedded
        // OpenIddict server, in OpenIddict's default tables.
        modelBuilder.UseOpenIddict();
    }

    private static void ConfigurePartner(EntityTypeBuilder<Partner> e)
    {
        e.ToTable("Partners");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).HasMaxLength(PartnerIdLength);
        e.Property(x => x.DisplayName).HasMaxLength(200);
        e.Property(x => x.StatusReason).HasMaxLength(1000);
        e.Property(x => x.SettlementCurrency).HasMaxLength(3).IsFixedLength();
        e.Property(x => x.Version).IsConcurrencyToken();
        e.HasMany(x => x.Contacts).WithOne().HasForeignKey(x => x.PartnerId).OnDelete(DeleteBehavior.Restrict);
    }

    private static void ConfigureContact(EntityTypeBuilder<PartnerContact> e)
    {
        e.ToTable("PartnerContacts");
        e.HasKey(x => x.Id);
        e.Property(x => x.PartnerId).HasMaxLength(PartnerIdLength);
        e.Property(x => x.Value).HasMaxLength(200);
        e.Property(x => x.ContactName).HasMaxLength(100);
        e.HasIndex(x => new { x.PartnerId, x.Kind, x.EffectiveFrom });
    }

    private static void ConfigureSubscriberBase(EntityTypeBuilder<SubscriberBase> e)
    {
        e.ToTable("SubscriberBases");
        e.HasKey(x => new { x.PartnerId, x.Month });
        e.Property(x => x.PartnerId).HasMaxLength(PartnerIdLength);
        e.Property(x => x.Month).HasMaxLength(MonthLength);
        e.Property(x => x.RecordedBy).HasMaxLength(128);
        e.Property(x => x.RecordedByRole).HasMaxLength(EnumLength);

        // Default as the migration that added the column to existing rows left it; the context sets it on every change.
        e.Property(x => x.Version).IsConcurrencyToken().HasDefaultValue(0);
        e.HasOne<Partner>().WithMany().HasForeignKey(x => x.PartnerId).OnDelete(DeleteBehavior.Restrict);
    }

    private static void ConfigureResponseDeduction(EntityTypeBuilder<ResponseDeduction> e)
    {
        e.ToTable("ResponseDeductions");
        e.HasKey(x => x.Id);
        e.Property(x => x.PartnerId).HasMaxLength(PartnerIdLength);
        e.Property(x => x.Month).HasMaxLength(MonthLength);
        e.Property(x => x.Description).HasMaxLength(2000);
        e.Property(x => x.RecordedBy).HasMaxLength(128);
        e.Property(x => x.RecordedByRole).HasMaxLength(EnumLength);
        e.Property(x => x.RecordedByPartnerId).HasMaxLength(PartnerIdLength);
        e.Property(x => x.WithdrawnBy).HasMaxLength(128);
        e.Property(x => x.WithdrawnByRole).HasMaxLength(EnumLength);
        e.Property(x => x.WithdrawReason).HasMaxLength(2000);

        // The monthly score per SI (ResponseScores) and a partner's list, newest first.
        e.HasIndex(x => new { x.Month, x.PartnerId });
        e.HasIndex(x => new { x.PartnerId, x.Id });
        e.HasOne<Partner>().WithMany().HasForeignKey(x => x.PartnerId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<WorkOrder>().WithMany().HasForeignKey(x => x.WorkOrderId).OnDelete(DeleteBehavior.Restrict);
    }

    private static void ConfigureSettlementBasis(EntityTypeBuilder<SettlementBasis> e)
    {
        e.ToTable("SettlementBases");
        e.HasKey(x => new { x.PartnerId, x.Month });
        e.Property(x => x.PartnerId).HasMaxLength(PartnerIdLength);
        e.Property(x => x.Month).HasMaxLength(MonthLength);
        e.Property(x => x.Currency).HasMaxLength(3).IsFixedLength();
        e.HasOne<Partner>().WithMany().HasForeignKey(x => x.PartnerId).OnDelete(DeleteBehavior.Restrict);
    }

    private static void ConfigureServiceCatalogue(EntityTypeBuilder<ServiceCatalogueEntry> e)
    {
        e.ToTable("ServiceCatalogue");
        e.HasKey(x => x.ServiceCode);
        e.Property(x => x.ServiceCode).HasMaxLength(32);
        e.Property(x => x.ServiceName).HasMaxLength(200);
        e.Property(x => x.PartnerId).HasMaxLength(PartnerIdLength);
        e.HasOne<Partner>().WithMany().HasForeignKey(x => x.PartnerId).OnDelete(DeleteBehavior.Restrict);
    }

    private static void ConfigureCalendar(EntityTypeBuilder<CalendarDay> e)
    {
        e.ToTable("CalendarDays");
        e.HasKey(x => x.Date);
        e.Property(x => x.Date).ValueGeneratedNever();
        e.Property(x => x.HolidayName).HasMaxLength(64);
    }

    private static void ConfigureWorkOrder(EntityTypeBuilder<WorkOrder> e)
    {
        e.ToTable("WorkOrders");
        e.HasKey(x => x.Id);
        e.Property(x => x.Number).HasMaxLength(32);
        e.Property(x => x.PartnerId).HasMaxLength(PartnerIdLength);
        e.Property(x => x.Severity).HasMaxLength(EnumLength);
        e.Property(x => x.Version).IsConcurrencyToken();
        e.HasIndex(x => x.Number).IsUnique();
        e.Property(x => x.ResponsibleKind).HasConversion<string>().HasMaxLength(EnumLength);

        // Defaults as the migration that added these columns to existing rows left them; the application always sets them.
        e.Property(x => x.IsOverdue).HasDefaultValue(false);
        e.Property(x => x.CountsInAssessment).HasDefaultValue(false);
        e.Property(x => x.Document).HasDefaultValue(Array.Empty<byte>());
        e.Property(x => x.CompletedOnTime).HasDefaultValue(false);
        e.Property(x => x.IsGroupCustomer).HasDefaultValue(false);
        e.HasIndex(x => new { x.CreatedAt, x.PartnerId });
        e.HasIndex(x => new { x.PartnerId, x.CreatedAt });
        e.HasIndex(x => x.NextDueAt);
        e.HasIndex(x => new { x.UpdatedAt, x.Id });
        e.HasIndex(x => new { x.PartnerId, x.UpdatedAt, x.Id });
        e.HasOne<Partner>().WithMany().HasForeignKey(x => x.PartnerId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<WorkOrder>().WithMany().HasForeignKey(x => x.RepeatOfId).OnDelete(DeleteBehavior.Restrict);

        // Report columns (migration Reports): the period reports select a partner's orders by receipt.
        e.Property(x => x.SolvedOnFirstContact).HasDefaultValue(false);
        e.Property(x => x.ReturnCount).HasDefaultValue(0);
        e.Property(x => x.ReplyBreached).HasDefaultValue(false);
        e.HasIndex(x => new { x.PartnerId, x.ReceivedAt, x.Id });
    }

    private static void ConfigureServiceAnalysisReport(EntityTypeBuilder<ServiceAnalysisReport> e)
    {
        e.ToTable("ServiceAnalysisReports");
        e.HasKey(x => new { x.PartnerId, x.Month });
        e.Property(x => x.PartnerId).HasMaxLength(PartnerIdLength);
        e.Property(x => x.Month).HasMaxLength(MonthLength);
        e.Property(x => x.SubmittedBy).HasMaxLength(128);
        e.Property(x => x.Version).IsConcurrencyToken();
        e.HasOne<Partner>().WithMany().HasForeignKey(x => x.PartnerId).OnDelete(DeleteBehavior.Restrict);
    }

    private static void ConfigureOutbox(EntityTypeBuilder<OutboxEvent> e)
    {
        e.ToTable("OutboxEvents");
        e.HasKey(x => x.Id);
        e.Property(x => x.PartnerId).HasMaxLength(PartnerIdLength);
        e.Property(x => x.Type).HasMaxLength(100);
        e.HasIndex(x => new { x.PartnerId, x.Id });
        e.HasIndex(x => x.RecordedAt);
        e.HasOne<WorkOrder>().WithMany().HasForeignKey(x => x.WorkOrderId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Partner>().WithMany().HasForeignKey(x => x.PartnerId).OnDelete(DeleteBehavior.Restrict);
    }

    private static void ConfigureAudit(EntityTypeBuilder<AuditEntry> e)
    {
        e.ToTable("AuditEntries");
        e.HasKey(x => x.Id);
        e.Property(x => x.Actor).HasMaxLength(128);
        e.Property(x => x.Action).HasMaxLength(200);
        e.Property(x => x.ResourceName).HasMaxLength(200);
        e.Property(x => x.Reason).HasMaxLength(1000);
        e.Property(x => x.RequestId).HasMaxLength(128);
        e.Property(x => x.ActorRole).HasMaxLength(EnumLength);
        e.Property(x => x.ActorPartnerId).HasMaxLength(PartnerIdLength);
        e.Property(x => x.PartnerId).HasMaxLength(PartnerIdLength);
        e.Property(x => x.Summary).HasMaxLength(500);
        e.HasIndex(x => x.OccurredAt);
        e.HasIndex(x => new { x.PartnerId, x.Id });
        e.HasIndex(x => new { x.ResourceName, x.OccurredAt });
    }

    private static void ConfigureIdempotency(EntityTypeBuilder<IdempotencyRecord> e)
    {
        e.ToTable("IdempotencyRecords");
        e.HasKey(x => x.Id);
        e.Property(x => x.Caller).HasMaxLength(128);
        e.Property(x => x.Method).HasMaxLength(200);
        e.Property(x => x.RequestId).HasMaxLength(128);
        e.HasIndex(x => new { x.Caller, x.Method, x.RequestId }).IsUnique();
        e.HasIndex(x => x.CreatedAt);
    }

    private static void ConfigureSigningKey(EntityTypeBuilder<SigningKey> e)
    {
        e.ToTable("SigningKeys");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).HasMaxLength(64);
        e.Property(x => x.PrivateKeyPem).HasMaxLength(8000);

        // Default as the migration that added the column to existing rows (all signing keys) left it; the server sets it on every key.
        e.Property(x => x.Purpose).HasConversion<string>().HasMaxLength(EnumLength).HasDefaultValue(KeyPurpose.Signing);
    }

    private static void ConfigureDataProtectionKey(EntityTypeBuilder<DataProtectionKey> e)
    {
        // Data Protection's own entity, as its package maps it by convention; named here so the migration and model agree.
        e.ToTable("DataProtectionKeys");
        e.HasKey(x => x.Id);
    }

    private static void ConfigurePersonAccount(EntityTypeBuilder<PersonAccount> e)
    {
        e.ToTable("PersonAccounts");
        e.Property(x => x.Role).HasMaxLength(EnumLength);
        e.Property(x => x.PartnerId).HasMaxLength(PartnerIdLength);
        e.HasOne<Partner>().WithMany().HasForeignKey(x => x.PartnerId).OnDelete(DeleteBehavior.Restrict);
    }

    private void BumpVersions()
    {
        foreach (var entry in ChangeTracker.Entries<IVersioned>())
        {
            if (entry.State == EntityState.Modified)
            {
                var version = entry.Property(x => x.Version);
                version.CurrentValue = checked(version.OriginalValue + 1);
            }
        }
    }
}

using System.Text.RegularExpressions;
using Google.Rpc;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Data;
using PartnerExchange.Domain;
using PartnerExchange.Server.Errors;

namespace PartnerExchange.Server.Tests;

public sealed partial class ErrorTests
{
    public static TheoryData<DomainException, int, string> DomainFailures() => new()
    {
        { new InvalidRequestException([new FieldViolation("end_date", "must be on or after the start date.")]), (int)Code.InvalidArgument, ErrorReason.InvalidRequest },
        { new InvalidRequestException([new FieldViolation("request_id", "was used with another request.")], ErrorReason.RequestIdReused), (int)Code.InvalidArgument, ErrorReason.RequestIdReused },
        { new PreconditionFailedException(ErrorReason.IllegalStateTransition, "Closed orders cannot be replied to.", new PreconditionViolation("STATE", "workOrders/1", "is CLOSED")), (int)Code.FailedPrecondition, ErrorReason.IllegalStateTransition },
        { new PreconditionFailedException(ErrorReason.MonthClosed, "2026-10 is closed."), (int)Code.FailedPrecondition, ErrorReason.MonthClosed },
        { new ResourceNotFoundException("partners/p1"), (int)Code.NotFound, ErrorReason.ResourceNotFound },
        { new ResourceExistsException("partners/p1"), (int)Code.AlreadyExists, ErrorReason.ResourceExists },
        { new EtagMismatchException("partners/p1"), (int)Code.Aborted, ErrorReason.EtagMismatch },
    };

    [Theory]
    [MemberData(nameof(DomainFailures))]
    public void ErrorStatus_DomainFailure_CodeMessageAndErrorInfo(DomainException failure, int code, string reason)
    {
        var status = ErrorStatus.From(failure);

        Assert.Equal(code, status.Code);
        Assert.Equal(failure.Message, status.Message);
        var info = status.GetDetail<ErrorInfo>();
        Assert.Equal(reason, info.Reason);
        Assert.Equal(ErrorReason.Domain, info.Domain);
    }

    [Fact]
    public void ErrorStatus_InvalidRequest_OneFieldViolationPerBadField()
    {
        var failure = new InvalidRequestException([new FieldViolation("start_date", "is required."), new FieldViolation("end_date.day", "must be from 1 to 28.")]);

        var badRequest = ErrorStatus.From(failure).GetDetail<BadRequest>();

        Assert.Equal(["start_date", "end_date.day"], badRequest.FieldViolations.Select(v => v.Field));
        Assert.Equal("is required.", badRequest.FieldViolations[0].Description);
    }

    [Fact]
    public void ErrorStatus_PreconditionFailed_CarriesPreconditionFailure()
    {
        var failure = new PreconditionFailedException(ErrorReason.IllegalStateTransition, "No.", new PreconditionViolation("STATE", "workOrders/1", "is CLOSED"));

        var violation = Assert.Single(ErrorStatus.From(failure).GetDetail<PreconditionFailure>().Violations);

        Assert.Equal(("STATE", "workOrders/1", "is CLOSED"), (violation.Type, violation.Subject, violation.Description));
    }

    [Fact]
    public void ErrorStatus_NotFound_ResourceNameInMetadata()
    {
        var info = ErrorStatus.From(new ResourceNotFoundException("partners/p9")).GetDetail<ErrorInfo>();

        Assert.Equal("partners/p9", info.Metadata["resource_name"]);
    }

    [Fact]
    public void ErrorReasons_CommonProtoHeader_ListsEveryReasonAndNoOther()
    {
        var header = File.ReadLines(Path.Combine(TestServer.RepoRoot, "protos", "partnerexchange", "v1", "common.proto"))
            .TakeWhile(line => line.StartsWith("//", StringComparison.Ordinal));

        var listed = header.Select(line => ReasonLine().Match(line)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(ErrorReason.All.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UnexpectedException_DetailedErrorsSetting_InternalWithCorrelationIdAndTextOnlyWhenOn(bool detailed)
    {
        var logs = new RecordingLoggerProvider();
        await using var server = await TestServer.StartAsync(
            builder =>
            {
                builder.Services.AddSingleton<IDbContextFactory<PartnerExchangeDbContext>, BreakableDatabase>();
                builder.Logging.AddProvider(logs);
            },
            $"--Grpc:EnableDetailedErrors={detailed}");
        var options = await server.AsAsync(ClientRoles.CarrierDesk);
        ((BreakableDatabase)server.Services.GetRequiredService<IDbContextFactory<PartnerExchangeDbContext>>()).Broken = true;
        var calendar = new CalendarService.CalendarServiceClient(server.Channel);
        var request = new GetCalendarRequest { StartDate = new Date { Year = 2026, Month = 1, Day = 1 }, EndDate = new Date { Year = 2026, Month = 1, Day = 2 } };

        var ex = await Assert.ThrowsAsync<RpcException>(() => calendar.GetCalendarAsync(request, options).ResponseAsync.DefaultTimeout());

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        var info = ex.GetRpcStatus()!.GetDetail<ErrorInfo>();
        Assert.Equal(ErrorReason.InternalError, info.Reason);
        var correlationId = info.Metadata["correlation_id"];
        Assert.Contains(correlationId, ex.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(detailed, ex.Status.Detail.Contains(BreakableDatabase.Secret, StringComparison.Ordinal));
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains(correlationId, StringComparison.Ordinal) && e.Exception is InvalidOperationException);
    }

    [GeneratedRegex(@"^//\s{4,}([A-Z][A-Z0-9_]+)\s{2,}")]
    private static partial Regex ReasonLine();

    /// <summary>The real database until broken; then it fails in a way no rule foresaw, with a message that must not reach clients.</summary>
    private sealed class BreakableDatabase(DbContextOptions<PartnerExchangeDbContext> options) : IDbContextFactory<PartnerExchangeDbContext>
    {
        public const string Secret = "Host=db.internal;Password=hunter2";

        public bool Broken { get; set; }

        public PartnerExchangeDbContext CreateDbContext() =>
            Broken ? throw new InvalidOperationException($"cannot open {Secret}") : new PartnerExchangeDbContext(options);
    }
}

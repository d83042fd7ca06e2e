using Grpc.Core;
using NodaTime.Extensions;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Domain;
using PartnerExchange.Server.Time;

namespace PartnerExchange.Server.Services;

/// <summary>The sandbox clock: business time that moves only when a caller advances it, with every due sweep run on the way.</summary>
internal sealed class SandboxService(BusinessClock clock, WorkOrderSweeper sweeper) : Contracts.V1.SandboxService.SandboxServiceBase
{
    /// <summary>SandboxService.GetClock.</summary>
    public override Task<SandboxClock> GetClock(GetClockRequest request, ServerCallContext context)
    {
        var sandbox = Sandbox();
        return Task.FromResult(new SandboxClock { Now = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(sandbox.GetUtcNow()) });
    }

    /// <summary>SandboxService.AdvanceClock: forward only; returns once every step due up to the new instant has run, in time order.</summary>
    public override async Task<SandboxClock> AdvanceClock(AdvanceClockRequest request, ServerCallContext context)
    {
        var sandbox = Sandbox();
        var violations = new List<FieldViolation>();
        var to = ProtoDates.ReadInstant(request.To, "to", violations);
        if (request.To is null)
        {
            violations.Add(new FieldViolation("to", "is required."));
        }
        else if (to is { } t && t <= sandbox.GetUtcNow())
        {
            violations.Add(new FieldViolation("to", $"must be later than the clock's current instant {sandbox.GetUtcNow():O}; the clock never goes backwards."));
        }

        Requests.ThrowIfAny(violations);
        await sandbox.AdvanceToAsync(
            to!.Value,
            async (at, cancellationToken) => (await sweeper.RunDueAsync(at.ToInstant(), cancellationToken))?.ToDateTimeOffset(),
            context.CancellationToken);
        return new SandboxClock { Now = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(sandbox.GetUtcNow()) };
    }

    private Time.SandboxTime Sandbox() => clock.Sandbox ?? throw new PreconditionFailedException(
        ErrorReason.SandboxClockOff, "The sandbox clock is off: the server runs on real time (start it with Sandbox:Clock to rehearse).",
        new PreconditionViolation("SANDBOX_CLOCK", "Sandbox:Clock", "The setting is not set."));
}

using Grpc.Core;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Server.Errors;

namespace PartnerExchange.Server.Services;

/// <summary>The sandbox clock: business time that moves only when a caller advances it.</summary>
internal sealed class SandboxService : Contracts.V1.SandboxService.SandboxServiceBase
{
    private const string Capability = "the sandbox clock and the sweeper it drives";

    /// <summary>SandboxService.GetClock: answers UNIMPLEMENTED until the sandbox clock is built.</summary>
    public override Task<SandboxClock> GetClock(GetClockRequest request, ServerCallContext context) =>
        Task.FromException<SandboxClock>(NotBuilt.Rpc("SandboxService.GetClock", Capability));

    /// <summary>SandboxService.AdvanceClock: answers UNIMPLEMENTED until the sandbox clock is built.</summary>
    public override Task<SandboxClock> AdvanceClock(AdvanceClockRequest request, ServerCallContext context) =>
        Task.FromException<SandboxClock>(NotBuilt.Rpc("SandboxService.AdvanceClock", Capability));
}

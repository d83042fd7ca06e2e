using Microsoft.Extensions.Logging;

namespace PartnerExchange.Grpc.Server;

/// <summary>What every call of one method shares: its name, the transport's limits, the clock and the logger.</summary>
internal sealed class MethodSettings
{
    public MethodSettings(string fullName, GrpcTransportOptions options, TimeProvider timeProvider, ILogger logger)
    {
        FullName = fullName;
        MaxReceiveMessageSize = options.MaxReceiveMessageSize ?? int.MaxValue;
        MaxSendMessageSize = options.MaxSendMessageSize;
        EnableDetailedErrors = options.EnableDetailedErrors;
        ResponseCompression = ServerEncodings.Normalize(options.ResponseCompression, nameof(GrpcTransportOptions.ResponseCompression));
        TimeProvider = timeProvider;
        Logger = logger;
    }

    /// <summary>Gets the path, <c>/package.Service/Method</c>.</summary>
    public string FullName { get; }

    public int MaxReceiveMessageSize { get; }

    public int? MaxSendMessageSize { get; }

    public bool EnableDetailedErrors { get; }

    /// <summary>Gets <c>"gzip"</c> or <c>null</c>.</summary>
    public string? ResponseCompression { get; }

    public TimeProvider TimeProvider { get; }

    public ILogger Logger { get; }
}

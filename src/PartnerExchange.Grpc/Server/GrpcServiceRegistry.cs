using Google.Protobuf.Reflection;

namespace PartnerExchange.Grpc.Server;

/// <summary>The services mapped on this server, for the unimplemented fallback and for reflection.</summary>
internal sealed class GrpcServiceRegistry
{
    private readonly Lock _lock = new();
    private readonly List<ServiceDescriptor> _services = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>Gets or sets whether a service has been mapped, which switches on the UNIMPLEMENTED answer for unknown methods.</summary>
    public bool FallbackMapped { get; set; }

    /// <summary>Gets a number that changes whenever a service is added.</summary>
    public int Version { get; private set; }

    public void Add(ServiceDescriptor service)
    {
        lock (_lock)
        {
            if (!_names.Add(service.FullName))
            {
                throw new InvalidOperationException($"The gRPC service {service.FullName} is mapped twice.");
            }

            _services.Add(service);
            Version++;
        }
    }

    public bool Contains(string serviceName)
    {
        lock (_lock)
        {
            return _names.Contains(serviceName);
        }
    }

    public ServiceDescriptor[] GetServices()
    {
        lock (_lock)
        {
            return [.. _services];
        }
    }
}

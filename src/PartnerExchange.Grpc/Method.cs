using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace PartnerExchange.Grpc;

/// <summary>The four kinds of gRPC call.</summary>
public enum MethodType
{
    /// <summary>One request, one response.</summary>
    Unary,

    /// <summary>A stream of requests, one response.</summary>
    ClientStreaming,

    /// <summary>One request, a stream of responses.</summary>
    ServerStreaming,

    /// <summary>Streams both ways.</summary>
    DuplexStreaming,
}

/// <summary>A callable gRPC method: its kind, its full name and how to read and write its messages.</summary>
/// <typeparam name="TRequest">The request message type.</typeparam>
/// <typeparam name="TResponse">The response message type.</typeparam>
public sealed class Method<TRequest, TResponse>
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    /// <summary>Creates a method from its kind, the fully qualified service name and the method name.</summary>
    public Method(MethodType type, string serviceName, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceName);
        ArgumentException.ThrowIfNullOrEmpty(name);
        Type = type;
        ServiceName = serviceName;
        Name = name;
        FullName = $"/{serviceName}/{name}";
    }

    /// <summary>Gets the kind of call.</summary>
    public MethodType Type { get; }

    /// <summary>Gets the fully qualified service name, e.g. <c>partnerexchange.v1.PartnerService</c>.</summary>
    public string ServiceName { get; }

    /// <summary>Gets the method name, e.g. <c>GetPartner</c>.</summary>
    public string Name { get; }

    /// <summary>Gets the HTTP/2 path, <c>/service/method</c>.</summary>
    public string FullName { get; }

    /// <summary>Gets the parser for responses.</summary>
    public MessageParser<TResponse> ResponseParser { get; } = new(() => new TResponse());

    /// <summary>Gets the parser for requests.</summary>
    public MessageParser<TRequest> RequestParser { get; } = new(() => new TRequest());

    /// <summary>
    /// Creates the method that a protoc-generated service descriptor describes. Throws when the descriptor's
    /// message types are not <typeparamref name="TRequest"/> and <typeparamref name="TResponse"/>.
    /// </summary>
    public static Method<TRequest, TResponse> FromDescriptor(MethodDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (descriptor.InputType.ClrType != typeof(TRequest) || descriptor.OutputType.ClrType != typeof(TResponse))
        {
            throw new ArgumentException(
                $"{descriptor.FullName} takes {descriptor.InputType.FullName} and returns {descriptor.OutputType.FullName}, " +
                $"not {typeof(TRequest).Name} and {typeof(TResponse).Name}.",
                nameof(descriptor));
        }

        var type = (descriptor.IsClientStreaming, descriptor.IsServerStreaming) switch
        {
            (false, false) => MethodType.Unary,
            (true, false) => MethodType.ClientStreaming,
            (false, true) => MethodType.ServerStreaming,
            (true, true) => MethodType.DuplexStreaming,
        };
        return new Method<TRequest, TResponse>(type, descriptor.Service.FullName, descriptor.Name);
    }
}

using System.Reflection;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Http;

namespace PartnerExchange.Grpc.Server;

/// <summary>
/// Binds a service class to a protobuf service descriptor: finds for each RPC the public method of the right
/// shape and builds its call handler once, at start-up. A missing or mis-shaped method is a start-up error.
/// </summary>
internal static class ServiceBinder
{
    private static readonly MethodInfo CreateHandlerMethod =
        typeof(ServiceBinder).GetMethod(nameof(CreateHandler), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>One bound RPC: its descriptor, the method that implements it and its request delegate.</summary>
    public readonly record struct BoundMethod(MethodDescriptor Descriptor, MethodInfo Implementation, RequestDelegate RequestDelegate);

    public static List<BoundMethod> Bind<TService>(
        ServiceDescriptor service,
        ServiceActivator<TService> activator,
        Func<MethodDescriptor, MethodSettings> settingsFactory)
        where TService : class
    {
        var bound = new List<BoundMethod>(service.Methods.Count);
        foreach (var method in service.Methods)
        {
            var implementation = FindImplementation(typeof(TService), method);
            var requestType = method.InputType.ClrType;
            var responseType = method.OutputType.ClrType;
            var handler = (RequestDelegate)CreateHandlerMethod
                .MakeGenericMethod(typeof(TService), requestType, responseType)
                .Invoke(null, [method, implementation, activator, settingsFactory(method)])!;
            bound.Add(new BoundMethod(method, implementation, handler));
        }

        return bound;
    }

    private static MethodInfo FindImplementation(Type serviceType, MethodDescriptor method)
    {
        var name = $"{method.Service.FullName}/{method.Name}";
        var requestType = method.InputType.ClrType;
        var responseType = method.OutputType.ClrType;
        if (requestType is null || responseType is null
            || !typeof(IMessage).IsAssignableFrom(requestType) || !typeof(IMessage).IsAssignableFrom(responseType))
        {
            throw new InvalidOperationException(
                $"Cannot bind {name}: its descriptor has no generated message classes; pass the descriptor of generated code.");
        }

        var (parameters, returnType) = ExpectedShape(method, requestType, responseType);
        foreach (var candidate in serviceType.GetMethods(BindingFlags.Public | BindingFlags.Instance))
        {
            if (candidate.Name == method.Name && !candidate.IsGenericMethodDefinition
                && candidate.ReturnType == returnType && ParametersMatch(candidate.GetParameters(), parameters))
            {
                return candidate;
            }
        }

        var kind = (method.IsClientStreaming, method.IsServerStreaming) switch
        {
            (false, false) => "unary",
            (false, true) => "server-streaming",
            (true, false) => "client-streaming",
            (true, true) => "bidirectional-streaming",
        };
        var found = serviceType.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.Name == method.Name)
            .Select(Describe)
            .ToList();
        var message = new StringBuilder()
            .Append($"Cannot bind {name} ({kind}) to {serviceType.FullName}: expected a public method ")
            .Append(Describe(method.Name, returnType, parameters))
            .Append(found.Count == 0 ? ", found none with that name." : $", found {string.Join("; ", found)}.");
        throw new InvalidOperationException(message.ToString());
    }

    private static (Type[] Parameters, Type ReturnType) ExpectedShape(MethodDescriptor method, Type request, Type response)
    {
        var reader = typeof(IAsyncStreamReader<>).MakeGenericType(request);
        var writer = typeof(IServerStreamWriter<>).MakeGenericType(response);
        var single = typeof(Task<>).MakeGenericType(response);
        return (method.IsClientStreaming, method.IsServerStreaming) switch
        {
            (false, false) => ([request, typeof(ServerCallContext)], single),
            (false, true) => ([request, writer, typeof(ServerCallContext)], typeof(Task)),
            (true, false) => ([reader, typeof(ServerCallContext)], single),
            (true, true) => ([reader, writer, typeof(ServerCallContext)], typeof(Task)),
        };
    }

    private static bool ParametersMatch(ParameterInfo[] actual, Type[] expected)
    {
        if (actual.Length != expected.Length)
        {
            return false;
        }

        for (var i = 0; i < actual.Length; i++)
        {
            if (actual[i].ParameterType != expected[i])
            {
                return false;
            }
        }

        return true;
    }

    private static string Describe(MethodInfo method) =>
        Describe(method.Name, method.ReturnType, method.GetParameters().Select(p => p.ParameterType).ToArray());

    private static string Describe(string name, Type returnType, Type[] parameters) =>
        $"'{TypeName(returnType)} {name}({string.Join(", ", parameters.Select(TypeName))})'";

    private static string TypeName(Type type)
    {
        if (!type.IsGenericType)
        {
            return type.Name;
        }

        var plain = type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)];
        return $"{plain}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>";
    }

    private static RequestDelegate CreateHandler<TService, TRequest, TResponse>(
        MethodDescriptor method,
        MethodInfo implementation,
        ServiceActivator<TService> activator,
        MethodSettings settings)
        where TService : class
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        var parser = (MessageParser<TRequest>)method.InputType.Parser;
        return (method.IsClientStreaming, method.IsServerStreaming) switch
        {
            (false, false) => new UnaryCallHandler<TService, TRequest, TResponse>(
                settings, activator, parser,
                implementation.CreateDelegate<Func<TService, TRequest, ServerCallContext, Task<TResponse>>>()).HandleCallAsync,
            (false, true) => new ServerStreamingCallHandler<TService, TRequest, TResponse>(
                settings, activator, parser,
                implementation.CreateDelegate<Func<TService, TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task>>()).HandleCallAsync,
            (true, false) => new ClientStreamingCallHandler<TService, TRequest, TResponse>(
                settings, activator, parser,
                implementation.CreateDelegate<Func<TService, IAsyncStreamReader<TRequest>, ServerCallContext, Task<TResponse>>>()).HandleCallAsync,
            (true, true) => new DuplexStreamingCallHandler<TService, TRequest, TResponse>(
                settings, activator, parser,
                implementation.CreateDelegate<Func<TService, IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task>>()).HandleCallAsync,
        };
    }
}

using System.Reflection;
using Google.Protobuf;
using Google.Rpc;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using PartnerExchange.Domain;

namespace PartnerExchange.Server.Errors;

/// <summary>
/// Binds every gRPC service's methods, as the framework's own binder does (the generated <c>BindService</c> of the
/// service's base class, the service's public methods as handlers), but with a request deserializer that answers bytes
/// which are not a valid message of the request type with INVALID_ARGUMENT and reason
/// <see cref="ErrorReason.MalformedRequest"/>. Without it the framework answers such bytes with UNKNOWN.
/// </summary>
internal sealed class MessageGuard<TService> : IServiceMethodProvider<TService>
    where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        var bind = typeof(TService).GetCustomAttribute<BindServiceMethodAttribute>(inherit: true);
        var bindMethod = bind?.BindType.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .SingleOrDefault(m => m.Name == bind.BindMethodName && m.GetParameters() is [{ ParameterType: var binderType }, _] && binderType == typeof(ServiceBinderBase));
        bindMethod?.Invoke(null, [new Binder(context), null]);
    }

    private static Marshaller<T> Guard<T>(Marshaller<T> marshaller) => new(
        marshaller.ContextualSerializer,
        context =>
        {
            try
            {
                return marshaller.ContextualDeserializer(context);
            }
            catch (InvalidProtocolBufferException)
            {
                throw ErrorStatus.Create(
                    Code.InvalidArgument, ErrorReason.MalformedRequest, $"The request is not a valid {typeof(T).Name} message.").ToRpcException();
            }
        });

    private sealed class Binder(ServiceMethodProviderContext<TService> context) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Bind<Grpc.AspNetCore.Server.Model.UnaryServerMethod<TService, TRequest, TResponse>>(method, typeof(TRequest), typeof(ServerCallContext));
            context.AddUnaryMethod(Guarded(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Bind<Grpc.AspNetCore.Server.Model.ServerStreamingServerMethod<TService, TRequest, TResponse>>(
                method, typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
            context.AddServerStreamingMethod(Guarded(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Bind<Grpc.AspNetCore.Server.Model.ClientStreamingServerMethod<TService, TRequest, TResponse>>(
                method, typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext));
            context.AddClientStreamingMethod(Guarded(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Bind<Grpc.AspNetCore.Server.Model.DuplexStreamingServerMethod<TService, TRequest, TResponse>>(
                method, typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
            context.AddDuplexStreamingMethod(Guarded(method), metadata, invoker);
        }

        private static Method<TRequest, TResponse> Guarded<TRequest, TResponse>(Method<TRequest, TResponse> method)
            where TRequest : class
            where TResponse : class =>
            new(method.Type, method.ServiceName, method.Name, Guard(method.RequestMarshaller), method.ResponseMarshaller);

        /// <summary>
        /// The endpoint metadata the framework gives a method: the service's attributes, the handler's attributes, and
        /// POST as the only HTTP method (CORS preflight accepted).
        /// </summary>
        private static List<object> Metadata(MethodInfo handler) =>
            [.. typeof(TService).GetCustomAttributes(inherit: true), .. handler.GetCustomAttributes(inherit: true), new HttpMethodMetadata(["POST"], acceptCorsPreflight: true)];

        private static (TDelegate Invoker, List<object> Metadata) Bind<TDelegate>(IMethod method, params Type[] parameters)
            where TDelegate : Delegate
        {
            var handler = typeof(TService).GetMethod(method.Name, BindingFlags.Public | BindingFlags.Instance, parameters)
                ?? throw new InvalidOperationException($"{typeof(TService).Name} has no public method {method.Name} for {method.FullName}.");
            return ((TDelegate)Delegate.CreateDelegate(typeof(TDelegate), handler), Metadata(handler));
        }
    }
}

using Microsoft.Extensions.DependencyInjection;

namespace PartnerExchange.Grpc.Server;

/// <summary>
/// Gets the service instance for one call: from the request's DI scope when <typeparamref name="TService"/> is
/// registered, else built with constructor injection and disposed after the call.
/// </summary>
/// <typeparam name="TService">The service class.</typeparam>
internal sealed class ServiceActivator<TService>
    where TService : class
{
    private readonly ObjectFactory<TService>? _factory;

    public ServiceActivator(IServiceProvider applicationServices)
    {
        var registered = applicationServices.GetService<IServiceProviderIsService>()?.IsService(typeof(TService)) ?? false;
        if (!registered)
        {
            _factory = ActivatorUtilities.CreateFactory<TService>(Type.EmptyTypes);
        }
    }

    public TService Create(IServiceProvider requestServices) =>
        _factory is null ? requestServices.GetRequiredService<TService>() : _factory(requestServices, null);

    public ValueTask ReleaseAsync(TService service)
    {
        if (_factory is null)
        {
            return ValueTask.CompletedTask;
        }

        if (service is IAsyncDisposable asyncDisposable)
        {
            return asyncDisposable.DisposeAsync();
        }

        (service as IDisposable)?.Dispose();
        return ValueTask.CompletedTask;
    }
}

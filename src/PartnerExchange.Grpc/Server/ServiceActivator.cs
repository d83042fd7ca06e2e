using System.Linq.Expressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace PartnerExchange.Grpc.Server;

/// <summary>
/// Gets the service instance for one call: from the request's DI scope when <typeparamref name="TService"/> is
/// registered, else built with constructor injection and disposed after the call. A service that is not registered
/// and whose only public constructor takes nothing is built without touching the request's DI scope, so the call
/// does not create one.
/// </summary>
/// <typeparam name="TService">The service class.</typeparam>
internal sealed class ServiceActivator<TService>
    where TService : class
{
    private readonly ObjectFactory<TService>? _factory;
    private readonly Func<TService>? _parameterless;

    public ServiceActivator(IServiceProvider applicationServices)
    {
        var registered = applicationServices.GetService<IServiceProviderIsService>()?.IsService(typeof(TService)) ?? false;
        if (registered)
        {
            return;
        }

        var constructors = typeof(TService).GetConstructors();
        if (constructors.Length == 1 && constructors[0].GetParameters().Length == 0)
        {
            _parameterless = Expression.Lambda<Func<TService>>(Expression.New(constructors[0])).Compile();
        }
        else
        {
            _factory = ActivatorUtilities.CreateFactory<TService>(Type.EmptyTypes);
        }
    }

    public TService Create(HttpContext httpContext)
    {
        if (_parameterless is not null)
        {
            return _parameterless();
        }

        // RequestServices creates the request scope on first use.
        var requestServices = httpContext.RequestServices;
        return _factory is null ? requestServices.GetRequiredService<TService>() : _factory(requestServices, null);
    }

    public ValueTask ReleaseAsync(TService service)
    {
        if (_factory is null && _parameterless is null)
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

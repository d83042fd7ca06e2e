using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace PartnerExchange.Grpc.Health;

/// <summary>
/// The serving status of each service name that <c>grpc.health.v1.Health</c> reports. The empty name stands for the
/// whole server and starts as SERVING; other names are unknown until set. Thread-safe; inject it as a singleton.
/// </summary>
public sealed class HealthStatusRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ServingStatus> _statuses = new(StringComparer.Ordinal) { [string.Empty] = ServingStatus.Serving };
    private readonly Dictionary<string, List<Action<ServingStatus>>> _watchers = new(StringComparer.Ordinal);

    /// <summary>Sets the status of <paramref name="service"/> (<c>""</c> = the whole server) and tells its watchers.</summary>
    public void SetStatus(string service, ServingStatus status)
    {
        ArgumentNullException.ThrowIfNull(service);
        Action<ServingStatus>[] watchers;
        lock (_lock)
        {
            _statuses[service] = status;
            watchers = _watchers.TryGetValue(service, out var list) ? [.. list] : [];
        }

        foreach (var watcher in watchers)
        {
            watcher(status);
        }
    }

    /// <summary>Forgets <paramref name="service"/>: Check answers NOT_FOUND and watchers see SERVICE_UNKNOWN.</summary>
    public void ClearStatus(string service)
    {
        ArgumentNullException.ThrowIfNull(service);
        Action<ServingStatus>[] watchers;
        lock (_lock)
        {
            _statuses.Remove(service);
            watchers = _watchers.TryGetValue(service, out var list) ? [.. list] : [];
        }

        foreach (var watcher in watchers)
        {
            watcher(ServingStatus.ServiceUnknown);
        }
    }

    /// <summary>Gets the status of <paramref name="service"/>; <c>false</c> when it was never set.</summary>
    public bool TryGetStatus(string service, out ServingStatus status)
    {
        lock (_lock)
        {
            return _statuses.TryGetValue(service, out status);
        }
    }

    /// <summary>Calls <paramref name="watcher"/> on every change of <paramref name="service"/> until the result is disposed.</summary>
    internal IDisposable Watch(string service, Action<ServingStatus> watcher, out ServingStatus current)
    {
        lock (_lock)
        {
            if (!_watchers.TryGetValue(service, out var list))
            {
                list = [];
                _watchers[service] = list;
            }

            list.Add(watcher);
            current = _statuses.TryGetValue(service, out var status) ? status : ServingStatus.ServiceUnknown;
        }

        return new Subscription(this, service, watcher);
    }

    private void Unwatch(string service, Action<ServingStatus> watcher)
    {
        lock (_lock)
        {
            if (_watchers.TryGetValue(service, out var list) && list.Remove(watcher) && list.Count == 0)
            {
                _watchers.Remove(service);
            }
        }
    }

    private sealed class Subscription(HealthStatusRegistry registry, string service, Action<ServingStatus> watcher) : IDisposable
    {
        public void Dispose() => registry.Unwatch(service, watcher);
    }
}

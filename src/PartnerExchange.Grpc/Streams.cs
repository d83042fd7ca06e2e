namespace PartnerExchange.Grpc;

/// <summary>A stream of messages read one at a time.</summary>
/// <typeparam name="T">The message type.</typeparam>
public interface IAsyncStreamReader<out T>
{
    /// <summary>Gets the message the last successful <see cref="MoveNext"/> read.</summary>
    T Current { get; }

    /// <summary>Reads the next message; <c>false</c> when the peer has finished sending.</summary>
    Task<bool> MoveNext(CancellationToken cancellationToken = default);
}

/// <summary>A stream of messages written one at a time; a write completes when HTTP/2 flow control accepts it.</summary>
/// <typeparam name="T">The message type.</typeparam>
public interface IAsyncStreamWriter<in T>
{
    /// <summary>Writes one message. Only one write may be pending at a time.</summary>
    Task WriteAsync(T message, CancellationToken cancellationToken = default);
}

/// <summary>The response stream of a server-streaming or bidirectional call, as the server handler sees it.</summary>
/// <typeparam name="T">The message type.</typeparam>
public interface IServerStreamWriter<in T> : IAsyncStreamWriter<T>
{
}

/// <summary>The request stream of a client-streaming or bidirectional call, as the client sees it.</summary>
/// <typeparam name="T">The message type.</typeparam>
public interface IClientStreamWriter<in T> : IAsyncStreamWriter<T>
{
    /// <summary>Tells the server no more messages follow (half-close).</summary>
    Task CompleteAsync();
}

/// <summary>Helpers for stream readers.</summary>
public static class AsyncStreamReaderExtensions
{
    /// <summary>Reads every remaining message as an async sequence.</summary>
    public static async IAsyncEnumerable<T> ReadAllAsync<T>(
        this IAsyncStreamReader<T> reader,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        while (await reader.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            yield return reader.Current;
        }
    }
}

using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Threading.Channels;
using Google.Protobuf;

namespace PartnerExchange.Grpc.Tests.Server;

/// <summary>Hand-made gRPC frames and requests, independent of the transport's client half.</summary>
public static class GrpcWire
{
    public static byte[] Frame(IMessage message, bool compress = false) => Frame(message.ToByteArray(), compress);

    public static byte[] Frame(byte[] payload, bool compress = false, int? declaredLength = null)
    {
        var body = compress ? Gzip(payload) : payload;
        var frame = new byte[5 + body.Length];
        frame[0] = compress ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)(declaredLength ?? body.Length));
        body.CopyTo(frame, 5);
        return frame;
    }

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    public static byte[] Gunzip(byte[] data)
    {
        using var input = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    public static List<(bool Compressed, byte[] Payload)> ReadFrames(byte[] body)
    {
        var frames = new List<(bool, byte[])>();
        var offset = 0;
        while (offset < body.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(offset + 1));
            frames.Add((body[offset] == 1, body.AsSpan(offset + 5, length).ToArray()));
            offset += 5 + length;
        }

        return frames;
    }

    public static List<T> ReadMessages<T>(byte[] body, MessageParser<T> parser)
        where T : IMessage<T> =>
        ReadFrames(body).Select(f => parser.ParseFrom(f.Compressed ? Gunzip(f.Payload) : f.Payload)).ToList();

    public static HttpRequestMessage Request(string path, HttpContent content, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        content.Headers.ContentType ??= new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    /// <summary>Sends the whole body and reads the whole response, trailers included.</summary>
    public static async Task<GrpcResult> CallAsync(this HttpClient client, string path, byte[] body, params (string Name, string Value)[] headers)
    {
        using var request = Request(path, new ByteArrayContent(body), headers);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();
        return await GrpcResult.ReadAsync(response);
    }
}

/// <summary>A finished response: HTTP status, headers, body and trailers.</summary>
public sealed record GrpcResult(HttpStatusCode HttpStatus, HttpResponseHeaders Headers, HttpContentHeaders ContentHeaders, byte[] Body, HttpResponseHeaders Trailers)
{
    public static async Task<GrpcResult> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsByteArrayAsync().DefaultTimeout();
        return new GrpcResult(response.StatusCode, response.Headers, response.Content.Headers, body, response.TrailingHeaders);
    }

    /// <summary>Gets whether the status came in the HEADERS frame (Trailers-Only) with no body and no trailers.</summary>
    public bool IsTrailersOnly => Headers.Contains("grpc-status") && Body.Length == 0 && !Trailers.Any();

    public StatusCode StatusCode => (StatusCode)int.Parse(Value("grpc-status")!, System.Globalization.CultureInfo.InvariantCulture);

    public string? Message => Value("grpc-message");

    /// <summary>Gets a value from the trailers, or from the headers of a Trailers-Only response.</summary>
    public string? Value(string name) =>
        Trailers.TryGetValues(name, out var t) ? string.Join(",", t)
        : Headers.TryGetValues(name, out var h) ? string.Join(",", h)
        : null;

    public string? Header(string name) =>
        Headers.TryGetValues(name, out var h) ? string.Join(",", h)
        : ContentHeaders.TryGetValues(name, out var c) ? string.Join(",", c)
        : null;
}

/// <summary>A request body the test writes piece by piece; completing it half-closes the stream.</summary>
public sealed class StreamingContent : HttpContent
{
    private readonly Channel<byte[]> _chunks = Channel.CreateUnbounded<byte[]>();

    public StreamingContent() => Headers.ContentType = new MediaTypeHeaderValue("application/grpc");

    public ValueTask WriteAsync(byte[] chunk) => _chunks.Writer.WriteAsync(chunk);

    public void Complete() => _chunks.Writer.TryComplete();

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await foreach (var chunk in _chunks.Reader.ReadAllAsync())
        {
            await stream.WriteAsync(chunk);
            await stream.FlushAsync();
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}

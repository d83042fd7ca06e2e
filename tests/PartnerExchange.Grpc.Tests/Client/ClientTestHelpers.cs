using System.Buffers;
using System.Buffers.Binary;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Http;
using PartnerExchange.Grpc.Tests.Server;

namespace PartnerExchange.Grpc.Tests.Client;

/// <summary>Hand-written gRPC framing for the client tests' test endpoints (frames themselves come from <see cref="GrpcWire"/>).</summary>
internal static class ClientTestHelpers
{
    public static Method<StringValue, StringValue> StringMethod(string service, string name, MethodType type = MethodType.Unary) =>
        new(type, service, name);

    public static StringValue Text(string value) => new() { Value = value };

    /// <summary>One length-prefixed frame; <paramref name="compress"/> gzips the payload and sets the flag.</summary>
    public static byte[] Frame(IMessage message, bool compress = false) => GrpcWire.Frame(message, compress);

    public static byte[] Frame(byte[] payload, bool compress = false) => GrpcWire.Frame(payload, compress);

    /// <summary>Reads the next request frame of a test endpoint; <c>null</c> at the end of the request body.</summary>
    public static async Task<(bool Compressed, byte[] Payload)?> ReadFrameAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (buffer.Length >= 5)
            {
                var header = buffer.Slice(0, 5).ToArray();
                var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1));
                if (buffer.Length >= 5 + length)
                {
                    var payload = buffer.Slice(5, length).ToArray();
                    reader.AdvanceTo(buffer.GetPosition(5 + length));
                    return (header[0] == 1, payload);
                }
            }

            if (result.IsCompleted)
            {
                reader.AdvanceTo(buffer.End);
                return null;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    public static async Task<StringValue?> ReadStringAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var frame = await ReadFrameAsync(request, cancellationToken);
        if (frame is not { } f)
        {
            return null;
        }

        var payload = f.Payload;
        return StringValue.Parser.ParseFrom(f.Compressed ? GrpcWire.Gunzip(payload) : payload);
    }

    /// <summary>Starts a gRPC response: 200, application/grpc, headers flushed.</summary>
    public static async Task StartGrpcResponseAsync(HttpResponse response, string? encoding = null)
    {
        response.ContentType = "application/grpc";
        if (encoding is not null)
        {
            response.Headers["grpc-encoding"] = encoding;
        }

        await response.StartAsync();
    }

    public static async Task WriteFrameAsync(HttpResponse response, byte[] frame)
    {
        await response.Body.WriteAsync(frame);
        await response.Body.FlushAsync();
    }

    public static void Ok(HttpResponse response) => response.AppendTrailer("grpc-status", "0");
}

/// <summary>A clock running behind the system clock by a fixed offset, to show which clock the channel reads.</summary>
internal sealed class ShiftedTimeProvider(TimeSpan behind) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() - behind;
}

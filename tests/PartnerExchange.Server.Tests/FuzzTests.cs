using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerExchange.Data;
using PartnerExchange.Domain;

namespace PartnerExchange.Server.Tests;

/// <summary>
/// Hostile input to every RPC of the contract, with a token of a role allowed to call it: random and truncated
/// protobuf bytes, messages full of hostile strings and extreme numbers, a field just under the size limit, and
/// malformed gRPC frames. The server must answer each with a gRPC status that is neither UNKNOWN nor INTERNAL (never a
/// bare HTTP error), keep serving, and change nothing it stores.
/// </summary>
public sealed class FuzzTests : IClassFixture<TestServer>
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    private static readonly string[] HostileStrings =
    [
        "'; DROP TABLE \"Partners\"; --", "\0", "../../../../etc/passwd", "%s%n%x", "\u202Epartners/si-yunqi-music",
        "partners/si-yunqi-music/../si-jinghe-reading", "partners/*", "partners/-", new string('\uD835', 1), string.Concat(Enumerable.Repeat("𝕏", 5000)),
        "<script>alert(1)</script>", "{{7*7}}", "\r\nX-Injected: 1",
    ];

    private readonly TestServer _server;

    public FuzzTests(TestServer server) => _server = server;

    public static TheoryData<string> Rpcs() => new(AccessMatrix.Rules.Keys);

    [Theory]
    [MemberData(nameof(Rpcs))]
    public async Task Rpc_HostileMessages_OnlyClientErrorStatusesAndNothingChanges(string rpc)
    {
        var descriptor = Describe(rpc);
        var options = await _server.AsAsync(AccessMatrix.Rules[rpc][0]);
        var random = new Random(rpc.Sum(c => c));
        var before = await SnapshotAsync();

        var statuses = new List<(string Payload, Grpc.Core.Status Status)>();
        foreach (var (label, payload) in Payloads(descriptor.InputType, random))
        {
            statuses.Add((label, await CallAsync(descriptor, payload, options)));
        }

        Assert.All(statuses, s => Assert.False(
            s.Status.StatusCode is StatusCode.Unknown or StatusCode.Internal or StatusCode.OK && !(s.Status.StatusCode == StatusCode.OK && IsRead(rpc)),
            $"{rpc} with {s.Payload}: {s.Status}"));
        Assert.Equal(before, await SnapshotAsync());
    }

    public static TheoryData<string, byte[]> MalformedFrames() => new()
    {
        { "length prefix longer than the body", [0, 0, 0, 0, 100, 1, 2, 3] },
        { "compressed flag without grpc-encoding", [1, 0, 0, 0, 2, 8, 1] },
        { "half a prefix", [0, 0, 0] },
        { "unknown flag", [7, 0, 0, 0, 0] },
        { "two messages to a unary method", [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
    };

    [Theory]
    [MemberData(nameof(MalformedFrames))]
    public async Task Rpc_MalformedFrame_GrpcStatusNotHttpError(string frame, byte[] body)
    {
        using var http = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await _server.TokenAsync(TestServer.DemoClientOf(ClientRoles.PartnerManager)));
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");

        using var response = await http.PostAsync(new Uri(_server.GrpcAddress, "/partnerexchange.v1.CalendarService/GetCalendar"), content).DefaultTimeout();
        await response.Content.ReadAsByteArrayAsync().DefaultTimeout();
        var status = response.TrailingHeaders.TryGetValues("grpc-status", out var values) ? values.Single()
            : response.Headers.TryGetValues("grpc-status", out var headerValues) ? headerValues.Single() : null;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(status);
        Assert.NotEqual(((int)StatusCode.Unknown).ToString(System.Globalization.CultureInfo.InvariantCulture), status);
        if (frame == "unknown flag")
        {
            Assert.Equal(((int)StatusCode.InvalidArgument).ToString(System.Globalization.CultureInfo.InvariantCulture), status);
        }
    }

    private static bool IsRead(string rpc) => rpc.Split('/')[1] is var m && (m.StartsWith("Get", StringComparison.Ordinal) || m.StartsWith("List", StringComparison.Ordinal));

    private static MethodDescriptor Describe(string rpc)
    {
        var parts = rpc.Split('/');
        return ServiceCatalog.Descriptors.Single(s => s.Name == parts[0]).FindMethodByName(parts[1]);
    }

    private static IEnumerable<(string Label, byte[] Payload)> Payloads(MessageDescriptor input, Random random)
    {
        yield return ("random bytes (1)", RandomBytes(random, 1));
        yield return ("random bytes (16)", RandomBytes(random, 16));
        yield return ("random bytes (700)", RandomBytes(random, 700));
        foreach (var hostile in HostileStrings)
        {
            var full = Fill(input, random, hostile, depth: 0).ToByteArray();
            yield return ($"message with strings '{Shorten(hostile)}'", full);
            if (full.Length > 2)
            {
                yield return ($"that message cut at {full.Length / 2} of {full.Length} bytes", full[..(full.Length / 2)]);
                yield return ($"that message without its last byte", full[..^1]);
            }
        }

        yield return ("a 3 MiB string field", Fill(input, random, new string('x', 3 * 1024 * 1024), depth: 0).ToByteArray());
    }

    /// <summary>A message of <paramref name="type"/> with every field set: strings to <paramref name="hostile"/>, numbers to extremes.</summary>
    private static IMessage Fill(MessageDescriptor type, Random random, string hostile, int depth)
    {
        var message = type.Parser.ParseFrom([]);
        foreach (var field in type.Fields.InFieldNumberOrder())
        {
            object? value = field.FieldType switch
            {
                FieldType.String => hostile,
                FieldType.Bytes => ByteString.CopyFrom(RandomBytes(random, 32)),
                FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => random.Next(2) == 0 ? int.MinValue : int.MaxValue,
                FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => random.Next(2) == 0 ? long.MinValue : long.MaxValue,
                FieldType.UInt32 or FieldType.Fixed32 => uint.MaxValue,
                FieldType.UInt64 or FieldType.Fixed64 => ulong.MaxValue,
                FieldType.Bool => true,
                FieldType.Enum => field.EnumType.Values[^1].Number + 7,
                FieldType.Message when depth < 3 && !field.IsMap => Fill(field.MessageType, random, hostile, depth + 1),
                _ => null,
            };
            if (value is null || field.IsMap)
            {
                continue;
            }

            if (field.IsRepeated)
            {
                var list = (System.Collections.IList)field.Accessor.GetValue(message);
                list.Add(value);
                list.Add(value);
            }
            else if (field.RealContainingOneof is null || field.RealContainingOneof.Accessor.GetCaseFieldDescriptor(message) is null)
            {
                field.Accessor.SetValue(message, value);
            }
        }

        return message;
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Shorten(string text) => text.Length <= 24 ? text : text[..24] + "...";

    private async Task<Grpc.Core.Status> CallAsync(MethodDescriptor descriptor, byte[] payload, CallOptions options)
    {
        var type = descriptor.IsServerStreaming ? MethodType.ServerStreaming : MethodType.Unary;
        var method = new Method<byte[], byte[]>(type, descriptor.Service.FullName, descriptor.Name, Bytes, Bytes);
        var invoker = _server.Channel.CreateCallInvoker();
        try
        {
            if (descriptor.IsServerStreaming)
            {
                using var call = invoker.AsyncServerStreamingCall(method, null, options.WithDeadline(DateTime.UtcNow.AddSeconds(20)), payload);
                while (await call.ResponseStream.MoveNext().DefaultTimeout())
                {
                }
            }
            else
            {
                await invoker.AsyncUnaryCall(method, null, options, payload).ResponseAsync.DefaultTimeout();
            }

            return Grpc.Core.Status.DefaultSuccess;
        }
        catch (RpcException ex)
        {
            return ex.Status;
        }
    }

    private async Task<string> SnapshotAsync()
    {
        await using var scope = _server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PartnerExchangeDbContext>();
        var counts = new[]
        {
            await db.Partners.CountAsync(), await db.PartnerContacts.CountAsync(), await db.SubscriberBases.CountAsync(),
            await db.SettlementBases.CountAsync(), await db.CalendarDays.CountAsync(), await db.WorkOrders.CountAsync(),
            await db.OutboxEvents.CountAsync(), await db.AuditEntries.CountAsync(), await db.IdempotencyRecords.CountAsync(),
            await db.Set<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreApplication>().CountAsync(),
        };
        var versions = await db.Partners.OrderBy(p => p.Id).Select(p => p.Id + ":" + p.Version).ToListAsync();
        return string.Join(",", counts) + "|" + string.Join(",", versions);
    }
}

using System.Buffers.Binary;
using System.Security.Cryptography;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using PartnerExchange.Data;
using PartnerExchange.Data.Entities;
using PartnerExchange.Domain;

namespace PartnerExchange.Server.Services;

/// <summary>
/// The request_id convention of common.proto, in the transaction of the write: a retry with the same request_id and
/// the same request gets the first call's stored response without acting again; the same request_id with another
/// request is refused with <see cref="ErrorReason.RequestIdReused"/>.
/// </summary>
internal static class Idempotency
{
    /// <summary>The record of a request id, by a query compiled once (every write asks it).</summary>
    private static readonly CompiledPerModel<Func<PartnerExchangeDbContext, string, string, string, CancellationToken, Task<IdempotencyRecord?>>> FindRecord =
        new(() => EF.CompileAsyncQuery((PartnerExchangeDbContext db, string caller, string method, string requestId, CancellationToken _) =>
            db.IdempotencyRecords.AsNoTracking().SingleOrDefault(r => r.Caller == caller && r.Method == method && r.RequestId == requestId)));

    /// <summary>
    /// Runs a write once per request id, in one transaction with its idempotency record: an earlier call's stored
    /// response is answered without writing; otherwise <paramref name="write"/> makes the change and returns the
    /// response to store and the answer (which may hold more, e.g. a secret shown once). When a concurrent call with the
    /// same request id commits first, the conflict rolls this one back and its stored response is answered instead.
    /// <paramref name="serialize"/>, when given, runs first in the transaction (a writer lock), so a retry racing its first
    /// call waits for it and then finds its stored response, instead of acting on the state the first call left; without
    /// it, on PostgreSQL, a lock on the request id itself does that.
    /// </summary>
    public static async Task<TResponse> WriteOnceAsync<TResponse>(
        PartnerExchangeDbContext db, Caller caller, string method, string requestId, IMessage request, MessageParser<TResponse> parser,
        TimeProvider time, Func<Task<(TResponse Stored, TResponse Answer)>> write, CancellationToken cancellationToken,
        Func<CancellationToken, Task>? serialize = null)
        where TResponse : class, IMessage<TResponse>
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                if (serialize is not null)
                {
                    await serialize(cancellationToken);
                }
                else if (db.Database.GetDbConnection() is NpgsqlConnection)
                {
                    // Calls with one request id take turns (PostgreSQL runs transactions side by side; SQLite has one
                    // writer): a retry racing its first call waits for it and then replays its answer, instead of
                    // acting on what the first call left (e.g. ALREADY_EXISTS for the partner it just created).
                    var key = RequestKey(caller.Subject, method, requestId);
                    await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", cancellationToken);
                }

                var answer = await WriteInTransactionAsync(db, caller, method, requestId, request, parser, time, write, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return answer;
            }
            catch (Exception ex) when (attempt == 0 && ex is DbUpdateException or OpenIddict.Abstractions.OpenIddictExceptions.ConcurrencyException)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>
    /// The part of <see cref="WriteOnceAsync"/> inside the caller's transaction: the earlier call's stored response, or
    /// the write with its idempotency record, saved but not committed (the caller commits, possibly with other writes).
    /// With <paramref name="lookFirst"/> false the write runs without looking for an earlier call: the record's unique
    /// key then refuses it when there was one, or the write itself fails on what the earlier call changed; the caller
    /// must undo such a failed write whole and run it again looking first (see <see cref="WorkOrderService"/>'s shared writes).
    /// </summary>
    public static async Task<TResponse> WriteInTransactionAsync<TResponse>(
        PartnerExchangeDbContext db, Caller caller, string method, string requestId, IMessage request, MessageParser<TResponse> parser,
        TimeProvider time, Func<Task<(TResponse Stored, TResponse Answer)>> write, CancellationToken cancellationToken, bool lookFirst = true,
        byte[]? requestHash = null)
        where TResponse : class, IMessage<TResponse>
    {
        // Taken before the write runs: the request as it came is what a retry is compared with.
        var hash = requestHash ?? Hash(request);
        if (lookFirst && await ReplayAsync(db, caller, method, requestId, hash, parser, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        var (stored, answer) = await write();
        Record(db, caller, method, requestId, hash, stored, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return answer;
    }

    /// <summary>The stored response of an earlier call with this request id, or <c>null</c> for a first call.</summary>
    private static async Task<TResponse?> ReplayAsync<TResponse>(
        PartnerExchangeDbContext db, Caller caller, string method, string requestId, byte[] requestHash, MessageParser<TResponse> parser, CancellationToken cancellationToken)
        where TResponse : class, IMessage<TResponse>
    {
        var record = await FindRecord.For(db)(db, caller.Subject, method, requestId, cancellationToken);
        if (record is null)
        {
            return null;
        }

        if (!record.RequestHash.AsSpan().SequenceEqual(requestHash))
        {
            throw new InvalidRequestException([new FieldViolation("request_id", "was used before with a different request.")], ErrorReason.RequestIdReused);
        }

        return parser.ParseFrom(record.ResponseBytes);
    }

    /// <summary>Stores <paramref name="response"/> as the answer to every retry of this request id.</summary>
    private static void Record(
        PartnerExchangeDbContext db, Caller caller, string method, string requestId, byte[] requestHash, IMessage response, DateTimeOffset now) =>
        db.Insert(new IdempotencyRecord
        {
            Caller = caller.Subject,
            Method = method,
            RequestId = requestId,
            RequestHash = requestHash,
            ResponseBytes = response.ToByteArray(),
            CreatedAt = now,
        });

    /// <summary>A request's identity for its request id: the SHA-256 of its bytes.</summary>
    public static byte[] Hash(IMessage request) => SHA256.HashData(request.ToByteArray());

    /// <summary>A 64-bit advisory-lock key for one request id of one client and method.</summary>
    private static long RequestKey(string caller, string method, string requestId) =>
        BinaryPrimitives.ReadInt64LittleEndian(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{caller}\n{method}\n{requestId}")));
}

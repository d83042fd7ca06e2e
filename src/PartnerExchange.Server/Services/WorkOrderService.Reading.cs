using System.Globalization;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using PartnerExchange.Contracts.V1;
using PartnerExchange.Data;
using PartnerExchange.Server.Identity;
using D = PartnerExchange.Domain;

namespace PartnerExchange.Server.Services;

/// <summary>Reading work orders: lists with filters and stable pages, one order's timeline, and the live event feed.</summary>
internal sealed partial class WorkOrderService
{
    private const int FeedBatch = 500;

    /// <summary>
    /// WorkOrderService.ListWorkOrders: newest first by id (new orders never shift later pages), or by update time and id
    /// for resynchronising; an SI only ever lists its own partner's orders.
    /// </summary>
    public override async Task<ListWorkOrdersResponse> ListWorkOrders(ListWorkOrdersRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var violations = new List<D.FieldViolation>();
        var pageSize = D.Requests.PageSize(request.PageSize, violations);
        var partnerId = caller.Role == D.ClientRoles.Partner ? caller.PartnerId
            : request.Partner.Length > 0 ? D.Requests.PartnerName(request.Partner, "partner", violations) : null;
        var statuses = new List<D.WorkOrderStatus>();
        for (var i = 0; i < request.Statuses.Count; i++)
        {
            if (request.Statuses[i] == WorkOrderStatus.Unspecified || !Enum.IsDefined(request.Statuses[i]))
            {
                violations.Add(new D.FieldViolation($"statuses[{i}]", "must be a defined state."));
            }
            else
            {
                statuses.Add((D.WorkOrderStatus)(int)request.Statuses[i]);
            }
        }

        var kinds = new List<D.WorkOrderKind>();
        for (var i = 0; i < request.Kinds.Count; i++)
        {
            if (request.Kinds[i] == WorkOrderKind.Unspecified || !Enum.IsDefined(request.Kinds[i]))
            {
                violations.Add(new D.FieldViolation($"kinds[{i}]", "must be a defined kind."));
            }
            else
            {
                kinds.Add((D.WorkOrderKind)(int)request.Kinds[i]);
            }
        }

        var createStart = ProtoDates.ReadInstant(request.CreateStartTime, "create_start_time", violations);
        var createEnd = ProtoDates.ReadInstant(request.CreateEndTime, "create_end_time", violations);
        if (createStart is { } s && createEnd is { } e && e <= s)
        {
            violations.Add(new D.FieldViolation("create_end_time", "must be after create_start_time."));
        }

        var updateStart = ProtoDates.ReadInstant(request.UpdateStartTime, "update_start_time", violations);
        var byUpdate = request.OrderBy.Trim() switch
        {
            "" or "create_time desc" => false,
            "update_time" or "update_time asc" => true,
            _ => Invalid(violations, "order_by", "must be \"create_time desc\" or \"update_time\"."),
        };
        D.Requests.CheckText(request.OrderNumber, "order_number", 32, required: false, violations);
        var query = string.Join(
            "\n", "workOrders", partnerId, string.Join(",", statuses), string.Join(",", kinds), createStart?.UtcTicks, createEnd?.UtcTicks,
            request.OrderNumber, request.Overdue, updateStart?.UtcTicks, byUpdate);
        var after = D.Requests.ReadPageToken(request.PageToken, query, violations);
        var (afterTicks, afterId) = ReadPosition(after, byUpdate, violations);
        D.Requests.ThrowIfAny(violations);

        var orders = Db.WorkOrders.AsNoTracking();
        if (partnerId is not null)
        {
            orders = orders.Where(o => o.PartnerId == partnerId);
        }

        if (statuses.Count > 0)
        {
            orders = orders.Where(o => statuses.Contains(o.Status));
        }

        if (kinds.Count > 0)
        {
            orders = orders.Where(o => kinds.Contains(o.Kind));
        }

        if (createStart is not null)
        {
            orders = orders.Where(o => o.CreatedAt >= createStart);
        }

        if (createEnd is not null)
        {
            orders = orders.Where(o => o.CreatedAt < createEnd);
        }

        if (updateStart is not null)
        {
            orders = orders.Where(o => o.UpdatedAt >= updateStart);
        }

        if (request.OrderNumber.Length > 0)
        {
            orders = orders.Where(o => o.Number == request.OrderNumber);
        }

        if (request.Overdue)
        {
            orders = orders.Where(o => o.IsOverdue);
        }

        if (byUpdate)
        {
            if (afterId is { } id)
            {
                var at = new DateTimeOffset(afterTicks, TimeSpan.Zero);
                orders = orders.Where(o => o.UpdatedAt > at || (o.UpdatedAt == at && o.Id > id));
            }

            orders = orders.OrderBy(o => o.UpdatedAt).ThenBy(o => o.Id);
        }
        else
        {
            if (afterId is { } id)
            {
                orders = orders.Where(o => o.Id < id);
            }

            orders = orders.OrderByDescending(o => o.Id);
        }

        var page = await orders.Take(pageSize + 1)
            .Select(o => new { Stored = new StoredWorkOrder(o.Id, o.PartnerId, o.Version, o.Document), o.UpdatedAt })
            .ToListAsync(context.CancellationToken);
        var now = clock.Now;
        var response = new ListWorkOrdersResponse();
        response.WorkOrders.AddRange(page.Take(pageSize).Select(row => WorkOrderStore.Show(row.Stored, now)));
        if (page.Count > pageSize)
        {
            var last = page[pageSize - 1];
            response.NextPageToken = D.Requests.PageToken(
                query, byUpdate ? $"{last.UpdatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}:{last.Stored.Id.ToString(CultureInfo.InvariantCulture)}" : last.Stored.Id.ToString(CultureInfo.InvariantCulture));
        }

        return response;
    }

    /// <summary>WorkOrderService.ListWorkOrderEvents: one order's timeline, oldest first; an SI sees the events of its own time with the order.</summary>
    public override async Task<ListWorkOrderEventsResponse> ListWorkOrderEvents(ListWorkOrderEventsRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var violations = new List<D.FieldViolation>();
        var id = D.Requests.WorkOrderName(request.Parent, "parent", violations);
        var pageSize = D.Requests.PageSize(request.PageSize, violations);
        var after = D.Requests.ReadPageToken(request.PageToken, request.Parent, violations);
        var afterId = after is null ? 0 : long.TryParse(after, CultureInfo.InvariantCulture, out var a) ? a : Invalid(violations, "page_token", "is not a page token of this query.", 0L);
        D.Requests.ThrowIfAny(violations);

        var cancellationToken = context.CancellationToken;
        var partnerId = await Db.WorkOrders.Where(o => o.Id == id).Select(o => new { o.PartnerId }).SingleOrDefaultAsync(cancellationToken);
        if (partnerId is null || !D.WorkOrderState.IsVisibleTo(caller, partnerId.PartnerId))
        {
            throw new D.ResourceNotFoundException(request.Parent);
        }

        var events = Db.OutboxEvents.AsNoTracking().Where(e => e.WorkOrderId == id && e.Id > afterId);
        if (caller.Role == D.ClientRoles.Partner)
        {
            events = events.Where(e => e.PartnerId == caller.PartnerId);
        }

        var page = await events.OrderBy(e => e.Id).Take(pageSize + 1).ToListAsync(cancellationToken);
        var response = new ListWorkOrderEventsResponse();
        response.WorkOrderEvents.AddRange(page.Take(pageSize).Select(ToMessage));
        if (page.Count > pageSize)
        {
            response.NextPageToken = D.Requests.PageToken(request.Parent, page[pageSize - 1].Id.ToString(CultureInfo.InvariantCulture));
        }

        return response;
    }

    /// <summary>
    /// WorkOrderService.WatchWorkOrderEvents: every stored event after the cursor in cursor order, then new ones as they
    /// commit (woken at once by this instance's writes, and polling for other instances'). Writers are serialised, so
    /// cursors commit in order and reading "after the last cursor" never skips one.
    /// </summary>
    public override async Task WatchWorkOrderEvents(WatchWorkOrderEventsRequest request, IServerStreamWriter<WorkOrderEvent> responseStream, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var violations = new List<D.FieldViolation>();
        if (request.AfterCursor < 0)
        {
            violations.Add(new D.FieldViolation("after_cursor", "must not be negative."));
        }

        var partnerId = caller.Role == D.ClientRoles.Partner ? caller.PartnerId
            : request.Partner.Length > 0 ? D.Requests.PartnerName(request.Partner, "partner", violations) : null;
        var types = new List<string>();
        for (var i = 0; i < request.EventTypes.Count; i++)
        {
            if (request.EventTypes[i] == WorkOrderEventType.Unspecified || !Enum.IsDefined(request.EventTypes[i]))
            {
                violations.Add(new D.FieldViolation($"event_types[{i}]", "must be a defined event type."));
            }
            else
            {
                types.Add(((D.OrderEventType)(int)request.EventTypes[i]).ToString());
            }
        }

        D.Requests.ThrowIfAny(violations);
        var cancellationToken = context.CancellationToken;
        // The oldest retained event is the first written within the retention (writers are serialised, so the written
        // time does not decrease with the cursor): 0 starts there, and a cursor before it cannot resume without a gap.
        // The last cursor is read first: an event committed between the two reads is then retained and found by the
        // second, whereas the other order would start after it and skip it.
        var cutoff = (clock.Now - Duration.FromTimeSpan(feed.Retention)).ToDateTimeOffset();
        var last = await Db.OutboxEvents.MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
        var oldest = await Db.OutboxEvents.Where(e => e.RecordedAt >= cutoff).OrderBy(e => e.RecordedAt).ThenBy(e => e.Id)
            .Select(e => (long?)e.Id).FirstOrDefaultAsync(cancellationToken) ?? last + 1;
        var cursor = request.AfterCursor;
        if (cursor == 0)
        {
            cursor = oldest - 1;
        }
        else if (cursor < oldest - 1)
        {
            throw new D.CursorExpiredException(cursor, feed.Retention);
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            var events = Db.OutboxEvents.AsNoTracking().Where(e => e.Id > cursor);
            if (partnerId is not null)
            {
                events = events.Where(e => e.PartnerId == partnerId);
            }

            if (types.Count > 0)
            {
                events = events.Where(e => types.Contains(e.Type));
            }

            var wake = signal.NextPulse();
            var batch = await events.OrderBy(e => e.Id).Take(FeedBatch).ToListAsync(cancellationToken);
            foreach (var stored in batch)
            {
                await responseStream.WriteAsync(ToMessage(stored), cancellationToken);
                cursor = stored.Id;
            }

            if (batch.Count < FeedBatch)
            {
                await Task.WhenAny(wake, Task.Delay(feed.PollInterval, cancellationToken));
            }
        }
    }

    private static WorkOrderEvent ToMessage(Data.Entities.OutboxEvent stored)
    {
        var message = WorkOrderEvent.Parser.ParseFrom(stored.Payload);
        message.Cursor = stored.Id;
        return message;
    }

    private static (long Ticks, long? Id) ReadPosition(string? after, bool byUpdate, List<D.FieldViolation> violations)
    {
        if (after is null)
        {
            return (0, null);
        }

        var parts = after.Split(':');
        if (byUpdate && parts.Length == 2 && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var ticks) && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var id))
        {
            return (ticks, id);
        }

        if (!byUpdate && parts.Length == 1 && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var createId))
        {
            return (0, createId);
        }

        violations.Add(new D.FieldViolation("page_token", "is not a page token of this query; start again with an empty page_token."));
        return (0, null);
    }

    private static bool Invalid(List<D.FieldViolation> violations, string field, string description)
    {
        violations.Add(new D.FieldViolation(field, description));
        return false;
    }

    private static long Invalid(List<D.FieldViolation> violations, string field, string description, long value)
    {
        violations.Add(new D.FieldViolation(field, description));
        return value;
    }
}

/// <summary>Wakes event-feed watchers of this instance when a work-order write commits.</summary>
internal sealed class EventSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A task that completes at the next pulse; take it before reading, so a write in between is not missed.</summary>
    public Task NextPulse() => Volatile.Read(ref _next).Task;

    /// <summary>Wakes every watcher waiting for the current pulse.</summary>
    public void Pulse() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}

/// <summary>Settings of the live event feed (<c>EventFeed</c> section).</summary>
/// <param name="Retention">How long the feed keeps events for resuming (default 30 days); one order's timeline is kept as long as the order.</param>
/// <param name="PollInterval">How often a watcher looks for events other instances wrote (default 1 s).</param>
internal sealed record EventFeedSettings(TimeSpan Retention, TimeSpan PollInterval);

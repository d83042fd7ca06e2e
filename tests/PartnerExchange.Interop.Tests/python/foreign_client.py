"""A Partner Exchange integration in Python, as a service integrator would write it: grpcio (the gRPC C core) with
stubs generated from the repository's protos/. Runs one case against a running server and exits 0 when it passes;
otherwise prints what went wrong to stderr and exits 1.

Usage: foreign_client.py --stubs DIR --port PORT --case NAME
       foreign_client.py --list          (prints the case names, one a line)

DIR holds the output of `python3 -m grpc_tools.protoc -I protos --python_out=DIR --grpc_python_out=DIR <every .proto>`;
the test suite generates it once per run.
"""

import argparse
import importlib
import os
import sys
import time

import grpc

CASES = [
    "health_check",
    "reflection_list_services_v1",
    "reflection_list_services_v1alpha",
    "calendar_real_answer",
    "calendar_make_up_day_named",
    "not_built_unimplemented",
    "streaming_not_built",
    "rich_error_bad_request",
    "deadline_exceeded",
    "cancel_held_call",
    "over_limit",
    "unknown_service",
]

# Generous for a loaded machine; the deadline case uses its own short one.
CALL_TIMEOUT = 30.0
SHORT_DEADLINE = 0.3
OVER_LIMIT_BYTES = 5 * 1024 * 1024
DOMAIN = "partnerexchange.v1"
STATUS_DETAILS_KEY = "grpc-status-details-bin"
HOLD = (("x-test-hold", "1"),)

EXPECTED_SERVICES = [
    "partnerexchange.v1.PartnerService",
    "partnerexchange.v1.WorkOrderService",
    "partnerexchange.v1.SettlementService",
    "partnerexchange.v1.ReportService",
    "partnerexchange.v1.CalendarService",
    "partnerexchange.v1.AuditService",
    "grpc.health.v1.Health",
    "grpc.reflection.v1.ServerReflection",
    "grpc.reflection.v1alpha.ServerReflection",
]


class CaseFailed(Exception):
    """The server did not answer as the case requires."""


def check(condition, message):
    if not condition:
        raise CaseFailed(message)


def import_stubs(stubs_dir):
    """Makes the generated modules importable and returns them by short name.

    The standard protos live in the proto packages grpc.health.v1 and grpc.reflection.*, so protoc writes their modules
    under DIR/grpc/, and the generated _pb2_grpc modules import them as grpc.health.v1...: that is the installed grpcio
    package, so its search path is extended with DIR/grpc (grpcio has no such subpackages of its own). google.rpc
    and partnerexchange.v1 are found through sys.path (google is a namespace package).
    """
    if stubs_dir not in sys.path:
        sys.path.insert(0, stubs_dir)
    generated_grpc = os.path.join(stubs_dir, "grpc")
    if generated_grpc not in grpc.__path__:
        grpc.__path__.append(generated_grpc)
    names = {
        "health": "grpc.health.v1.health_pb2",
        "health_grpc": "grpc.health.v1.health_pb2_grpc",
        "reflection_v1": "grpc.reflection.v1.reflection_pb2",
        "reflection_v1_grpc": "grpc.reflection.v1.reflection_pb2_grpc",
        "reflection_v1alpha": "grpc.reflection.v1alpha.reflection_pb2",
        "reflection_v1alpha_grpc": "grpc.reflection.v1alpha.reflection_pb2_grpc",
        "status": "google.rpc.status_pb2",
        "error_details": "google.rpc.error_details_pb2",
        "common": "partnerexchange.v1.common_pb2",
        "calendar": "partnerexchange.v1.calendar_service_pb2",
        "calendar_grpc": "partnerexchange.v1.calendar_service_pb2_grpc",
        "partner": "partnerexchange.v1.partner_service_pb2",
        "partner_grpc": "partnerexchange.v1.partner_service_pb2_grpc",
        "work_order": "partnerexchange.v1.work_order_service_pb2",
        "work_order_grpc": "partnerexchange.v1.work_order_service_pb2_grpc",
    }
    return argparse.Namespace(**{short: importlib.import_module(module) for short, module in names.items()})


def short(value, limit=400):
    """repr of value, cut to limit characters for a readable failure message."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "... (%d characters)" % len(text)


def expect_rpc_error(call, code, what):
    """Runs call(); returns its grpc.RpcError, which must have the given status code."""
    try:
        response = call()
    except grpc.RpcError as error:
        check(error.code() == code, "%s: expected %s, got %s: %r" % (what, code.name, error.code().name, error.details()))
        return error
    raise CaseFailed("%s: expected %s, got a response: %s" % (what, code.name, short(response)))


class Client:
    def __init__(self, port, stubs):
        self.pb = stubs
        self.channel = grpc.insecure_channel("127.0.0.1:%d" % port)
        grpc.channel_ready_future(self.channel).result(timeout=CALL_TIMEOUT)
        self.calendar = stubs.calendar_grpc.CalendarServiceStub(self.channel)

    def date(self, year, month, day):
        return self.pb.common.Date(year=year, month=month, day=day)

    def calendar_request(self, start, end):
        return self.pb.calendar.GetCalendarRequest(start_date=self.date(*start), end_date=self.date(*end))

    def status_details(self, error):
        """Decodes grpc-status-details-bin (a google.rpc.Status) and checks it agrees with the status line."""
        blobs = [value for key, value in (error.trailing_metadata() or ()) if key == STATUS_DETAILS_KEY]
        check(len(blobs) == 1, "expected one %s trailer, got %d: %r" % (STATUS_DETAILS_KEY, len(blobs), error.trailing_metadata()))
        status = self.pb.status.Status.FromString(blobs[0])
        check(status.code == error.code().value[0], "details say code %d, the status is %s" % (status.code, error.code().name))
        check(status.message == error.details(), "details say %r, the status message is %r" % (status.message, error.details()))
        return status

    def unpack(self, status, message_type):
        """Returns the details of status that are message_type, unpacked from their Any."""
        found = []
        for detail in status.details:
            if detail.Is(message_type.DESCRIPTOR):
                message = message_type()
                detail.Unpack(message)
                found.append(message)
        return found

    def error_info(self, error):
        infos = self.unpack(self.status_details(error), self.pb.error_details.ErrorInfo)
        check(len(infos) == 1, "expected one ErrorInfo in the details, got %d" % len(infos))
        check(infos[0].domain == DOMAIN, "ErrorInfo.domain is %r" % infos[0].domain)
        return infos[0]

    # --- cases -------------------------------------------------------------------------------------------------

    def health_check(self):
        pb = self.pb.health
        stub = self.pb.health_grpc.HealthStub(self.channel)
        response = stub.Check(pb.HealthCheckRequest(service=""), timeout=CALL_TIMEOUT)
        check(response.status == pb.HealthCheckResponse.SERVING,
              "Check(\"\") is %s, expected SERVING" % pb.HealthCheckResponse.ServingStatus.Name(response.status))
        expect_rpc_error(lambda: stub.Check(pb.HealthCheckRequest(service="no.such.Service"), timeout=CALL_TIMEOUT),
                         grpc.StatusCode.NOT_FOUND, "Check(\"no.such.Service\")")

    def reflection(self, pb, stub_module):
        """Lists the services, then fetches the file defining CalendarService and builds a usable descriptor from it,
        as grpcurl or a dynamic client would."""
        from google.protobuf import descriptor_pool  # pylint: disable=import-outside-toplevel

        stub = stub_module.ServerReflectionStub(self.channel)
        requests = [
            pb.ServerReflectionRequest(list_services=""),
            pb.ServerReflectionRequest(file_containing_symbol="partnerexchange.v1.CalendarService"),
        ]
        responses = list(stub.ServerReflectionInfo(iter(requests), timeout=CALL_TIMEOUT))
        check(len(responses) == 2, "got %d reflection responses, expected 2" % len(responses))
        listed, files = responses

        check(listed.WhichOneof("message_response") == "list_services_response",
              "list_services answered with %s: %s" % (listed.WhichOneof("message_response"), listed))
        names = [service.name for service in listed.list_services_response.service]
        missing = [name for name in EXPECTED_SERVICES if name not in names]
        check(not missing, "list_services lacks %r (listed %r)" % (missing, names))

        check(files.WhichOneof("message_response") == "file_descriptor_response",
              "file_containing_symbol answered with %s: %s" % (files.WhichOneof("message_response"), files))
        from google.protobuf import descriptor_pb2  # pylint: disable=import-outside-toplevel

        pending = {}
        for blob in files.file_descriptor_response.file_descriptor_proto:
            proto = descriptor_pb2.FileDescriptorProto.FromString(blob)
            pending[proto.name] = blob, proto
        pool = descriptor_pool.DescriptorPool()
        while pending:
            ready = [name for name, (_, proto) in pending.items() if not any(d in pending for d in proto.dependency)]
            check(ready, "the returned files import files that were not returned: %r" % sorted(pending))
            for name in ready:
                pool.AddSerializedFile(pending.pop(name)[0])
        try:
            service = pool.FindServiceByName("partnerexchange.v1.CalendarService")
        except KeyError as error:
            raise CaseFailed("the returned files do not define partnerexchange.v1.CalendarService: %s" % error) from error
        methods = {method.name: method for method in service.methods}
        check({"GetCalendar", "SetCalendarDays"} <= set(methods), "CalendarService has methods %r" % sorted(methods))
        get = methods["GetCalendar"]
        check(get.input_type.full_name == "partnerexchange.v1.GetCalendarRequest",
              "GetCalendar takes %s" % get.input_type.full_name)
        check("start_date" in get.input_type.fields_by_name, "GetCalendarRequest lacks start_date")

    def reflection_list_services_v1(self):
        self.reflection(self.pb.reflection_v1, self.pb.reflection_v1_grpc)

    def reflection_list_services_v1alpha(self):
        self.reflection(self.pb.reflection_v1alpha, self.pb.reflection_v1alpha_grpc)

    def check_days(self, response, expected):
        """expected: ((year, month, day), kind, holiday_name, make_up_working_day, provisional) per day, in order;
        a holiday_name of None is not checked."""
        pb = self.pb.calendar
        dates = [(d.date.year, d.date.month, d.date.day) for d in response.days]
        check(dates == [e[0] for e in expected], "days %r, expected %r" % (dates, [e[0] for e in expected]))
        for day, (date, kind, holiday, make_up, provisional) in zip(response.days, expected):
            actual = (pb.DayKind.Name(day.kind), day.holiday_name if holiday is not None else None, day.make_up_working_day, day.provisional)
            wanted = (pb.DayKind.Name(kind), holiday, make_up, provisional)
            check(actual == wanted, "%04d-%02d-%02d is %r, expected %r" % (date + (actual, wanted)))

    def calendar_real_answer(self):
        pb = self.pb.calendar
        working, off = pb.DAY_KIND_WORKING_DAY, pb.DAY_KIND_DAY_OFF

        # The Spring Festival of the seeded 2026 calendar: a Saturday make-up working day, then the days off. The
        # make-up day's holiday_name is checked by calendar_make_up_day_named.
        response = self.calendar.GetCalendar(self.calendar_request((2026, 2, 13), (2026, 2, 16)), timeout=CALL_TIMEOUT)
        check(response.time_zone == "Asia/Shanghai", "time_zone is %r" % response.time_zone)
        first, last = response.first_entered_date, response.last_entered_date
        check((first.year, first.month, first.day) == (2026, 1, 1), "first_entered_date is %s" % first)
        check((last.year, last.month, last.day) == (2026, 12, 31), "last_entered_date is %s" % last)
        self.check_days(response, [
            ((2026, 2, 13), working, "", False, False),
            ((2026, 2, 14), working, None, True, False),
            ((2026, 2, 15), off, "Spring Festival", False, False),
            ((2026, 2, 16), off, "Spring Festival", False, False),
        ])

        # Past the last entered day the calendar is provisional: weekends off, nothing else.
        response = self.calendar.GetCalendar(self.calendar_request((2026, 12, 31), (2027, 1, 3)), timeout=CALL_TIMEOUT)
        self.check_days(response, [
            ((2026, 12, 31), working, "", False, False),
            ((2027, 1, 1), working, "", False, True),
            ((2027, 1, 2), off, "", False, True),
            ((2027, 1, 3), off, "", False, True),
        ])

    def calendar_make_up_day_named(self):
        # calendar_service.proto: holiday_name is the holiday's name "for holiday days off and their make-up working days".
        response = self.calendar.GetCalendar(self.calendar_request((2026, 2, 14), (2026, 2, 14)), timeout=CALL_TIMEOUT)
        self.check_days(response, [((2026, 2, 14), self.pb.calendar.DAY_KIND_WORKING_DAY, "Spring Festival", True, False)])

    def not_built_unimplemented(self):
        stub = self.pb.partner_grpc.PartnerServiceStub(self.channel)
        error = expect_rpc_error(lambda: stub.ListPartners(self.pb.partner.ListPartnersRequest(), timeout=CALL_TIMEOUT),
                                 grpc.StatusCode.UNIMPLEMENTED, "ListPartners")
        check("PartnerService.ListPartners" in (error.details() or ""),
              "the message does not name the RPC: %r" % error.details())
        info = self.error_info(error)
        check(info.reason == "NOT_BUILT", "ErrorInfo.reason is %r, expected NOT_BUILT" % info.reason)
        check(info.metadata.get("method") == "PartnerService.ListPartners", "ErrorInfo.metadata is %r" % dict(info.metadata))

    def streaming_not_built(self):
        stub = self.pb.work_order_grpc.WorkOrderServiceStub(self.channel)
        request = self.pb.work_order.WatchWorkOrderEventsRequest()

        def read_all():
            return list(stub.WatchWorkOrderEvents(request, timeout=CALL_TIMEOUT))

        error = expect_rpc_error(read_all, grpc.StatusCode.UNIMPLEMENTED, "WatchWorkOrderEvents")
        check("WorkOrderService.WatchWorkOrderEvents" in (error.details() or ""),
              "the message does not name the RPC: %r" % error.details())
        check(self.error_info(error).reason == "NOT_BUILT", "ErrorInfo.reason is not NOT_BUILT")

    def rich_error_bad_request(self):
        cases = [
            ("end before start", self.calendar_request((2026, 3, 2), (2026, 3, 1)), "end_date"),
            ("no start_date", self.pb.calendar.GetCalendarRequest(end_date=self.date(2026, 3, 1)), "start_date"),
            ("February 30", self.calendar_request((2026, 2, 1), (2026, 2, 30)), "end_date.day"),
        ]
        for what, request, field in cases:
            error = expect_rpc_error(lambda r=request: self.calendar.GetCalendar(r, timeout=CALL_TIMEOUT),
                                     grpc.StatusCode.INVALID_ARGUMENT, "GetCalendar(%s)" % what)
            status = self.status_details(error)
            infos = self.unpack(status, self.pb.error_details.ErrorInfo)
            check(len(infos) == 1 and infos[0].reason == "INVALID_REQUEST" and infos[0].domain == DOMAIN,
                  "%s: ErrorInfo is %r, expected reason INVALID_REQUEST in %s" % (what, infos, DOMAIN))
            bad_requests = self.unpack(status, self.pb.error_details.BadRequest)
            check(len(bad_requests) == 1, "%s: expected one BadRequest in the details, got %d" % (what, len(bad_requests)))
            violations = [(v.field, v.description) for v in bad_requests[0].field_violations]
            check([f for f, _ in violations] == [field], "%s: field violations %r, expected one on %r" % (what, violations, field))
            check(all(d for _, d in violations), "%s: a field violation has no description: %r" % (what, violations))

    def deadline_exceeded(self):
        request = self.calendar_request((2026, 2, 1), (2026, 2, 28))
        self.calendar.GetCalendar(request, timeout=CALL_TIMEOUT)  # warm: the held call must not spend its deadline connecting
        started = time.monotonic()
        error = expect_rpc_error(lambda: self.calendar.GetCalendar(request, timeout=SHORT_DEADLINE, metadata=HOLD),
                                 grpc.StatusCode.DEADLINE_EXCEEDED, "a held GetCalendar with a %.0f ms deadline" % (SHORT_DEADLINE * 1000))
        elapsed = time.monotonic() - started
        check(elapsed >= SHORT_DEADLINE * 0.8, "DEADLINE_EXCEEDED after %.0f ms, before the deadline" % (elapsed * 1000))
        check(elapsed < CALL_TIMEOUT, "DEADLINE_EXCEEDED only after %.1f s" % elapsed)
        print("DEADLINE_EXCEEDED after %.0f ms: %r" % (elapsed * 1000, error.details()))

    def cancel_held_call(self):
        # grpcio hands a unary call's response headers over only with its end, so the call is made as a
        # server-streaming one (the same bytes on the wire), whose headers arrive as soon as the server sends them.
        pb = self.pb.calendar
        get_calendar = self.channel.unary_stream(
            "/partnerexchange.v1.CalendarService/GetCalendar",
            request_serializer=pb.GetCalendarRequest.SerializeToString,
            response_deserializer=pb.GetCalendarResponse.FromString)
        call = get_calendar(self.calendar_request((2026, 2, 1), (2026, 2, 28)), timeout=CALL_TIMEOUT, metadata=HOLD)
        headers = dict(call.initial_metadata() or ())  # blocks until the server has the call
        check(headers.get("x-test-held") == "1", "the held call's response headers are %r" % headers)
        check(call.cancel(), "cancel() did not cancel the call (it had ended: %s)" % call.code())
        check(call.code() == grpc.StatusCode.CANCELLED, "the cancelled call ended with %s" % call.code())

    def over_limit(self):
        request = self.pb.calendar.SetCalendarDaysRequest(reason="x" * OVER_LIMIT_BYTES, request_id="over-limit")
        check(request.ByteSize() > 4 * 1024 * 1024, "the request is only %d bytes" % request.ByteSize())
        error = expect_rpc_error(lambda: self.calendar.SetCalendarDays(request, timeout=CALL_TIMEOUT),
                                 grpc.StatusCode.RESOURCE_EXHAUSTED, "SetCalendarDays of %d bytes" % request.ByteSize())
        print("RESOURCE_EXHAUSTED: %r" % error.details())

    def unknown_service(self):
        for path in ["/partnerexchange.v1.NoSuchService/NoSuchMethod", "/partnerexchange.v1.CalendarService/NoSuchMethod"]:
            call = self.channel.unary_unary(path)  # no serializers: the request is raw bytes
            expect_rpc_error(lambda c=call: c(b"", timeout=CALL_TIMEOUT), grpc.StatusCode.UNIMPLEMENTED, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--stubs")
    parser.add_argument("--port", type=int)
    parser.add_argument("--case", choices=CASES)
    args = parser.parse_args()
    if args.list:
        print("\n".join(CASES))
        return 0
    if not (args.stubs and args.port and args.case):
        parser.error("--stubs, --port and --case are required")

    client = Client(args.port, import_stubs(args.stubs))
    try:
        getattr(client, args.case)()
    except CaseFailed as failure:
        print("FAIL %s: %s" % (args.case, failure), file=sys.stderr)
        return 1
    except grpc.RpcError as error:
        print("FAIL %s: unexpected %s: %r" % (args.case, error.code(), error.details()), file=sys.stderr)
        return 1
    finally:
        client.channel.close()
    print("PASS %s" % args.case)
    return 0


if __name__ == "__main__":
    sys.exit(main())

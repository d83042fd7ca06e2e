"""A Partner Exchange integration in Python, as a service integrator would write it: grpcio (the gRPC C core) with
stubs generated from the repository's protos/. Runs one case against a running server and exits 0 when it passes;
otherwise prints what went wrong to stderr and exits 1.

Usage: foreign_client.py --stubs DIR --port PORT --case NAME
                          --token-url URL --client-id ID --client-secret SECRET
                          --si-client-id ID --si-client-secret SECRET
       foreign_client.py --list          (prints the case names, one a line)

DIR holds the output of `python3 -m grpc_tools.protoc -I protos --python_out=DIR --grpc_python_out=DIR <every .proto>`;
the test suite generates it once per run.

The client gets its access token itself, as an SI's integration would: an OAuth 2.0 client-credentials request to
the token endpoint (URL, the server's Web endpoint), then `authorization: Bearer <token>` on every call through a
client interceptor on the channel. The SI client's credentials are used by permission_denied only.
"""

import argparse
import base64
import collections
import importlib
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import grpc

CASES = [
    "health_check",
    "reflection_list_services_v1",
    "reflection_list_services_v1alpha",
    "calendar_real_answer",
    "calendar_make_up_day_named",
    "precondition_failed",
    "streaming_error",
    "rich_error_bad_request",
    "deadline_exceeded",
    "cancel_held_call",
    "over_limit",
    "unknown_service",
    "unauthenticated",
    "permission_denied",
    "token_endpoint",
]

# Generous for a loaded machine; the deadline case uses its own short one.
CALL_TIMEOUT = 30.0
SHORT_DEADLINE = 0.3
OVER_LIMIT_BYTES = 5 * 1024 * 1024
DOMAIN = "partnerexchange.v1"
STATUS_DETAILS_KEY = "grpc-status-details-bin"
HOLD = (("x-test-hold", "1"),)
TOKEN_LIFETIME_SECONDS = 900
PARTNER_MANAGER_ROLE = "partner-manager"
SI_ROLE = "si"

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
        "settlement": "partnerexchange.v1.settlement_service_pb2",
        "settlement_grpc": "partnerexchange.v1.settlement_service_pb2_grpc",
    }
    return argparse.Namespace(**{short: importlib.import_module(module) for short, module in names.items()})


def short(value, limit=400):
    """repr of value, cut to limit characters for a readable failure message."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "... (%d characters)" % len(text)


class TokenRequestFailed(Exception):
    """The token endpoint refused the request or did not answer as OAuth 2.0 requires."""


def request_token(token_url, client_id, client_secret, basic=False):
    """Asks the token endpoint for an access token with the client-credentials grant and returns its JSON reply.

    The client authenticates with client_secret_post (id and secret in the form) or, with basic, client_secret_basic
    (HTTP Basic with the form-encoded id and secret, RFC 6749 section 2.3.1).
    """
    form = {"grant_type": "client_credentials"}
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
    if basic:
        pair = "%s:%s" % (urllib.parse.quote_plus(client_id), urllib.parse.quote_plus(client_secret))
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")
    else:
        form.update(client_id=client_id, client_secret=client_secret)
    request = urllib.request.Request(token_url, data=urllib.parse.urlencode(form).encode("ascii"), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=CALL_TIMEOUT) as response:
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        body = error.read().decode("utf-8", "replace")
        raise TokenRequestFailed("POST %s for %s answered HTTP %d: %s" % (token_url, client_id, error.code, body[:400])) from error
    except urllib.error.URLError as error:
        raise TokenRequestFailed("POST %s for %s failed: %s" % (token_url, client_id, error.reason)) from error


def access_token(reply):
    token = reply.get("access_token") if isinstance(reply, dict) else None
    if not token:
        raise TokenRequestFailed("the token endpoint answered without an access_token: %s" % short(reply))
    return token


def jwt_part(token, index):
    """Part index (0 header, 1 payload) of a JWT, base64url-decoded and parsed; the signature is not checked."""
    parts = token.split(".")
    check(len(parts) == 3, "the access token has %d dot-separated parts, a signed JWT has 3" % len(parts))
    segment = parts[index]
    try:
        return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except ValueError as error:
        raise CaseFailed("part %d of the access token is not base64url JSON: %s" % (index, error)) from error


class _CallDetails(collections.namedtuple("_CallDetails", ("method", "timeout", "metadata", "credentials", "wait_for_ready", "compression")),
                   grpc.ClientCallDetails):
    """The details of an outgoing call as an interceptor hands them on."""


class BearerToken(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor,
                  grpc.StreamUnaryClientInterceptor, grpc.StreamStreamClientInterceptor):
    """Adds `authorization: Bearer <token>` to the metadata of every call, of any of the four kinds."""

    def __init__(self, token):
        self._header = ("authorization", "Bearer " + token)

    def _with_token(self, details):
        metadata = [item for item in (details.metadata or ()) if item[0] != "authorization"]
        metadata.append(self._header)
        return _CallDetails(details.method, details.timeout, metadata, details.credentials,
                            getattr(details, "wait_for_ready", None), getattr(details, "compression", None))

    def intercept_unary_unary(self, continuation, client_call_details, request):
        return continuation(self._with_token(client_call_details), request)

    def intercept_unary_stream(self, continuation, client_call_details, request):
        return continuation(self._with_token(client_call_details), request)

    def intercept_stream_unary(self, continuation, client_call_details, request_iterator):
        return continuation(self._with_token(client_call_details), request_iterator)

    def intercept_stream_stream(self, continuation, client_call_details, request_iterator):
        return continuation(self._with_token(client_call_details), request_iterator)


def expect_rpc_error(call, code, what):
    """Runs call(); returns its grpc.RpcError, which must have the given status code."""
    try:
        response = call()
    except grpc.RpcError as error:
        check(error.code() == code, "%s: expected %s, got %s: %r" % (what, code.name, error.code().name, error.details()))
        return error
    raise CaseFailed("%s: expected %s, got a response: %s" % (what, code.name, short(response)))


class Client:
    def __init__(self, port, stubs, credentials):
        """credentials: the token-url, client-id, client-secret, si-client-id and si-client-secret arguments."""
        self.pb = stubs
        self.credentials = credentials
        self.address = "127.0.0.1:%d" % port
        # Health and reflection are open to anyone, so their cases call without a token, on the bare channel; every
        # other call goes through the channel that adds the partner manager's token.
        self.bare_channel = grpc.insecure_channel(self.address)
        self.channels = [self.bare_channel]
        grpc.channel_ready_future(self.bare_channel).result(timeout=CALL_TIMEOUT)
        self.token_reply = request_token(credentials.token_url, credentials.client_id, credentials.client_secret)
        self.channel = self.authenticated_channel(access_token(self.token_reply))
        self.calendar = stubs.calendar_grpc.CalendarServiceStub(self.channel)

    def authenticated_channel(self, token):
        """A channel of its own whose every call carries token."""
        channel = grpc.intercept_channel(grpc.insecure_channel(self.address), BearerToken(token))
        self.channels.append(channel)
        return channel

    def close(self):
        for channel in self.channels:
            channel.close()

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
        stub = self.pb.health_grpc.HealthStub(self.bare_channel)  # no token: health is open to load balancers
        response = stub.Check(pb.HealthCheckRequest(service=""), timeout=CALL_TIMEOUT)
        check(response.status == pb.HealthCheckResponse.SERVING,
              "Check(\"\") is %s, expected SERVING" % pb.HealthCheckResponse.ServingStatus.Name(response.status))
        expect_rpc_error(lambda: stub.Check(pb.HealthCheckRequest(service="no.such.Service"), timeout=CALL_TIMEOUT),
                         grpc.StatusCode.NOT_FOUND, "Check(\"no.such.Service\")")

    def reflection(self, pb, stub_module):
        """Lists the services, then fetches the file defining CalendarService and builds a usable descriptor from it,
        as grpcurl or a dynamic client would."""
        from google.protobuf import descriptor_pool  # pylint: disable=import-outside-toplevel

        stub = stub_module.ServerReflectionStub(self.bare_channel)  # no token: reflection is open, as for grpcurl
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

    def precondition_failed(self):
        stub = self.pb.settlement_grpc.SettlementServiceStub(self.channel)
        request = self.pb.settlement.ClosePeriodRequest(period=self.pb.common.YearMonth(year=2026, month=1), request_id="interop-close-2026-01")
        error = expect_rpc_error(lambda: stub.ClosePeriod(request, timeout=CALL_TIMEOUT), grpc.StatusCode.FAILED_PRECONDITION, "ClosePeriod")
        info = self.error_info(error)
        check(info.reason == "ILLEGAL_STATE_TRANSITION", "ErrorInfo.reason is %r, expected ILLEGAL_STATE_TRANSITION" % info.reason)
        failures = self.unpack(self.status_details(error), self.pb.error_details.PreconditionFailure)
        subjects = [v.subject for f in failures for v in f.violations]
        check(subjects == ["settlementPeriods/2026-01"], "PreconditionFailure subjects are %r" % subjects)

    def streaming_error(self):
        stub = self.pb.settlement_grpc.SettlementServiceStub(self.channel)
        request = self.pb.settlement.StreamStatementLinesRequest(parent="partners/si-yunqi-music/statements/2026-10")

        def read_all():
            return list(stub.StreamStatementLines(request, timeout=CALL_TIMEOUT))

        error = expect_rpc_error(read_all, grpc.StatusCode.NOT_FOUND, "StreamStatementLines")
        check("partners/si-yunqi-music/statements/2026-10" in (error.details() or ""),
              "the message does not name the statement: %r" % error.details())
        check(self.error_info(error).reason == "RESOURCE_NOT_FOUND", "ErrorInfo.reason is not RESOURCE_NOT_FOUND")

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

    def expect_error_info(self, call, code, reason, what):
        """Runs call(), which must fail with code and an ErrorInfo of the given reason in its status details."""
        error = expect_rpc_error(call, code, what)
        info = self.error_info(error)
        check(info.reason == reason, "%s: ErrorInfo.reason is %r, expected %s" % (what, info.reason, reason))
        return error

    def unauthenticated(self):
        request = self.calendar_request((2026, 2, 13), (2026, 2, 16))
        unauthenticated = grpc.StatusCode.UNAUTHENTICATED
        bare = self.pb.calendar_grpc.CalendarServiceStub(self.bare_channel)
        error = self.expect_error_info(lambda: bare.GetCalendar(request, timeout=CALL_TIMEOUT),
                                       unauthenticated, "AUTHENTICATION_REQUIRED", "GetCalendar without a token")
        print("UNAUTHENTICATED: %r" % error.details())

        # Something that is no token, and a token the server did issue with its signature reversed (no longer valid).
        header, payload, signature = access_token(self.token_reply).split(".")
        forged = "%s.%s.%s" % (header, payload, signature[::-1])
        for what, bad in [("not a JWT", "not-a-token"), ("a broken signature", forged)]:
            stub = self.pb.calendar_grpc.CalendarServiceStub(self.authenticated_channel(bad))
            self.expect_error_info(lambda s=stub: s.GetCalendar(request, timeout=CALL_TIMEOUT),
                                   unauthenticated, "AUTHENTICATION_REQUIRED", "GetCalendar with %s as token" % what)

        # Without a token even a method that does not exist is refused as unauthenticated (with one: unknown_service).
        call = self.bare_channel.unary_unary("/partnerexchange.v1.NoSuchService/NoSuchMethod")
        expect_rpc_error(lambda: call(b"", timeout=CALL_TIMEOUT), unauthenticated, "NoSuchService/NoSuchMethod without a token")

    def permission_denied(self):
        credentials = self.credentials
        reply = request_token(credentials.token_url, credentials.si_client_id, credentials.si_client_secret)
        token = access_token(reply)
        claims = jwt_part(token, 1)
        check(claims.get("role") == SI_ROLE, "the SI client's token has role %r, expected %s" % (claims.get("role"), SI_ROLE))
        stub = self.pb.calendar_grpc.CalendarServiceStub(self.authenticated_channel(token))

        # The SI may read the calendar...
        response = stub.GetCalendar(self.calendar_request((2026, 10, 1), (2026, 10, 1)), timeout=CALL_TIMEOUT)
        check(len(response.days) == 1, "the SI's GetCalendar returned %d days" % len(response.days))

        # ...but not write it. The day is written as seeded (National Day), so nothing would change if it were allowed.
        pb = self.pb.calendar
        day = pb.CalendarDay(date=self.date(2026, 10, 1), kind=pb.DAY_KIND_DAY_OFF, holiday_name="National Day")
        request = pb.SetCalendarDaysRequest(days=[day], reason="interop: an SI may not write the calendar",
                                            request_id="interop-permission-denied-%d" % os.getpid())
        error = self.expect_error_info(lambda: stub.SetCalendarDays(request, timeout=CALL_TIMEOUT),
                                       grpc.StatusCode.PERMISSION_DENIED, "ROLE_NOT_ALLOWED", "SetCalendarDays by an SI")
        print("PERMISSION_DENIED: %r" % error.details())

        # Access is decided before the body is read: an over-limit request by the SI is refused for its role.
        big = pb.SetCalendarDaysRequest(reason="x" * OVER_LIMIT_BYTES, request_id="interop-permission-denied-over-limit")
        self.expect_error_info(lambda: stub.SetCalendarDays(big, timeout=CALL_TIMEOUT),
                               grpc.StatusCode.PERMISSION_DENIED, "ROLE_NOT_ALLOWED", "SetCalendarDays of %d bytes by an SI" % big.ByteSize())

    def token_endpoint(self):
        credentials = self.credentials
        for how, reply in [("client_secret_post", self.token_reply),
                           ("client_secret_basic", request_token(credentials.token_url, credentials.client_id, credentials.client_secret, basic=True))]:
            check(reply.get("token_type") == "Bearer", "%s: token_type is %r, expected Bearer" % (how, reply.get("token_type")))
            # expires_in counts the whole seconds the token has left when the reply is written: the full lifetime,
            # or one second less once the clock is past the middle of the second the token was issued in.
            expires_in = reply.get("expires_in")
            check(expires_in in (TOKEN_LIFETIME_SECONDS - 1, TOKEN_LIFETIME_SECONDS),
                  "%s: expires_in is %r, expected %d" % (how, expires_in, TOKEN_LIFETIME_SECONDS))
            print("%s: expires_in %r" % (how, expires_in))
            token = access_token(reply)
            header, claims = jwt_part(token, 0), jwt_part(token, 1)
            lifetime = claims.get("exp", 0) - claims.get("iat", 0)
            check(lifetime == TOKEN_LIFETIME_SECONDS, "%s: the token lives %r s from iat to exp, expected %d" % (how, lifetime, TOKEN_LIFETIME_SECONDS))
            check(header.get("typ") == "at+jwt", "%s: the token's JWT header has typ %r, expected at+jwt" % (how, header.get("typ")))
            check(claims.get("role") == PARTNER_MANAGER_ROLE,
                  "%s: the token has role %r, expected %s" % (how, claims.get("role"), PARTNER_MANAGER_ROLE))
            check(claims.get("sub") == credentials.client_id, "%s: the token's sub is %r" % (how, claims.get("sub")))

        # A wrong secret gets no token: an OAuth error, invalid_client.
        try:
            reply = request_token(credentials.token_url, credentials.client_id, credentials.client_secret + "-wrong")
        except TokenRequestFailed as failure:
            check("invalid_client" in str(failure), "a wrong secret was refused, but not as invalid_client: %s" % failure)
        else:
            raise CaseFailed("a wrong secret got a token: %s" % short(reply))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--stubs")
    parser.add_argument("--port", type=int)
    parser.add_argument("--case", choices=CASES)
    parser.add_argument("--token-url")
    parser.add_argument("--client-id")
    parser.add_argument("--client-secret")
    parser.add_argument("--si-client-id")
    parser.add_argument("--si-client-secret")
    args = parser.parse_args()
    if args.list:
        print("\n".join(CASES))
        return 0
    required = ("stubs", "port", "case", "token_url", "client_id", "client_secret", "si_client_id", "si_client_secret")
    missing = ["--" + name.replace("_", "-") for name in required if not getattr(args, name)]
    if missing:
        parser.error("missing %s" % ", ".join(missing))

    try:
        client = Client(args.port, import_stubs(args.stubs), args)
    except TokenRequestFailed as failure:
        print("FAIL %s: no access token: %s" % (args.case, failure), file=sys.stderr)
        return 1
    try:
        getattr(client, args.case)()
    except (CaseFailed, TokenRequestFailed) as failure:
        print("FAIL %s: %s" % (args.case, failure), file=sys.stderr)
        return 1
    except grpc.RpcError as error:
        print("FAIL %s: unexpected %s: %r" % (args.case, error.code(), error.details()), file=sys.stderr)
        return 1
    finally:
        client.close()
    print("PASS %s" % args.case)
    return 0


if __name__ == "__main__":
    sys.exit(main())

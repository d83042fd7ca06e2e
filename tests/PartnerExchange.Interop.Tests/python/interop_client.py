"""gRPC interop test client on grpcio (the C core), run against a server under test.

Usage: interop_client.py --server_port=PORT --test_case=NAME [--server_host=127.0.0.1] [--stubs_dir=DIR]
Exits 0 when the case passes; otherwise prints what went wrong to stderr and exits 1.
The cases follow grpc/grpc doc/interop-test-descriptions.md.
"""

import argparse
import gzip
import queue
import sys
import threading

import grpc

import interop_stubs
from cases import CaseFailed, check, run_case

SPECIAL_STATUS_MESSAGE = "\t\ntest with whitespace\r\nand Unicode BMP \u263a and non-BMP \U0001f608\t\n"
ECHO_INITIAL_KEY = "x-grpc-test-echo-initial"
ECHO_INITIAL_VALUE = "test_initial_metadata_value"
ECHO_TRAILING_KEY = "x-grpc-test-echo-trailing-bin"
ECHO_TRAILING_VALUE = b"\xab\xab\xab"
CALL_TIMEOUT = 30.0
GZIP_MAGIC = b"\x1f\x8b"
OVER_LIMIT_SIZE = 5 * 1024 * 1024
CONCURRENT_CALLS = 32
LARGE_MESSAGE = 1024 * 1024
# Long enough for the first response on a cold, loaded machine; short enough to keep the suite quick.
DEADLINE_AFTER_FIRST_RESPONSE = 8.0


def expect_rpc_error(code, action, details=None):
    """Runs action, which must fail with the status code (and details, when given)."""
    try:
        action()
    except grpc.RpcError as error:
        check(error.code() == code, "expected %s, got %s: %r" % (code, error.code(), error.details()))
        if details is not None:
            check(error.details() == details, "expected details %r, got %r" % (details, error.details()))
        return error
    raise CaseFailed("expected the call to fail with %s, but it succeeded" % code)


class RequestQueue:
    """A request iterator fed one message at a time; end() half-closes the stream."""

    _END = object()

    def __init__(self):
        self._queue = queue.Queue()

    def put(self, message):
        self._queue.put(message)

    def end(self):
        self._queue.put(self._END)

    def __iter__(self):
        return self

    def __next__(self):
        item = self._queue.get()
        if item is self._END:
            raise StopIteration
        return item


class Client:
    def __init__(self, host, port, stubs_dir):
        self.empty_pb2, self.messages_pb2, self.test_pb2_grpc = interop_stubs.load_testing(stubs_dir)
        self.target = "%s:%d" % (host, port)
        self.channel = grpc.insecure_channel(self.target)
        self.stub = self.test_pb2_grpc.TestServiceStub(self.channel)

    def zeros(self, size):
        return self.messages_pb2.Payload(body=b"\x00" * size)

    def check_body(self, payload, size):
        check(len(payload.body) == size, "payload body is %d bytes, expected %d" % (len(payload.body), size))
        check(payload.body == b"\x00" * size, "payload body is not all zeros")

    def large_request(self, **fields):
        return self.messages_pb2.SimpleRequest(response_size=314159, payload=self.zeros(271828), **fields)

    def streaming_request(self, response_sizes, payload_size=None, **fields):
        m = self.messages_pb2
        request = m.StreamingOutputCallRequest(
            response_parameters=[m.ResponseParameters(size=s) for s in response_sizes], **fields)
        if payload_size is not None:
            request.payload.CopyFrom(self.zeros(payload_size))
        return request

    def ensure_server_still_serves(self):
        self.stub.EmptyCall(self.empty_pb2.Empty(), timeout=CALL_TIMEOUT)

    # --- cases -------------------------------------------------------------------------------

    def empty_unary(self):
        response = self.stub.EmptyCall(self.empty_pb2.Empty(), timeout=CALL_TIMEOUT)
        check(isinstance(response, self.empty_pb2.Empty), "response is not grpc.testing.Empty")
        check(response.ByteSize() == 0, "Empty response is not zero bytes")

    def large_unary(self):
        response = self.stub.UnaryCall(self.large_request(), timeout=CALL_TIMEOUT)
        self.check_body(response.payload, 314159)

    def client_compressed_unary(self):
        m = self.messages_pb2
        # The probe: claims to be compressed but is not, so the server must refuse it.
        expect_rpc_error(
            grpc.StatusCode.INVALID_ARGUMENT,
            lambda: self.stub.UnaryCall(
                self.large_request(expect_compressed=m.BoolValue(value=True)),
                timeout=CALL_TIMEOUT, compression=grpc.Compression.NoCompression))
        response = self.stub.UnaryCall(
            self.large_request(expect_compressed=m.BoolValue(value=True)),
            timeout=CALL_TIMEOUT, compression=grpc.Compression.Gzip)
        self.check_body(response.payload, 314159)
        response = self.stub.UnaryCall(
            self.large_request(expect_compressed=m.BoolValue(value=False)),
            timeout=CALL_TIMEOUT, compression=grpc.Compression.NoCompression)
        self.check_body(response.payload, 314159)

    def server_compressed_unary(self):
        # grpcio hides the compressed-flag of a received message. With per-message decompression
        # turned off, the C core hands over the bytes as they came: gzip data (magic 1f 8b, which can
        # never start a protobuf message) when the flag was set, the plain message otherwise.
        m = self.messages_pb2
        raw_channel = grpc.insecure_channel(self.target, options=[("grpc.per_message_decompression", 0)])
        try:
            call = raw_channel.unary_unary(
                "/grpc.testing.TestService/UnaryCall",
                request_serializer=lambda r: r.SerializeToString(),
                response_deserializer=lambda b: b)
            for compressed in (True, False):
                raw = call(self.large_request(response_compressed=m.BoolValue(value=compressed)), timeout=CALL_TIMEOUT)
                if compressed:
                    check(raw[:2] == GZIP_MAGIC, "response_compressed=true but the message was not compressed")
                    raw = gzip.decompress(raw)
                else:
                    check(raw[:2] != GZIP_MAGIC, "response_compressed=false but the message was compressed")
                response = m.SimpleResponse.FromString(raw)
                self.check_body(response.payload, 314159)
        finally:
            raw_channel.close()

    def client_streaming(self):
        m = self.messages_pb2
        requests = [m.StreamingInputCallRequest(payload=self.zeros(n)) for n in (27182, 8, 1828, 45904)]
        response = self.stub.StreamingInputCall(iter(requests), timeout=CALL_TIMEOUT)
        check(response.aggregated_payload_size == 74922,
              "aggregated_payload_size is %d, expected 74922" % response.aggregated_payload_size)

    def server_streaming(self):
        sizes = [31415, 9, 2653, 58979]
        responses = list(self.stub.StreamingOutputCall(self.streaming_request(sizes), timeout=CALL_TIMEOUT))
        check(len(responses) == 4, "got %d responses, expected 4" % len(responses))
        for response, size in zip(responses, sizes):
            self.check_body(response.payload, size)

    def ping_pong(self):
        steps = [(31415, 27182), (9, 8), (2653, 1828), (58979, 45904)]
        requests = RequestQueue()
        call = self.stub.FullDuplexCall(requests, timeout=CALL_TIMEOUT)
        try:
            for response_size, payload_size in steps:
                requests.put(self.streaming_request([response_size], payload_size))
                response = next(call)
                self.check_body(response.payload, response_size)
            requests.end()
            rest = list(call)
            check(not rest, "got %d responses after the last ping" % len(rest))
        finally:
            requests.end()
        check(call.code() == grpc.StatusCode.OK, "call ended with %s" % call.code())

    def empty_stream(self):
        responses = list(self.stub.FullDuplexCall(iter([]), timeout=CALL_TIMEOUT))
        check(not responses, "got %d responses, expected none" % len(responses))

    def cancel_after_begin(self):
        requests = RequestQueue()  # never sends a message
        future = self.stub.StreamingInputCall.future(requests, timeout=CALL_TIMEOUT)
        future.cancel()
        requests.end()
        check(future.cancelled(), "the call is not cancelled")
        check(future.code() == grpc.StatusCode.CANCELLED, "call ended with %s, expected CANCELLED" % future.code())
        self.ensure_server_still_serves()

    def cancel_after_first_response(self):
        requests = RequestQueue()
        call = self.stub.FullDuplexCall(requests, timeout=CALL_TIMEOUT)
        requests.put(self.streaming_request([31415], 27182))
        response = next(call)
        self.check_body(response.payload, 31415)
        call.cancel()
        requests.end()
        check(call.code() == grpc.StatusCode.CANCELLED, "call ended with %s, expected CANCELLED" % call.code())
        self.ensure_server_still_serves()

    def custom_metadata(self):
        metadata = ((ECHO_INITIAL_KEY, ECHO_INITIAL_VALUE), (ECHO_TRAILING_KEY, ECHO_TRAILING_VALUE))

        def check_echo(call, what):
            initial = dict(call.initial_metadata())
            trailing = dict(call.trailing_metadata())
            check(initial.get(ECHO_INITIAL_KEY) == ECHO_INITIAL_VALUE,
                  "%s: initial metadata %r lacks %s" % (what, initial, ECHO_INITIAL_KEY))
            check(trailing.get(ECHO_TRAILING_KEY) == ECHO_TRAILING_VALUE,
                  "%s: trailing metadata %r lacks %s=0xababab" % (what, trailing, ECHO_TRAILING_KEY))

        response, call = self.stub.UnaryCall.with_call(self.large_request(), metadata=metadata, timeout=CALL_TIMEOUT)
        self.check_body(response.payload, 314159)
        check_echo(call, "UnaryCall")

        call = self.stub.FullDuplexCall(iter([self.streaming_request([314159], 271828)]),
                                        metadata=metadata, timeout=CALL_TIMEOUT)
        responses = list(call)
        check(len(responses) == 1, "FullDuplexCall: got %d responses, expected 1" % len(responses))
        self.check_body(responses[0].payload, 314159)
        check_echo(call, "FullDuplexCall")

    def _status_echo(self, code, message):
        m = self.messages_pb2
        status = m.EchoStatus(code=code, message=message)
        expected_code = next(c for c in grpc.StatusCode if c.value[0] == code)
        expect_rpc_error(
            expected_code,
            lambda: self.stub.UnaryCall(m.SimpleRequest(response_status=status), timeout=CALL_TIMEOUT),
            message)
        return status, expected_code

    def status_code_and_message(self):
        m = self.messages_pb2
        status, expected_code = self._status_echo(2, "test status message")
        call = self.stub.FullDuplexCall(
            iter([m.StreamingOutputCallRequest(response_status=status)]), timeout=CALL_TIMEOUT)
        expect_rpc_error(expected_code, lambda: list(call), "test status message")

    def special_status_message(self):
        self._status_echo(2, SPECIAL_STATUS_MESSAGE)

    def unimplemented_method(self):
        expect_rpc_error(
            grpc.StatusCode.UNIMPLEMENTED,
            lambda: self.stub.UnimplementedCall(self.empty_pb2.Empty(), timeout=CALL_TIMEOUT))

    def unimplemented_service(self):
        stub = self.test_pb2_grpc.UnimplementedServiceStub(self.channel)
        expect_rpc_error(
            grpc.StatusCode.UNIMPLEMENTED,
            lambda: stub.UnimplementedCall(self.empty_pb2.Empty(), timeout=CALL_TIMEOUT))

    def timeout_on_sleeping_server(self):
        requests = RequestQueue()
        requests.put(self.streaming_request([], 27182))  # and no half-close: the server waits for more
        call = self.stub.FullDuplexCall(requests, timeout=0.001)
        try:
            expect_rpc_error(grpc.StatusCode.DEADLINE_EXCEEDED, lambda: list(call))
        finally:
            requests.end()
        self.ensure_server_still_serves()

    def request_over_receive_limit(self):
        # The server under test is configured with a 4 MiB receive limit; 5 MiB must be refused.
        request = self.messages_pb2.SimpleRequest(response_size=1, payload=self.zeros(OVER_LIMIT_SIZE))
        expect_rpc_error(
            grpc.StatusCode.RESOURCE_EXHAUSTED,
            lambda: self.stub.UnaryCall(request, timeout=CALL_TIMEOUT))
        self.ensure_server_still_serves()

    def compressed_request_over_receive_limit(self):
        # 5 MiB of zeros gzip to a few KiB: the limit must apply to the decompressed message.
        request = self.messages_pb2.SimpleRequest(response_size=1, payload=self.zeros(OVER_LIMIT_SIZE))
        expect_rpc_error(
            grpc.StatusCode.RESOURCE_EXHAUSTED,
            lambda: self.stub.UnaryCall(request, timeout=CALL_TIMEOUT, compression=grpc.Compression.Gzip))
        self.ensure_server_still_serves()

    # --- beyond the list the task fixes: the rest of the spec's server features, and load on one connection ---

    def half_duplex(self):
        sizes = [31415, 9, 2653]
        requests = [self.streaming_request([size], 8) for size in sizes]
        responses = list(self.stub.HalfDuplexCall(iter(requests), timeout=CALL_TIMEOUT))
        check([len(r.payload.body) for r in responses] == sizes,
              "response sizes %r, expected %r" % ([len(r.payload.body) for r in responses], sizes))

    def server_compressed_streaming(self):
        # As in server_compressed_unary, the raw bytes show each message's compressed flag.
        m = self.messages_pb2
        request = m.StreamingOutputCallRequest(response_parameters=[
            m.ResponseParameters(size=31415, compressed=m.BoolValue(value=True)),
            m.ResponseParameters(size=92653, compressed=m.BoolValue(value=False)),
        ])
        raw_channel = grpc.insecure_channel(self.target, options=[("grpc.per_message_decompression", 0)])
        try:
            call = raw_channel.unary_stream(
                "/grpc.testing.TestService/StreamingOutputCall",
                request_serializer=lambda r: r.SerializeToString(),
                response_deserializer=lambda b: b)
            raws = list(call(request, timeout=CALL_TIMEOUT))
        finally:
            raw_channel.close()
        check(len(raws) == 2, "got %d responses, expected 2" % len(raws))
        check(raws[0][:2] == GZIP_MAGIC, "the first response (compressed=true) was not compressed")
        check(raws[1][:2] != GZIP_MAGIC, "the second response (compressed=false) was compressed")
        self.check_body(m.StreamingOutputCallResponse.FromString(gzip.decompress(raws[0])).payload, 31415)
        self.check_body(m.StreamingOutputCallResponse.FromString(raws[1]).payload, 92653)

    def concurrent_large_unary(self):
        futures = [self.stub.UnaryCall.future(self.large_request(), timeout=CALL_TIMEOUT) for _ in range(CONCURRENT_CALLS)]
        for future in futures:
            self.check_body(future.result().payload, 314159)

    def large_streams(self):
        # Messages far beyond HTTP/2's initial 64 KiB windows, both ways, so flow control must work.
        m = self.messages_pb2
        response = self.stub.StreamingInputCall(
            iter([m.StreamingInputCallRequest(payload=self.zeros(LARGE_MESSAGE)) for _ in range(4)]), timeout=CALL_TIMEOUT)
        check(response.aggregated_payload_size == 4 * LARGE_MESSAGE,
              "aggregated_payload_size is %d, expected %d" % (response.aggregated_payload_size, 4 * LARGE_MESSAGE))
        responses = list(self.stub.StreamingOutputCall(self.streaming_request([LARGE_MESSAGE] * 4), timeout=CALL_TIMEOUT))
        check(len(responses) == 4, "got %d responses, expected 4" % len(responses))
        for r in responses:
            self.check_body(r.payload, LARGE_MESSAGE)

    def timeout_after_first_response(self):
        # Unlike timeout_on_sleeping_server, whose 1 ms may expire before the call leaves the client, this
        # deadline surely passes while the server holds the call, waiting for the next request.
        requests = RequestQueue()
        call = self.stub.FullDuplexCall(requests, timeout=DEADLINE_AFTER_FIRST_RESPONSE)
        try:
            requests.put(self.streaming_request([31415], 27182))
            self.check_body(next(call).payload, 31415)
            expect_rpc_error(grpc.StatusCode.DEADLINE_EXCEEDED, lambda: list(call))
        finally:
            requests.end()
        self.ensure_server_still_serves()

    def binary_metadata_lengths(self):
        # Base64 of 1, 2, 4 and 5 bytes needs padding (or, from some stacks, none): every length must round-trip.
        for length in range(1, 7):
            value = bytes((0xf0 + i) & 0xff for i in range(length))
            _, call = self.stub.UnaryCall.with_call(
                self.messages_pb2.SimpleRequest(response_size=1),
                metadata=((ECHO_TRAILING_KEY, value),), timeout=CALL_TIMEOUT)
            echoed = dict(call.trailing_metadata()).get(ECHO_TRAILING_KEY)
            check(echoed == value, "%d-byte value %r came back as %r" % (length, value, echoed))


CASES = [
    "empty_unary", "large_unary", "client_compressed_unary", "server_compressed_unary",
    "client_streaming", "server_streaming", "ping_pong", "empty_stream", "cancel_after_begin",
    "cancel_after_first_response", "custom_metadata", "status_code_and_message",
    "special_status_message", "unimplemented_method", "unimplemented_service",
    "timeout_on_sleeping_server", "request_over_receive_limit",
    "half_duplex", "server_compressed_streaming", "concurrent_large_unary", "large_streams", "binary_metadata_lengths",
    "timeout_after_first_response", "compressed_request_over_receive_limit",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--server_host", default="127.0.0.1")
    parser.add_argument("--server_port", type=int, required=True)
    parser.add_argument("--test_case", required=True, choices=CASES)
    parser.add_argument("--stubs_dir", default=None)
    args = parser.parse_args()

    client = Client(args.server_host, args.server_port, args.stubs_dir)
    # A hang must not outlive the test: every call has a deadline, and a watchdog ends the process.
    watchdog = threading.Timer(120.0, lambda: (print("FAIL %s: timed out" % args.test_case, file=sys.stderr),
                                               sys.stderr.flush(), __import__("os")._exit(3)))
    watchdog.daemon = True
    watchdog.start()
    return run_case(client, args.test_case)


if __name__ == "__main__":
    sys.exit(main())

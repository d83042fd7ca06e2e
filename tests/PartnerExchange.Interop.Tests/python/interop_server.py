"""gRPC interop TestService on grpcio (the C core), for running our client against a real server.

Usage: interop_server.py --port=PORT [--stubs_dir=DIR]   (PORT 0 picks a free one)
Listens on 127.0.0.1 only, prints "READY <port>" once it serves, and stops when stdin closes or on
SIGTERM. Receive limit: 4 MiB. Features follow grpc/grpc doc/interop-test-descriptions.md (Server).
"""

import argparse
import zlib
import signal
import sys
import threading
import time
from concurrent import futures

import grpc

import interop_stubs

ECHO_INITIAL_KEY = "x-grpc-test-echo-initial"
ECHO_TRAILING_KEY = "x-grpc-test-echo-trailing-bin"
GZIP_MAGIC = b"\x1f\x8b"
MAX_RECEIVE = 4 * 1024 * 1024


def status_code(number):
    return next(c for c in grpc.StatusCode if c.value[0] == number)


def raw_decoder(message_class):
    """Per-message decompression is off, so a compressed request arrives as gzip bytes; this decodes
    either form and returns (message, was_compressed), which is how the server sees the flag. The
    receive limit then applies to the decompressed size here, as grpcio applies it when it decompresses:
    an oversized message decodes to (None, True) and the handler answers RESOURCE_EXHAUSTED."""

    def decode(data):
        compressed = data[:2] == GZIP_MAGIC
        if compressed:
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            data = inflater.decompress(data, MAX_RECEIVE + 1)
            if len(data) > MAX_RECEIVE:
                return None, True
        return message_class.FromString(data), compressed

    return decode


def checked(decoded, context):
    """Unpacks a decoded request, ending the call when it was over the receive limit."""
    request, compressed = decoded
    if request is None:
        context.abort(grpc.StatusCode.RESOURCE_EXHAUSTED, "decompressed request message larger than %d bytes" % MAX_RECEIVE)
    return request, compressed


def checked_stream(decoded_iterator, context):
    for decoded in decoded_iterator:
        yield checked(decoded, context)


class TestService:
    def __init__(self, messages_pb2, empty_pb2):
        self.m = messages_pb2
        self.empty_pb2 = empty_pb2

    @staticmethod
    def echo_metadata(context):
        metadata = dict(context.invocation_metadata())
        if ECHO_INITIAL_KEY in metadata:
            context.send_initial_metadata(((ECHO_INITIAL_KEY, metadata[ECHO_INITIAL_KEY]),))
        if ECHO_TRAILING_KEY in metadata:
            context.set_trailing_metadata(((ECHO_TRAILING_KEY, metadata[ECHO_TRAILING_KEY]),))

    @staticmethod
    def check_compression(request, compressed, context):
        if request.HasField("expect_compressed") and request.expect_compressed.value != compressed:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT,
                          "expect_compressed is %s but the request was%s compressed"
                          % (request.expect_compressed.value, "" if compressed else " not"))

    @staticmethod
    def echo_status(request, context):
        if request.HasField("response_status") and request.response_status.code != 0:
            context.abort(status_code(request.response_status.code), request.response_status.message)

    def zeros(self, size):
        return self.m.Payload(body=b"\x00" * size)

    def EmptyCall(self, decoded, context):
        checked(decoded, context)
        self.echo_metadata(context)
        return self.empty_pb2.Empty()

    def UnaryCall(self, decoded, context):
        request, compressed = checked(decoded, context)
        self.echo_metadata(context)
        self.check_compression(request, compressed, context)
        self.echo_status(request, context)
        if request.response_compressed.value:
            context.set_compression(grpc.Compression.Gzip)
        return self.m.SimpleResponse(payload=self.zeros(request.response_size))

    def _responses(self, request, context):
        self.echo_status(request, context)
        for parameters in request.response_parameters:
            if parameters.interval_us > 0:
                time.sleep(parameters.interval_us / 1e6)
            if parameters.compressed.value:
                context.set_compression(grpc.Compression.Gzip)
            else:
                context.disable_next_message_compression()
            yield self.m.StreamingOutputCallResponse(payload=self.zeros(parameters.size))

    def StreamingOutputCall(self, decoded, context):
        request, _ = checked(decoded, context)
        self.echo_metadata(context)
        yield from self._responses(request, context)

    def StreamingInputCall(self, decoded_iterator, context):
        self.echo_metadata(context)
        total = 0
        for request, compressed in checked_stream(decoded_iterator, context):
            self.check_compression(request, compressed, context)
            total += len(request.payload.body)
        return self.m.StreamingInputCallResponse(aggregated_payload_size=total)

    def FullDuplexCall(self, decoded_iterator, context):
        self.echo_metadata(context)
        for request, _ in checked_stream(decoded_iterator, context):
            yield from self._responses(request, context)

    def HalfDuplexCall(self, decoded_iterator, context):
        self.echo_metadata(context)
        requests = [request for request, _ in checked_stream(decoded_iterator, context)]
        for request in requests:
            yield from self._responses(request, context)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--stubs_dir", default=None)
    args = parser.parse_args()

    empty_pb2, messages_pb2, _ = interop_stubs.load_testing(args.stubs_dir)
    service = TestService(messages_pb2, empty_pb2)
    m = messages_pb2
    serialize = lambda message: message.SerializeToString()  # noqa: E731
    handlers = {
        "EmptyCall": grpc.unary_unary_rpc_method_handler(
            service.EmptyCall, raw_decoder(empty_pb2.Empty), serialize),
        "UnaryCall": grpc.unary_unary_rpc_method_handler(
            service.UnaryCall, raw_decoder(m.SimpleRequest), serialize),
        "StreamingOutputCall": grpc.unary_stream_rpc_method_handler(
            service.StreamingOutputCall, raw_decoder(m.StreamingOutputCallRequest), serialize),
        "StreamingInputCall": grpc.stream_unary_rpc_method_handler(
            service.StreamingInputCall, raw_decoder(m.StreamingInputCallRequest), serialize),
        "FullDuplexCall": grpc.stream_stream_rpc_method_handler(
            service.FullDuplexCall, raw_decoder(m.StreamingOutputCallRequest), serialize),
        "HalfDuplexCall": grpc.stream_stream_rpc_method_handler(
            service.HalfDuplexCall, raw_decoder(m.StreamingOutputCallRequest), serialize),
        # UnimplementedCall is left out on purpose: grpcio answers it with UNIMPLEMENTED.
    }
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=16),
        options=[
            ("grpc.per_message_decompression", 0),
            ("grpc.max_receive_message_length", MAX_RECEIVE),
        ])
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler("grpc.testing.TestService", handlers),))
    port = server.add_insecure_port("127.0.0.1:%d" % args.port)
    if port == 0:
        print("could not listen on 127.0.0.1:%d" % args.port, file=sys.stderr)
        return 1
    server.start()

    stopped = threading.Event()

    def stop(*_):
        stopped.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    def watch_stdin():
        sys.stdin.read()  # returns at EOF: the parent went away or closed our input
        stopped.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    print("READY %d" % port, flush=True)
    stopped.wait()
    server.stop(grace=0).wait(5)
    return 0


if __name__ == "__main__":
    sys.exit(main())

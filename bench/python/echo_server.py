"""Unary echo on grpcio (the C core): python3 echo_server.py [--port N] [--workers N].

Binds 127.0.0.1 (port 0 = a free one) and prints "LISTENING <port>". Run it with /usr/bin/python3 (Debian python3-grpcio).
"""
import argparse
import signal
import sys
from concurrent import futures

import grpc

import echo_stubs


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--workers", type=int, default=32)
    args = parser.parse_args()

    echo_pb2, echo_pb2_grpc = echo_stubs.load()

    class EchoServicer(echo_pb2_grpc.EchoServicer):
        def Echo(self, request, context):
            return request

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=args.workers))
    echo_pb2_grpc.add_EchoServicer_to_server(EchoServicer(), server)
    port = server.add_insecure_port(f"127.0.0.1:{args.port}")
    if port == 0:
        sys.exit("could not bind")
    server.start()
    print(f"LISTENING {port}", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: server.stop(0))
    server.wait_for_termination()


if __name__ == "__main__":
    main()

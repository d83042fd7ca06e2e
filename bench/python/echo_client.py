"""Helpers for bench/run.sh, using grpcio as an independent client.

  echo_client.py frame OUT   writes the benchmark request as one gRPC frame (5-byte prefix + message) to OUT
  echo_client.py check PORT  calls Echo once on 127.0.0.1:PORT and exits non-zero unless the payload comes back
"""
import struct
import sys

import grpc

import echo_stubs


def main():
    echo_pb2, echo_pb2_grpc = echo_stubs.load()
    request = echo_pb2.EchoMessage(payload=echo_stubs.PAYLOAD)
    if sys.argv[1] == "frame":
        body = request.SerializeToString()
        with open(sys.argv[2], "wb") as out:
            out.write(struct.pack(">BI", 0, len(body)) + body)
        return 0
    if sys.argv[1] == "check":
        with grpc.insecure_channel(f"127.0.0.1:{sys.argv[2]}") as channel:
            stub = echo_pb2_grpc.EchoStub(channel)
            reply, call = stub.Echo.with_call(request, timeout=10)
            if reply.payload != echo_stubs.PAYLOAD:
                print(f"check: wrong payload {reply.payload!r}", file=sys.stderr)
                return 1
            if call.code() != grpc.StatusCode.OK:
                print(f"check: status {call.code()}", file=sys.stderr)
                return 1
        print("check: ok")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())

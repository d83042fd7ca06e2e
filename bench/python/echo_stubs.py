"""Generates the echo stubs from bench/echo.proto into a temporary directory and imports them.

Nothing generated is checked in: grpc_tools.protoc (Debian python3-grpc-tools) runs on every start.
"""
import importlib
import os
import sys
import tempfile

from grpc_tools import protoc

BENCH_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The benchmark request's payload; PartnerExchange.Bench/EchoPayload.cs holds the same 32 bytes.
PAYLOAD = b"0123456789abcdefghijklmnopqrstuv"


def load():
    """Returns the (echo_pb2, echo_pb2_grpc) modules, generated into a fresh temporary directory."""
    out_dir = tempfile.mkdtemp(prefix="echo-stubs-")
    code = protoc.main([
        "grpc_tools.protoc",
        f"-I{BENCH_DIR}",
        f"--python_out={out_dir}",
        f"--grpc_python_out={out_dir}",
        os.path.join(BENCH_DIR, "echo.proto"),
    ])
    if code != 0:
        raise RuntimeError(f"protoc failed with exit code {code}")
    sys.path.insert(0, out_dir)
    return importlib.import_module("echo_pb2"), importlib.import_module("echo_pb2_grpc")

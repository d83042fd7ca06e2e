"""Generates Python stubs for .proto files at run time with grpc_tools.protoc and imports them.

The interop programs never use checked-in generated code: the .proto files of this repository are
the only source. A caller may pass a directory already holding stubs (--stubs_dir) to skip protoc.
"""

import importlib
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SUITE_PROTOS = os.path.normpath(os.path.join(HERE, "..", "Protos"))


def find_repo_root():
    """Walks up from this file to the directory holding PartnerExchange.sln."""
    directory = HERE
    while True:
        if os.path.exists(os.path.join(directory, "PartnerExchange.sln")):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            raise RuntimeError("PartnerExchange.sln not found above " + HERE)
        directory = parent


def generate(proto_root, proto_files, out_dir):
    """Runs protoc (python and grpc plugins) for proto_files relative to proto_root into out_dir."""
    command = [
        sys.executable, "-m", "grpc_tools.protoc",
        "-I" + proto_root,
        "--python_out=" + out_dir,
        "--grpc_python_out=" + out_dir,
    ] + list(proto_files)
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError("protoc failed (%d): %s %s" % (result.returncode, result.stdout, result.stderr))


def load(proto_root, proto_files, modules, stubs_dir=None):
    """Generates (unless stubs_dir holds them already) and imports the named modules."""
    if stubs_dir is None:
        stubs_dir = tempfile.mkdtemp(prefix="interop-stubs-")
        generate(proto_root, proto_files, stubs_dir)
    elif not os.path.exists(os.path.join(stubs_dir, modules[0].replace(".", os.sep) + ".py")):
        os.makedirs(stubs_dir, exist_ok=True)
        generate(proto_root, proto_files, stubs_dir)
    # The protos live in the packages grpc.testing, grpc.health.v1 and grpc.reflection.*, so the
    # generated modules sit under grpc/ too: that name is the installed grpcio package, so its search
    # path is extended with the generated grpc/ directory (grpcio has no such subpackages itself).
    import grpc  # pylint: disable=import-outside-toplevel

    generated_grpc = os.path.join(stubs_dir, "grpc")
    if generated_grpc not in grpc.__path__:
        grpc.__path__.append(generated_grpc)
    if stubs_dir not in sys.path:
        sys.path.insert(0, stubs_dir)
    return [importlib.import_module(name) for name in modules]


TESTING_PROTOS = ["grpc/testing/empty.proto", "grpc/testing/messages.proto", "grpc/testing/test.proto"]
TESTING_MODULES = [
    "grpc.testing.empty_pb2",
    "grpc.testing.messages_pb2",
    "grpc.testing.test_pb2_grpc",
]


def load_testing(stubs_dir=None):
    """Imports (empty_pb2, messages_pb2, test_pb2_grpc) of the grpc.testing protos."""
    return load(SUITE_PROTOS, TESTING_PROTOS, TESTING_MODULES, stubs_dir)


STANDARD_PROTOS = [
    "grpc/health/v1/health.proto",
    "grpc/reflection/v1/reflection.proto",
    "grpc/reflection/v1alpha/reflection.proto",
]


def main(argv):
    """interop_stubs.py OUT_DIR: generates the grpc.testing stubs and the health/reflection stubs once,
    for the test fixtures to hand to every client and server process via --stubs_dir."""
    if len(argv) != 2:
        print("usage: interop_stubs.py OUT_DIR", file=sys.stderr)
        return 2
    out_dir = argv[1]
    os.makedirs(out_dir, exist_ok=True)
    generate(SUITE_PROTOS, TESTING_PROTOS, out_dir)
    generate(os.path.join(find_repo_root(), "protos"), STANDARD_PROTOS, out_dir)
    print("stubs in " + out_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

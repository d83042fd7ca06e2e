"""Checks a server's health and reflection services with grpcio (the C core).

Usage: health_reflection_client.py --server_port=PORT --test_case=NAME [--stubs_dir=DIR]
Cases: health_check, health_watch, reflection_v1, reflection_v1alpha.
Stubs come from the repository's protos/ (grpc.health.v1, grpc.reflection.v1 and v1alpha).
Exits 0 when the case passes; otherwise prints what went wrong to stderr and exits 1.
"""

import argparse
import os
import sys

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool

import interop_stubs
from cases import CaseFailed, check, run_case

CALL_TIMEOUT = 30.0
SERVICE = "grpc.testing.TestService"
PROTOS = interop_stubs.STANDARD_PROTOS
MODULES = [
    "grpc.health.v1.health_pb2",
    "grpc.health.v1.health_pb2_grpc",
    "grpc.reflection.v1.reflection_pb2",
    "grpc.reflection.v1.reflection_pb2_grpc",
    "grpc.reflection.v1alpha.reflection_pb2",
    "grpc.reflection.v1alpha.reflection_pb2_grpc",
]


class Client:
    def __init__(self, port, stubs_dir):
        protos_root = os.path.join(interop_stubs.find_repo_root(), "protos")
        (self.health_pb2, self.health_grpc, self.refl_v1_pb2, self.refl_v1_grpc,
         self.refl_v1alpha_pb2, self.refl_v1alpha_grpc) = interop_stubs.load(protos_root, PROTOS, MODULES, stubs_dir)
        self.channel = grpc.insecure_channel("127.0.0.1:%d" % port)

    def health_check(self):
        stub = self.health_grpc.HealthStub(self.channel)
        serving = self.health_pb2.HealthCheckResponse.SERVING
        response = stub.Check(self.health_pb2.HealthCheckRequest(service=""), timeout=CALL_TIMEOUT)
        check(response.status == serving, "Check(\"\") is %s, expected SERVING" % response.status)
        try:
            stub.Check(self.health_pb2.HealthCheckRequest(service="no.such.Service"), timeout=CALL_TIMEOUT)
        except grpc.RpcError as error:
            check(error.code() == grpc.StatusCode.NOT_FOUND,
                  "Check(unknown) failed with %s, expected NOT_FOUND" % error.code())
        else:
            raise CaseFailed("Check(unknown) succeeded, expected NOT_FOUND")

    def health_watch(self):
        stub = self.health_grpc.HealthStub(self.channel)
        call = stub.Watch(self.health_pb2.HealthCheckRequest(service=""), timeout=CALL_TIMEOUT)
        first = next(call)
        call.cancel()
        check(first.status == self.health_pb2.HealthCheckResponse.SERVING,
              "Watch(\"\") first status is %s, expected SERVING" % first.status)

    def _reflection(self, pb2, grpc_module):
        stub = grpc_module.ServerReflectionStub(self.channel)
        requests = [
            pb2.ServerReflectionRequest(list_services=""),
            pb2.ServerReflectionRequest(file_containing_symbol=SERVICE),
        ]
        responses = list(stub.ServerReflectionInfo(iter(requests), timeout=CALL_TIMEOUT))
        check(len(responses) == 2, "got %d reflection responses, expected 2" % len(responses))
        listed, files = responses

        check(listed.WhichOneof("message_response") == "list_services_response",
              "list_services answered with %s" % listed.WhichOneof("message_response"))
        names = [s.name for s in listed.list_services_response.service]
        check(SERVICE in names, "list_services %r lacks %s" % (names, SERVICE))

        check(files.WhichOneof("message_response") == "file_descriptor_response",
              "file_containing_symbol answered with %s: %s" % (files.WhichOneof("message_response"), files))
        parsed = []
        for blob in files.file_descriptor_response.file_descriptor_proto:
            proto = descriptor_pb2.FileDescriptorProto()
            proto.ParseFromString(blob)
            parsed.append(proto)
        check(parsed, "file_containing_symbol returned no files")
        defining = [p for p in parsed if p.package == "grpc.testing" and any(s.name == "TestService" for s in p.service)]
        check(defining, "no returned file defines %s (got %r)" % (SERVICE, [p.name for p in parsed]))

        # The returned files, with their dependencies, must build a pool that resolves the service.
        pool = descriptor_pool.DescriptorPool()
        pending = {p.name: p for p in parsed}
        while pending:
            ready = [p for p in pending.values() if all(d not in pending for d in p.dependency)]
            check(ready, "the returned files depend on files that were not returned: %r"
                  % sorted({d for p in pending.values() for d in p.dependency} - set(pending)))
            for proto in ready:
                pool.Add(proto)
                del pending[proto.name]
        service = pool.FindServiceByName(SERVICE)
        method_names = [m.name for m in service.methods]
        check("FullDuplexCall" in method_names, "%s has methods %r" % (SERVICE, method_names))

    def reflection_v1(self):
        self._reflection(self.refl_v1_pb2, self.refl_v1_grpc)

    def reflection_v1alpha(self):
        self._reflection(self.refl_v1alpha_pb2, self.refl_v1alpha_grpc)


CASES = ["health_check", "health_watch", "reflection_v1", "reflection_v1alpha"]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--server_port", type=int, required=True)
    parser.add_argument("--test_case", required=True, choices=CASES)
    parser.add_argument("--stubs_dir", default=None)
    args = parser.parse_args()

    client = Client(args.server_port, args.stubs_dir)
    return run_case(client, args.test_case)


if __name__ == "__main__":
    sys.exit(main())

"""What the Python interop clients share: how a case fails, and how one case is run and reported."""

import sys

import grpc


class CaseFailed(Exception):
    """The server under test did not behave as the case requires."""


def check(condition, message):
    if not condition:
        raise CaseFailed(message)


def run_case(client, test_case):
    """Runs one case method of the client; prints PASS or FAIL and returns the process exit code."""
    try:
        getattr(client, test_case)()
    except CaseFailed as failure:
        print("FAIL %s: %s" % (test_case, failure), file=sys.stderr)
        return 1
    except grpc.RpcError as error:
        print("FAIL %s: unexpected RPC error %s: %r" % (test_case, error.code(), error.details()), file=sys.stderr)
        return 1
    finally:
        client.channel.close()
    print("PASS %s" % test_case)
    return 0

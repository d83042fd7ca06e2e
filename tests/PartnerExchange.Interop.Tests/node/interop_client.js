'use strict';
// gRPC interop test client on @grpc/grpc-js, run against a server under test.
//
// Usage: node interop_client.js --server_port=PORT --test_case=NAME [--server_host=127.0.0.1]
// Exits 0 when the case passes; otherwise prints what went wrong to stderr and exits 1.
// The cases follow grpc/grpc doc/interop-test-descriptions.md; the .proto files are loaded at run
// time from ../Protos with @grpc/proto-loader.

const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const SPECIAL_STATUS_MESSAGE = '\t\ntest with whitespace\r\nand Unicode BMP \u263a and non-BMP \u{1f608}\t\n';
const ECHO_INITIAL_KEY = 'x-grpc-test-echo-initial';
const ECHO_INITIAL_VALUE = 'test_initial_metadata_value';
const ECHO_TRAILING_KEY = 'x-grpc-test-echo-trailing-bin';
const ECHO_TRAILING_VALUE = Buffer.from([0xab, 0xab, 0xab]);
const CALL_TIMEOUT_MS = 30000;
const OVER_LIMIT_SIZE = 5 * 1024 * 1024;
const CONCURRENT_CALLS = 32;
const LARGE_MESSAGE = 1024 * 1024;
// Long enough for the first response on a cold, loaded machine; short enough to keep the suite quick.
const DEADLINE_AFTER_FIRST_RESPONSE_MS = 8000;
// grpc-js numbers its compression algorithms: 0 identity, 1 deflate, 2 gzip.
const GZIP_ALGORITHM = 2;

class CaseFailed extends Error {}

function check(condition, message) {
  if (!condition) {
    throw new CaseFailed(message);
  }
}

function codeName(code) {
  return Object.keys(grpc.status).find((k) => grpc.status[k] === code) || String(code);
}

function parseArgs(argv) {
  const args = { server_host: '127.0.0.1' };
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([a-z_]+)(?:=(.*))?$/.exec(argv[i]);
    if (!match) {
      throw new Error(`unexpected argument ${argv[i]}`);
    }
    args[match[1]] = match[2] !== undefined ? match[2] : argv[++i];
  }
  if (!args.server_port || !args.test_case) {
    throw new Error('usage: interop_client.js --server_port=PORT --test_case=NAME');
  }
  return args;
}

function loadTesting() {
  const definition = protoLoader.loadSync(['grpc/testing/test.proto'], {
    includeDirs: [path.resolve(__dirname, '..', 'Protos')],
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
  });
  return grpc.loadPackageDefinition(definition).grpc.testing;
}

function deadline(ms = CALL_TIMEOUT_MS) {
  return new Date(Date.now() + ms);
}

function zeros(size) {
  return { body: Buffer.alloc(size) };
}

function checkBody(payload, size) {
  check(payload && payload.body, 'response has no payload');
  check(payload.body.length === size, `payload body is ${payload.body.length} bytes, expected ${size}`);
  check(payload.body.every((b) => b === 0), 'payload body is not all zeros');
}

/** Runs a unary call; resolves with { error, response, headers, status }. */
function unary(client, method, request, metadata = new grpc.Metadata(), options = {}) {
  return new Promise((resolve) => {
    const result = {};
    let pending = 2;
    const done = () => {
      if (--pending === 0) {
        resolve(result);
      }
    };
    const call = client[method](request, metadata, { deadline: deadline(), ...options }, (error, response) => {
      result.error = error;
      result.response = response;
      done();
    });
    call.on('metadata', (headers) => {
      result.headers = headers;
    });
    call.on('status', (status) => {
      result.status = status;
      done();
    });
  });
}

/** Wraps a streaming call: next() reads one message, end() waits for the status. */
function streamReader(call) {
  const messages = [];
  const waiters = [];
  const state = { ended: false, error: null, status: null, headers: null };
  const wake = () => {
    while (waiters.length > 0 && (messages.length > 0 || state.ended)) {
      waiters.shift()();
    }
  };
  call.on('metadata', (headers) => {
    state.headers = headers;
  });
  call.on('data', (message) => {
    messages.push(message);
    wake();
  });
  call.on('error', (error) => {
    state.error = error;
  });
  call.on('status', (status) => {
    state.status = status;
    state.ended = true;
    wake();
  });
  return {
    state,
    async next() {
      if (messages.length === 0 && !state.ended) {
        await new Promise((resolve) => waiters.push(resolve));
      }
      return messages.length > 0 ? messages.shift() : null;
    },
    async end() {
      const rest = [];
      for (let m = await this.next(); m !== null; m = await this.next()) {
        rest.push(m);
      }
      return rest;
    },
  };
}

function expectCode(actual, expected, what) {
  check(actual === expected, `${what}: expected ${codeName(expected)}, got ${codeName(actual)}`);
}

function largeRequest(extra = {}) {
  return { response_size: 314159, payload: zeros(271828), ...extra };
}

function streamingRequest(responseSizes, payloadSize, extra = {}) {
  const request = { response_parameters: responseSizes.map((size) => ({ size })), ...extra };
  if (payloadSize !== undefined) {
    request.payload = zeros(payloadSize);
  }
  return request;
}

async function ensureServerStillServes(ctx) {
  const result = await unary(ctx.client, 'EmptyCall', {});
  check(!result.error, `EmptyCall after the case failed: ${result.error && result.error.message}`);
}

const cases = {
  async empty_unary(ctx) {
    const { error, response } = await unary(ctx.client, 'EmptyCall', {});
    check(!error, `EmptyCall failed: ${error && error.message}`);
    check(response !== null && typeof response === 'object', 'response is not a message');
  },

  async large_unary(ctx) {
    const { error, response } = await unary(ctx.client, 'UnaryCall', largeRequest());
    check(!error, `UnaryCall failed: ${error && error.message}`);
    checkBody(response.payload, 314159);
  },

  // grpc-js cannot compress a single message on request: compression is a channel option
  // (grpc.default_compression_algorithm), applied to every message of every call on the channel.
  // So the compressed call goes over a gzip channel and the two uncompressed ones over a plain one.
  async client_compressed_unary(ctx) {
    const gzipClient = new ctx.testing.TestService(ctx.target, grpc.credentials.createInsecure(), {
      'grpc.default_compression_algorithm': GZIP_ALGORITHM,
    });
    try {
      const probe = await unary(ctx.client, 'UnaryCall', largeRequest({ expect_compressed: { value: true } }));
      check(probe.error, 'the uncompressed probe with expect_compressed=true succeeded; expected INVALID_ARGUMENT');
      expectCode(probe.error.code, grpc.status.INVALID_ARGUMENT, 'probe');
      const compressed = await unary(gzipClient, 'UnaryCall', largeRequest({ expect_compressed: { value: true } }));
      check(!compressed.error, `compressed call failed: ${compressed.error && compressed.error.message}`);
      checkBody(compressed.response.payload, 314159);
      const plain = await unary(ctx.client, 'UnaryCall', largeRequest({ expect_compressed: { value: false } }));
      check(!plain.error, `uncompressed call failed: ${plain.error && plain.error.message}`);
      checkBody(plain.response.payload, 314159);
    } finally {
      gzipClient.close();
    }
  },

  // grpc-js does not expose the compressed flag of a received message (its compression filter
  // consumes grpc-encoding), so this checks the server's compressed and plain replies decode right.
  async server_compressed_unary(ctx) {
    for (const value of [true, false]) {
      const { error, response } = await unary(ctx.client, 'UnaryCall', largeRequest({ response_compressed: { value } }));
      check(!error, `response_compressed=${value}: ${error && error.message}`);
      checkBody(response.payload, 314159);
    }
  },

  async client_streaming(ctx) {
    const response = await new Promise((resolve, reject) => {
      const call = ctx.client.StreamingInputCall({ deadline: deadline() }, (error, r) => (error ? reject(error) : resolve(r)));
      for (const size of [27182, 8, 1828, 45904]) {
        call.write({ payload: zeros(size) });
      }
      call.end();
    });
    check(response.aggregated_payload_size === 74922, `aggregated_payload_size is ${response.aggregated_payload_size}, expected 74922`);
  },

  async server_streaming(ctx) {
    const sizes = [31415, 9, 2653, 58979];
    const reader = streamReader(ctx.client.StreamingOutputCall(streamingRequest(sizes), { deadline: deadline() }));
    const responses = await reader.end();
    check(!reader.state.error, `call failed: ${reader.state.error && reader.state.error.message}`);
    check(responses.length === 4, `got ${responses.length} responses, expected 4`);
    responses.forEach((r, i) => checkBody(r.payload, sizes[i]));
  },

  async ping_pong(ctx) {
    const call = ctx.client.FullDuplexCall({ deadline: deadline() });
    const reader = streamReader(call);
    for (const [responseSize, payloadSize] of [[31415, 27182], [9, 8], [2653, 1828], [58979, 45904]]) {
      call.write(streamingRequest([responseSize], payloadSize));
      const response = await reader.next();
      check(response !== null, `no reply to the ${responseSize} ping: ${reader.state.error && reader.state.error.message}`);
      checkBody(response.payload, responseSize);
    }
    call.end();
    const rest = await reader.end();
    check(rest.length === 0, `got ${rest.length} responses after the last ping`);
    check(!reader.state.error, `call failed: ${reader.state.error && reader.state.error.message}`);
    expectCode(reader.state.status.code, grpc.status.OK, 'status');
  },

  async empty_stream(ctx) {
    const call = ctx.client.FullDuplexCall({ deadline: deadline() });
    const reader = streamReader(call);
    call.end();
    const responses = await reader.end();
    check(!reader.state.error, `call failed: ${reader.state.error && reader.state.error.message}`);
    check(responses.length === 0, `got ${responses.length} responses, expected none`);
  },

  async cancel_after_begin(ctx) {
    const result = await new Promise((resolve) => {
      const call = ctx.client.StreamingInputCall({ deadline: deadline() }, (error, response) => resolve({ error, response }));
      call.cancel();
    });
    check(result.error, 'the cancelled call succeeded');
    expectCode(result.error.code, grpc.status.CANCELLED, 'cancelled call');
    await ensureServerStillServes(ctx);
  },

  async cancel_after_first_response(ctx) {
    const call = ctx.client.FullDuplexCall({ deadline: deadline() });
    const reader = streamReader(call);
    call.write(streamingRequest([31415], 27182));
    const response = await reader.next();
    check(response !== null, `no first response: ${reader.state.error && reader.state.error.message}`);
    checkBody(response.payload, 31415);
    call.cancel();
    await reader.end();
    check(reader.state.error, 'the cancelled call did not fail');
    expectCode(reader.state.error.code, grpc.status.CANCELLED, 'cancelled call');
    await ensureServerStillServes(ctx);
  },

  async custom_metadata(ctx) {
    const metadata = () => {
      const md = new grpc.Metadata();
      md.add(ECHO_INITIAL_KEY, ECHO_INITIAL_VALUE);
      md.add(ECHO_TRAILING_KEY, ECHO_TRAILING_VALUE);
      return md;
    };
    const checkEcho = (headers, trailers, what) => {
      const initial = headers ? headers.get(ECHO_INITIAL_KEY) : [];
      check(initial.length === 1 && initial[0] === ECHO_INITIAL_VALUE,
        `${what}: initial metadata ${JSON.stringify(headers && headers.toJSON())} lacks ${ECHO_INITIAL_KEY}`);
      const trailing = trailers ? trailers.get(ECHO_TRAILING_KEY) : [];
      check(trailing.length === 1 && Buffer.isBuffer(trailing[0]) && trailing[0].equals(ECHO_TRAILING_VALUE),
        `${what}: trailing metadata ${JSON.stringify(trailers && trailers.toJSON())} lacks ${ECHO_TRAILING_KEY}=0xababab`);
    };

    const result = await unary(ctx.client, 'UnaryCall', largeRequest(), metadata());
    check(!result.error, `UnaryCall failed: ${result.error && result.error.message}`);
    checkBody(result.response.payload, 314159);
    checkEcho(result.headers, result.status.metadata, 'UnaryCall');

    const call = ctx.client.FullDuplexCall(metadata(), { deadline: deadline() });
    const reader = streamReader(call);
    call.write(streamingRequest([314159], 271828));
    call.end();
    const responses = await reader.end();
    check(!reader.state.error, `FullDuplexCall failed: ${reader.state.error && reader.state.error.message}`);
    check(responses.length === 1, `FullDuplexCall: got ${responses.length} responses, expected 1`);
    checkBody(responses[0].payload, 314159);
    checkEcho(reader.state.headers, reader.state.status.metadata, 'FullDuplexCall');
  },

  async status_code_and_message(ctx) {
    const responseStatus = { code: 2, message: 'test status message' };
    const result = await unary(ctx.client, 'UnaryCall', { response_status: responseStatus });
    check(result.error, 'UnaryCall succeeded; expected UNKNOWN');
    expectCode(result.error.code, grpc.status.UNKNOWN, 'UnaryCall');
    check(result.error.details === responseStatus.message, `UnaryCall: details ${JSON.stringify(result.error.details)}`);

    const call = ctx.client.FullDuplexCall({ deadline: deadline() });
    const reader = streamReader(call);
    call.write({ response_status: responseStatus });
    call.end();
    await reader.end();
    check(reader.state.error, 'FullDuplexCall succeeded; expected UNKNOWN');
    expectCode(reader.state.error.code, grpc.status.UNKNOWN, 'FullDuplexCall');
    check(reader.state.error.details === responseStatus.message,
      `FullDuplexCall: details ${JSON.stringify(reader.state.error.details)}`);
  },

  async special_status_message(ctx) {
    const result = await unary(ctx.client, 'UnaryCall', { response_status: { code: 2, message: SPECIAL_STATUS_MESSAGE } });
    check(result.error, 'UnaryCall succeeded; expected UNKNOWN');
    expectCode(result.error.code, grpc.status.UNKNOWN, 'UnaryCall');
    check(result.error.details === SPECIAL_STATUS_MESSAGE,
      `details ${JSON.stringify(result.error.details)}, expected ${JSON.stringify(SPECIAL_STATUS_MESSAGE)}`);
  },

  async unimplemented_method(ctx) {
    const { error } = await unary(ctx.client, 'UnimplementedCall', {});
    check(error, 'UnimplementedCall succeeded');
    expectCode(error.code, grpc.status.UNIMPLEMENTED, 'UnimplementedCall');
  },

  async unimplemented_service(ctx) {
    const client = new ctx.testing.UnimplementedService(ctx.target, grpc.credentials.createInsecure());
    try {
      const { error } = await unary(client, 'UnimplementedCall', {});
      check(error, 'UnimplementedService/UnimplementedCall succeeded');
      expectCode(error.code, grpc.status.UNIMPLEMENTED, 'UnimplementedService/UnimplementedCall');
    } finally {
      client.close();
    }
  },

  async timeout_on_sleeping_server(ctx) {
    const call = ctx.client.FullDuplexCall({ deadline: deadline(1) });
    const reader = streamReader(call);
    call.write({ payload: zeros(27182) }); // no half-close: the server waits for more
    await reader.end();
    check(reader.state.error, 'the call did not fail');
    expectCode(reader.state.error.code, grpc.status.DEADLINE_EXCEEDED, 'call');
    await ensureServerStillServes(ctx);
  },

  // The server under test is configured with a 4 MiB receive limit; 5 MiB must be refused.
  async request_over_receive_limit(ctx) {
    const { error } = await unary(ctx.client, 'UnaryCall', { response_size: 1, payload: zeros(OVER_LIMIT_SIZE) });
    check(error, 'the oversized request succeeded');
    expectCode(error.code, grpc.status.RESOURCE_EXHAUSTED, 'oversized request');
    await ensureServerStillServes(ctx);
  },

  // 5 MiB of zeros gzip to a few KiB: the limit must apply to the decompressed message.
  async compressed_request_over_receive_limit(ctx) {
    const gzipClient = new ctx.testing.TestService(ctx.target, grpc.credentials.createInsecure(), {
      'grpc.default_compression_algorithm': GZIP_ALGORITHM,
    });
    try {
      const { error } = await unary(gzipClient, 'UnaryCall', { response_size: 1, payload: zeros(OVER_LIMIT_SIZE) });
      check(error, 'the oversized compressed request succeeded');
      expectCode(error.code, grpc.status.RESOURCE_EXHAUSTED, 'oversized compressed request');
    } finally {
      gzipClient.close();
    }
    await ensureServerStillServes(ctx);
  },

  // --- beyond the list the task fixes: the rest of the spec's server features, and load on one connection ---

  async half_duplex(ctx) {
    const sizes = [31415, 9, 2653];
    const call = ctx.client.HalfDuplexCall({ deadline: deadline() });
    const reader = streamReader(call);
    sizes.forEach((size) => call.write(streamingRequest([size], 8)));
    call.end();
    const responses = await reader.end();
    check(!reader.state.error, `call failed: ${reader.state.error && reader.state.error.message}`);
    const got = responses.map((r) => r.payload.body.length);
    check(JSON.stringify(got) === JSON.stringify(sizes), `response sizes ${got}, expected ${sizes}`);
  },

  // grpc-js hides the compressed flag (see server_compressed_unary): this checks both messages decode right.
  async server_compressed_streaming(ctx) {
    const request = {
      response_parameters: [
        { size: 31415, compressed: { value: true } },
        { size: 92653, compressed: { value: false } },
      ],
    };
    const reader = streamReader(ctx.client.StreamingOutputCall(request, { deadline: deadline() }));
    const responses = await reader.end();
    check(!reader.state.error, `call failed: ${reader.state.error && reader.state.error.message}`);
    check(responses.length === 2, `got ${responses.length} responses, expected 2`);
    checkBody(responses[0].payload, 31415);
    checkBody(responses[1].payload, 92653);
  },

  async concurrent_large_unary(ctx) {
    const results = await Promise.all(Array.from({ length: CONCURRENT_CALLS }, () => unary(ctx.client, 'UnaryCall', largeRequest())));
    results.forEach(({ error, response }, i) => {
      check(!error, `call ${i} failed: ${error && error.message}`);
      checkBody(response.payload, 314159);
    });
  },

  // Messages far beyond HTTP/2's initial 64 KiB windows, both ways, so flow control must work.
  async large_streams(ctx) {
    const aggregated = await new Promise((resolve, reject) => {
      const call = ctx.client.StreamingInputCall({ deadline: deadline() }, (error, r) => (error ? reject(error) : resolve(r)));
      for (let i = 0; i < 4; i++) {
        call.write({ payload: zeros(LARGE_MESSAGE) });
      }
      call.end();
    });
    check(aggregated.aggregated_payload_size === 4 * LARGE_MESSAGE,
      `aggregated_payload_size is ${aggregated.aggregated_payload_size}, expected ${4 * LARGE_MESSAGE}`);
    const reader = streamReader(ctx.client.StreamingOutputCall(streamingRequest(Array(4).fill(LARGE_MESSAGE)), { deadline: deadline() }));
    const responses = await reader.end();
    check(!reader.state.error, `StreamingOutputCall failed: ${reader.state.error && reader.state.error.message}`);
    check(responses.length === 4, `got ${responses.length} responses, expected 4`);
    responses.forEach((r) => checkBody(r.payload, LARGE_MESSAGE));
  },

  // Unlike timeout_on_sleeping_server, whose 1 ms may expire before the call leaves the client, this
  // deadline surely passes while the server holds the call, waiting for the next request.
  async timeout_after_first_response(ctx) {
    const call = ctx.client.FullDuplexCall({ deadline: deadline(DEADLINE_AFTER_FIRST_RESPONSE_MS) });
    const reader = streamReader(call);
    call.write(streamingRequest([31415], 27182));
    const response = await reader.next();
    check(response !== null, `no first response: ${reader.state.error && reader.state.error.message}`);
    checkBody(response.payload, 31415);
    await reader.end();
    check(reader.state.error, 'the call did not fail');
    expectCode(reader.state.error.code, grpc.status.DEADLINE_EXCEEDED, 'call');
    await ensureServerStillServes(ctx);
  },

  // Base64 of 1, 2, 4 and 5 bytes needs padding (which some stacks leave out): every length must round-trip.
  async binary_metadata_lengths(ctx) {
    for (let length = 1; length <= 6; length++) {
      const value = Buffer.from(Array.from({ length }, (_, i) => (0xf0 + i) & 0xff));
      const md = new grpc.Metadata();
      md.add(ECHO_TRAILING_KEY, value);
      const result = await unary(ctx.client, 'UnaryCall', { response_size: 1 }, md);
      check(!result.error, `${length} bytes: call failed: ${result.error && result.error.message}`);
      const echoed = result.status.metadata.get(ECHO_TRAILING_KEY);
      check(echoed.length === 1 && echoed[0].equals(value),
        `${length}-byte value ${value.toString('hex')} came back as ${echoed.map((b) => b.toString('hex'))}`);
    }
  },
};

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const run = cases[args.test_case];
  if (!run) {
    throw new Error(`unknown test case ${args.test_case}; known: ${Object.keys(cases).join(', ')}`);
  }
  const testing = loadTesting();
  const target = `${args.server_host}:${args.server_port}`;
  const client = new testing.TestService(target, grpc.credentials.createInsecure());
  // A hang must not outlive the test: every call has a deadline, and a watchdog ends the process.
  const watchdog = setTimeout(() => {
    console.error(`FAIL ${args.test_case}: timed out`);
    process.exit(3);
  }, 120000);
  try {
    await run({ client, testing, target });
  } finally {
    clearTimeout(watchdog);
    client.close();
  }
  console.log(`PASS ${args.test_case}`);
}

main().then(
  () => process.exit(0),
  (error) => {
    const kind = error instanceof CaseFailed ? '' : 'unexpected error: ';
    console.error(`FAIL ${process.argv.slice(2).join(' ')}: ${kind}${error && error.stack ? error.stack : error}`);
    process.exit(1);
  },
);

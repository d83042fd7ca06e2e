'use strict';
// A Partner Exchange integration in Node, as a service integrator would write it: @grpc/grpc-js with the .proto
// files of the repository's protos/ loaded at run time by @grpc/proto-loader; rich error details are decoded with
// protobufjs from the same protos. Runs one case against a running server and exits 0 when it passes; otherwise
// prints what went wrong to stderr and exits 1.
//
// Usage: node foreign_client.js --protos DIR --port PORT --case NAME
//                                --token-url URL --client-id ID --client-secret SECRET
//                                --si-client-id ID --si-client-secret SECRET
//        node foreign_client.js --list          (prints the case names, one a line)
//
// The client gets its access token itself, as an SI's integration would: an OAuth 2.0 client-credentials request to
// the token endpoint (URL, the server's Web endpoint) with Node's fetch, then `authorization: Bearer <token>` on every
// call through a client interceptor. The SI client's credentials are used by permission_denied only.

const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const protobuf = require('protobufjs');
const descriptor = require('protobufjs/ext/descriptor');
const path = require('path');

const CASES = [
  'health_check',
  'reflection_list_services_v1',
  'reflection_list_services_v1alpha',
  'calendar_real_answer',
  'calendar_make_up_day_named',
  'precondition_failed',
  'streaming_error',
  'rich_error_bad_request',
  'deadline_exceeded',
  'cancel_held_call',
  'over_limit',
  'unknown_service',
  'unauthenticated',
  'permission_denied',
  'token_endpoint',
];

// Generous for a loaded machine; the deadline case uses its own short one.
const CALL_TIMEOUT_MS = 30000;
const SHORT_DEADLINE_MS = 300;
const OVER_LIMIT_BYTES = 5 * 1024 * 1024;
const DOMAIN = 'partnerexchange.v1';
const STATUS_DETAILS_KEY = 'grpc-status-details-bin';
const TOKEN_LIFETIME_SECONDS = 900;
const PARTNER_MANAGER_ROLE = 'partner-manager';
const SI_ROLE = 'si';
const CREDENTIAL_ARGUMENTS = ['token-url', 'client-id', 'client-secret', 'si-client-id', 'si-client-secret'];

const EXPECTED_SERVICES = [
  'partnerexchange.v1.PartnerService',
  'partnerexchange.v1.WorkOrderService',
  'partnerexchange.v1.SettlementService',
  'partnerexchange.v1.ReportService',
  'partnerexchange.v1.CalendarService',
  'partnerexchange.v1.AuditService',
  'grpc.health.v1.Health',
  'grpc.reflection.v1.ServerReflection',
  'grpc.reflection.v1alpha.ServerReflection',
];

class CaseFailed extends Error {}

/** The token endpoint refused the request or did not answer as OAuth 2.0 requires. */
class TokenRequestFailed extends Error {}

function check(condition, message) {
  if (!condition) {
    throw new CaseFailed(message);
  }
}

function codeName(code) {
  return Object.keys(grpc.status).find((name) => grpc.status[name] === code) || String(code);
}

function deadline(ms = CALL_TIMEOUT_MS) {
  return new Date(Date.now() + ms);
}

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([a-z_-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!match) {
      throw new Error(`unexpected argument ${argv[i]}`);
    }
    if (match[1] === 'list') {
      args.list = true;
    } else {
      args[match[1]] = match[2] !== undefined ? match[2] : argv[++i];
    }
  }
  return args;
}

/** application/x-www-form-urlencoded encoding of one value. */
function formEncode(value) {
  return new URLSearchParams({ v: value }).toString().substring(2);
}

/**
 * Asks the token endpoint for an access token with the client-credentials grant; resolves to its JSON reply. The
 * client authenticates with client_secret_post (id and secret in the form) or, with basic, client_secret_basic (HTTP
 * Basic with the form-encoded id and secret, RFC 6749 section 2.3.1).
 */
async function requestToken(tokenUrl, clientId, clientSecret, { basic = false } = {}) {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  const headers = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (basic) {
    headers.authorization = `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString('base64')}`;
  } else {
    form.set('client_id', clientId);
    form.set('client_secret', clientSecret);
  }
  let response;
  let text;
  try {
    response = await fetch(tokenUrl, { method: 'POST', headers, body: form, signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
    text = await response.text();
  } catch (error) {
    throw new TokenRequestFailed(`POST ${tokenUrl} for ${clientId} failed: ${error.cause || error}`);
  }
  if (!response.ok) {
    throw new TokenRequestFailed(`POST ${tokenUrl} for ${clientId} answered HTTP ${response.status}: ${text.substring(0, 400)}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TokenRequestFailed(`POST ${tokenUrl} for ${clientId} answered no JSON: ${text.substring(0, 400)}`);
  }
}

function accessToken(reply) {
  if (!reply || typeof reply.access_token !== 'string' || !reply.access_token) {
    throw new TokenRequestFailed(`the token endpoint answered without an access_token: ${short(reply)}`);
  }
  return reply.access_token;
}

/** Part index (0 header, 1 payload) of a JWT, base64url-decoded and parsed; the signature is not checked. */
function jwtPart(token, index) {
  const parts = token.split('.');
  check(parts.length === 3, `the access token has ${parts.length} dot-separated parts, a signed JWT has 3`);
  try {
    return JSON.parse(Buffer.from(parts[index], 'base64url').toString('utf8'));
  } catch (error) {
    throw new CaseFailed(`part ${index} of the access token is not base64url JSON: ${error.message}`);
  }
}

/** A client interceptor that adds `authorization: Bearer <token>` to the metadata of every call it starts. */
function bearerToken(token) {
  return (options, nextCall) =>
    new grpc.InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        metadata.set('authorization', `Bearer ${token}`);
        next(metadata, listener);
      },
    });
}

/** Loads the services with proto-loader and the google.rpc detail messages with protobufjs, from protosDir. */
function loadProtos(protosDir) {
  const definition = protoLoader.loadSync(
    [
      'partnerexchange/v1/partner_service.proto',
      'partnerexchange/v1/work_order_service.proto',
      'partnerexchange/v1/settlement_service.proto',
      'partnerexchange/v1/report_service.proto',
      'partnerexchange/v1/calendar_service.proto',
      'partnerexchange/v1/audit_service.proto',
      'grpc/health/v1/health.proto',
      'grpc/reflection/v1/reflection.proto',
      'grpc/reflection/v1alpha/reflection.proto',
    ],
    { includeDirs: [protosDir], keepCase: true, longs: String, enums: String, defaults: true, oneofs: true },
  );
  const loaded = grpc.loadPackageDefinition(definition);

  // protobufjs bundles google/protobuf/*.proto (any, duration); everything else comes from protosDir.
  const details = new protobuf.Root();
  details.resolvePath = (origin, target) => (path.isAbsolute(target) ? target : path.join(protosDir, target));
  details.loadSync(['google/rpc/status.proto', 'google/rpc/error_details.proto'], { keepCase: true });
  return { loaded, details };
}

/** A unary call as a promise of { error, response, metadata } (metadata: the response headers, if any). */
function unary(client, method, request, { metadata = new grpc.Metadata(), ms = CALL_TIMEOUT_MS, onMetadata } = {}) {
  return new Promise((resolve) => {
    let headers = null;
    const call = client[method](request, metadata, { deadline: deadline(ms) }, (error, response) => {
      resolve({ error, response, metadata: headers });
    });
    call.on('metadata', (received) => {
      headers = received;
      if (onMetadata) {
        onMetadata(call, received);
      }
    });
  });
}

/** A unary call of method with an empty request as raw bytes, as a promise of { error, response }. */
function rawCall(client, method) {
  return new Promise((resolve) => {
    client.makeUnaryRequest(method, (bytes) => bytes, (bytes) => bytes, Buffer.alloc(0), { deadline: deadline() },
      (error, response) => resolve({ error, response }));
  });
}

function safeDecodeURIComponent(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** JSON of value, cut to limit characters for a readable failure message. */
function short(value, limit = 400) {
  const text = String(JSON.stringify(value));
  return text.length <= limit ? text : `${text.substring(0, limit)}... (${text.length} characters)`;
}

function expectError(result, code, what) {
  check(result.error, `${what}: expected ${codeName(code)}, got a response: ${short(result.response)}`);
  check(
    result.error.code === code,
    `${what}: expected ${codeName(code)}, got ${codeName(result.error.code)}: ${JSON.stringify(result.error.details)}`,
  );
  return result.error;
}

function hold() {
  const metadata = new grpc.Metadata();
  metadata.set('x-test-hold', '1');
  return metadata;
}

class Client {
  /** credentials: the token-url, client-id, client-secret, si-client-id and si-client-secret arguments. */
  constructor(port, protos, credentials) {
    this.address = `127.0.0.1:${port}`;
    this.protos = protos;
    this.credentials = credentials;
    this.clients = [];
  }

  /** Gets the partner manager's token, makes the clients that carry it and waits until the server is reachable. */
  async start() {
    const { credentials } = this;
    this.tokenReply = await requestToken(credentials['token-url'], credentials['client-id'], credentials['client-secret']);
    this.token = accessToken(this.tokenReply);
    const v1 = this.protos.loaded.partnerexchange.v1;
    this.calendar = this.client(v1.CalendarService);
    this.partners = this.client(v1.PartnerService);
    this.workOrders = this.client(v1.WorkOrderService);
    this.settlements = this.client(v1.SettlementService);
    await new Promise((resolve, reject) => {
      this.calendar.waitForReady(deadline(), (error) => (error ? reject(error) : resolve()));
    });
  }

  /** A client of Service whose every call carries token (the partner manager's unless given; null: no token). */
  client(Service, token = this.token) {
    const options = token === null ? {} : { interceptors: [bearerToken(token)] };
    const client = new Service(this.address, grpc.credentials.createInsecure(), options);
    this.clients.push(client);
    return client;
  }

  close() {
    for (const client of this.clients) {
      client.close();
    }
  }

  /** Decodes grpc-status-details-bin (a google.rpc.Status) and checks it agrees with the status line. */
  statusDetails(error) {
    const blobs = error.metadata ? error.metadata.get(STATUS_DETAILS_KEY) : [];
    check(blobs.length === 1, `expected one ${STATUS_DETAILS_KEY} trailer, got ${blobs.length}`);
    const status = this.protos.details.lookupType('google.rpc.Status').decode(blobs[0]);
    check(status.code === error.code, `details say code ${status.code}, the status is ${codeName(error.code)}`);
    // grpc-js decodes grpc-message with decodeURI, which leaves %3B, %2F, %3A, ... as they are: a server that
    // percent-encodes more than gRPC requires (bytes outside printable ASCII, and %) garbles its messages here.
    const overEncoded = status.message !== error.details && safeDecodeURIComponent(error.details) === status.message;
    check(!overEncoded, `details say ${JSON.stringify(status.message)}, but grpc-js shows the status message as `
      + `${JSON.stringify(error.details)}: the server percent-encoded grpc-message beyond what gRPC requires (only bytes `
      + 'outside printable ASCII, and %), and grpc-js leaves such escapes of reserved characters undecoded');
    check(status.message === error.details, `details say ${JSON.stringify(status.message)}, the status message is ${JSON.stringify(error.details)}`);
    return status;
  }

  /** The details of status of the given google.rpc type, unpacked from their Any. */
  unpack(status, typeName) {
    const type = this.protos.details.lookupType(typeName);
    return status.details
      .filter((any) => any.type_url.substring(any.type_url.lastIndexOf('/') + 1) === typeName)
      .map((any) => type.decode(any.value));
  }

  errorInfo(error) {
    const infos = this.unpack(this.statusDetails(error), 'google.rpc.ErrorInfo');
    check(infos.length === 1, `expected one ErrorInfo in the details, got ${infos.length}`);
    check(infos[0].domain === DOMAIN, `ErrorInfo.domain is ${JSON.stringify(infos[0].domain)}`);
    return infos[0];
  }

  static calendarRequest([y1, m1, d1], [y2, m2, d2]) {
    return { start_date: { year: y1, month: m1, day: d1 }, end_date: { year: y2, month: m2, day: d2 } };
  }

  // --- cases ----------------------------------------------------------------------------------------------------

  async health_check() {
    const health = this.client(this.protos.loaded.grpc.health.v1.Health, null); // no token: open to load balancers
    const served = await unary(health, 'Check', { service: '' });
    check(!served.error, `Check("") failed: ${served.error && served.error.message}`);
    check(served.response.status === 'SERVING', `Check("") is ${served.response.status}, expected SERVING`);
    expectError(await unary(health, 'Check', { service: 'no.such.Service' }), grpc.status.NOT_FOUND, 'Check("no.such.Service")');
  }

  async reflection(version) {
    const stub = this.client(this.protos.loaded.grpc.reflection[version].ServerReflection, null); // no token: open, as for grpcurl
    const responses = await new Promise((resolve, reject) => {
      const received = [];
      const call = stub.ServerReflectionInfo({ deadline: deadline() });
      call.on('data', (response) => received.push(response));
      call.on('error', reject);
      call.on('end', () => resolve(received));
      call.write({ list_services: '' });
      call.write({ file_containing_symbol: 'partnerexchange.v1.CalendarService' });
      call.end();
    });
    check(responses.length === 2, `got ${responses.length} reflection responses, expected 2`);
    const [listed, files] = responses;

    check(listed.message_response === 'list_services_response', `list_services answered with ${listed.message_response}`);
    const names = listed.list_services_response.service.map((service) => service.name);
    const missing = EXPECTED_SERVICES.filter((name) => !names.includes(name));
    check(missing.length === 0, `list_services lacks ${missing.join(', ')} (listed ${names.join(', ')})`);

    check(files.message_response === 'file_descriptor_response', `file_containing_symbol answered with ${files.message_response}`);
    const parsed = files.file_descriptor_response.file_descriptor_proto.map((blob) => descriptor.FileDescriptorProto.decode(blob));
    const defining = parsed.filter((file) => file.package === 'partnerexchange.v1' && (file.service || []).some((s) => s.name === 'CalendarService'));
    check(defining.length === 1, `no returned file defines partnerexchange.v1.CalendarService (got ${parsed.map((f) => f.name).join(', ')})`);
    const methods = defining[0].service.find((s) => s.name === 'CalendarService').method;
    const get = methods.find((m) => m.name === 'GetCalendar');
    check(get && methods.some((m) => m.name === 'SetCalendarDays'), `CalendarService has methods ${methods.map((m) => m.name).join(', ')}`);
    check(get.inputType === '.partnerexchange.v1.GetCalendarRequest', `GetCalendar takes ${get.inputType}`);
    // Every import of the file must come along, or a dynamic client could not build its types.
    const returned = new Set(parsed.map((file) => file.name));
    const unmet = parsed.flatMap((file) => file.dependency || []).filter((name) => !returned.has(name));
    check(unmet.length === 0, `the returned files import files that were not returned: ${unmet.join(', ')}`);
  }

  reflection_list_services_v1() {
    return this.reflection('v1');
  }

  reflection_list_services_v1alpha() {
    return this.reflection('v1alpha');
  }

  /** expected: [date, kind, holiday_name, make_up_working_day, provisional] per day, in order; a holiday_name of null is not checked. */
  static checkDays(response, expected) {
    const dates = response.days.map(({ date }) => `${date.year}-${date.month}-${date.day}`);
    const wantedDates = expected.map(([date]) => date);
    check(dates.join() === wantedDates.join(), `days ${dates.join(', ')}, expected ${wantedDates.join(', ')}`);
    response.days.forEach((day, i) => {
      const [date, kind, holiday, makeUp, provisional] = expected[i];
      const actual = JSON.stringify([day.kind, holiday === null ? null : day.holiday_name, day.make_up_working_day, day.provisional]);
      const wanted = JSON.stringify([kind, holiday, makeUp, provisional]);
      check(actual === wanted, `${date} is ${actual}, expected ${wanted}`);
    });
  }

  async calendar_real_answer() {
    const working = 'DAY_KIND_WORKING_DAY';
    const off = 'DAY_KIND_DAY_OFF';

    // The Spring Festival of the seeded 2026 calendar: a Saturday make-up working day, then the days off. The
    // make-up day's holiday_name is checked by calendar_make_up_day_named.
    const festival = await unary(this.calendar, 'GetCalendar', Client.calendarRequest([2026, 2, 13], [2026, 2, 16]));
    check(!festival.error, `GetCalendar failed: ${festival.error && festival.error.message}`);
    const response = festival.response;
    check(response.time_zone === 'Asia/Shanghai', `time_zone is ${response.time_zone}`);
    check(JSON.stringify(response.first_entered_date) === JSON.stringify({ year: 2026, month: 1, day: 1 }), `first_entered_date is ${JSON.stringify(response.first_entered_date)}`);
    check(JSON.stringify(response.last_entered_date) === JSON.stringify({ year: 2026, month: 12, day: 31 }), `last_entered_date is ${JSON.stringify(response.last_entered_date)}`);
    Client.checkDays(response, [
      ['2026-2-13', working, '', false, false],
      ['2026-2-14', working, null, true, false],
      ['2026-2-15', off, 'Spring Festival', false, false],
      ['2026-2-16', off, 'Spring Festival', false, false],
    ]);

    // Past the last entered day the calendar is provisional: weekends off, nothing else.
    const turn = await unary(this.calendar, 'GetCalendar', Client.calendarRequest([2026, 12, 31], [2027, 1, 3]));
    check(!turn.error, `GetCalendar failed: ${turn.error && turn.error.message}`);
    Client.checkDays(turn.response, [
      ['2026-12-31', working, '', false, false],
      ['2027-1-1', working, '', false, true],
      ['2027-1-2', off, '', false, true],
      ['2027-1-3', off, '', false, true],
    ]);
  }

  async calendar_make_up_day_named() {
    // calendar_service.proto: holiday_name is the holiday's name "for holiday days off and their make-up working days".
    const result = await unary(this.calendar, 'GetCalendar', Client.calendarRequest([2026, 2, 14], [2026, 2, 14]));
    check(!result.error, `GetCalendar failed: ${result.error && result.error.message}`);
    Client.checkDays(result.response, [['2026-2-14', 'DAY_KIND_WORKING_DAY', 'Spring Festival', true, false]]);
  }

  async precondition_failed() {
    const request = { period: { year: 2026, month: 1 }, request_id: 'interop-close-2026-01' };
    const error = expectError(await unary(this.settlements, 'ClosePeriod', request), grpc.status.FAILED_PRECONDITION, 'ClosePeriod');
    const info = this.errorInfo(error);
    check(info.reason === 'ILLEGAL_STATE_TRANSITION', `ErrorInfo.reason is ${JSON.stringify(info.reason)}, expected ILLEGAL_STATE_TRANSITION`);
    const failures = this.unpack(this.statusDetails(error), 'google.rpc.PreconditionFailure');
    const subjects = failures.flatMap((f) => f.violations.map((v) => v.subject));
    check(JSON.stringify(subjects) === JSON.stringify(['settlementPeriods/2026-01']), `PreconditionFailure subjects are ${JSON.stringify(subjects)}`);
  }

  async streaming_error() {
    const { error, received } = await new Promise((resolve) => {
      const events = [];
      const call = this.settlements.StreamStatementLines({ parent: 'partners/si-yunqi-music/statements/2026-10' }, { deadline: deadline() });
      call.on('data', (line) => events.push(line));
      call.on('error', (e) => resolve({ error: e, received: events }));
      call.on('end', () => resolve({ error: null, received: events }));
    });
    check(error, `StreamStatementLines ended without an error after ${received.length} line(s)`);
    check(error.code === grpc.status.NOT_FOUND, `StreamStatementLines: expected NOT_FOUND, got ${codeName(error.code)}: ${error.details}`);
    check(error.details.includes('partners/si-yunqi-music/statements/2026-10'), `the message does not name the statement: ${JSON.stringify(error.details)}`);
    check(this.errorInfo(error).reason === 'RESOURCE_NOT_FOUND', 'ErrorInfo.reason is not RESOURCE_NOT_FOUND');
  }

  async rich_error_bad_request() {
    const cases = [
      ['end before start', Client.calendarRequest([2026, 3, 2], [2026, 3, 1]), 'end_date'],
      ['no start_date', { end_date: { year: 2026, month: 3, day: 1 } }, 'start_date'],
      ['February 30', Client.calendarRequest([2026, 2, 1], [2026, 2, 30]), 'end_date.day'],
    ];
    for (const [what, request, field] of cases) {
      const error = expectError(await unary(this.calendar, 'GetCalendar', request), grpc.status.INVALID_ARGUMENT, `GetCalendar(${what})`);
      const status = this.statusDetails(error);
      const infos = this.unpack(status, 'google.rpc.ErrorInfo');
      check(infos.length === 1 && infos[0].reason === 'INVALID_REQUEST' && infos[0].domain === DOMAIN,
        `${what}: ErrorInfo is ${JSON.stringify(infos)}, expected reason INVALID_REQUEST in ${DOMAIN}`);
      const badRequests = this.unpack(status, 'google.rpc.BadRequest');
      check(badRequests.length === 1, `${what}: expected one BadRequest in the details, got ${badRequests.length}`);
      const violations = badRequests[0].field_violations;
      check(violations.length === 1 && violations[0].field === field,
        `${what}: field violations ${JSON.stringify(violations)}, expected one on ${field}`);
      check(violations[0].description, `${what}: the field violation has no description`);
    }
  }

  async deadline_exceeded() {
    const request = Client.calendarRequest([2026, 2, 1], [2026, 2, 28]);
    const warm = await unary(this.calendar, 'GetCalendar', request); // the held call must not spend its deadline warming up
    check(!warm.error, `GetCalendar failed: ${warm.error && warm.error.message}`);
    const started = process.hrtime.bigint();
    const result = await unary(this.calendar, 'GetCalendar', request, { metadata: hold(), ms: SHORT_DEADLINE_MS });
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    const error = expectError(result, grpc.status.DEADLINE_EXCEEDED, `a held GetCalendar with a ${SHORT_DEADLINE_MS} ms deadline`);
    check(elapsedMs >= SHORT_DEADLINE_MS * 0.8, `DEADLINE_EXCEEDED after ${elapsedMs.toFixed(0)} ms, before the deadline`);
    check(elapsedMs < CALL_TIMEOUT_MS, `DEADLINE_EXCEEDED only after ${elapsedMs.toFixed(0)} ms`);
    console.log(`DEADLINE_EXCEEDED after ${elapsedMs.toFixed(0)} ms: ${JSON.stringify(error.details)}`);
  }

  async cancel_held_call() {
    let held = null;
    const result = await unary(this.calendar, 'GetCalendar', Client.calendarRequest([2026, 2, 1], [2026, 2, 28]), {
      metadata: hold(),
      // The response headers arrive once the server has the call: cancel then.
      onMetadata: (call, headers) => {
        held = headers.get('x-test-held');
        call.cancel();
      },
    });
    check(held !== null, 'the call ended before its response headers arrived');
    check(held.length === 1 && held[0] === '1', `the held call's x-test-held header is ${JSON.stringify(held)}`);
    expectError(result, grpc.status.CANCELLED, 'the cancelled held call');
  }

  async over_limit() {
    const request = { reason: 'x'.repeat(OVER_LIMIT_BYTES), request_id: 'over-limit' };
    const error = expectError(await unary(this.calendar, 'SetCalendarDays', request), grpc.status.RESOURCE_EXHAUSTED, 'SetCalendarDays of 5 MiB');
    console.log(`RESOURCE_EXHAUSTED: ${JSON.stringify(error.details)}`);
  }

  async unknown_service() {
    const raw = this.client(grpc.Client);
    for (const method of ['/partnerexchange.v1.NoSuchService/NoSuchMethod', '/partnerexchange.v1.CalendarService/NoSuchMethod']) {
      expectError(await rawCall(raw, method), grpc.status.UNIMPLEMENTED, method);
    }
  }

  /** The call must fail with code and an ErrorInfo of the given reason in its status details. */
  expectErrorInfo(result, code, reason, what) {
    const error = expectError(result, code, what);
    const info = this.errorInfo(error);
    check(info.reason === reason, `${what}: ErrorInfo.reason is ${JSON.stringify(info.reason)}, expected ${reason}`);
    return error;
  }

  async unauthenticated() {
    const request = Client.calendarRequest([2026, 2, 13], [2026, 2, 16]);
    const { UNAUTHENTICATED } = grpc.status;
    const CalendarService = this.protos.loaded.partnerexchange.v1.CalendarService;
    const bare = this.client(CalendarService, null);
    const error = this.expectErrorInfo(await unary(bare, 'GetCalendar', request), UNAUTHENTICATED, 'AUTHENTICATION_REQUIRED', 'GetCalendar without a token');
    console.log(`UNAUTHENTICATED: ${JSON.stringify(error.details)}`);

    // Something that is no token, and a token the server did issue with its signature reversed (no longer valid).
    const [header, payload, signature] = this.token.split('.');
    const forged = `${header}.${payload}.${[...signature].reverse().join('')}`;
    for (const [what, bad] of [['not a JWT', 'not-a-token'], ['a broken signature', forged]]) {
      const result = await unary(this.client(CalendarService, bad), 'GetCalendar', request);
      this.expectErrorInfo(result, UNAUTHENTICATED, 'AUTHENTICATION_REQUIRED', `GetCalendar with ${what} as token`);
    }

    // Without a token even a method that does not exist is refused as unauthenticated (with one: unknown_service).
    const method = '/partnerexchange.v1.NoSuchService/NoSuchMethod';
    expectError(await rawCall(this.client(grpc.Client, null), method), UNAUTHENTICATED, `${method} without a token`);
  }

  async permission_denied() {
    const { credentials } = this;
    const token = accessToken(await requestToken(credentials['token-url'], credentials['si-client-id'], credentials['si-client-secret']));
    const role = jwtPart(token, 1).role;
    check(role === SI_ROLE, `the SI client's token has role ${JSON.stringify(role)}, expected ${SI_ROLE}`);
    const calendar = this.client(this.protos.loaded.partnerexchange.v1.CalendarService, token);

    // The SI may read the calendar...
    const read = await unary(calendar, 'GetCalendar', Client.calendarRequest([2026, 10, 1], [2026, 10, 1]));
    check(!read.error, `the SI's GetCalendar failed: ${read.error && read.error.message}`);
    check(read.response.days.length === 1, `the SI's GetCalendar returned ${read.response.days.length} days`);

    // ...but not write it. The day is written as seeded (National Day), so nothing would change if it were allowed.
    const request = {
      days: [{ date: { year: 2026, month: 10, day: 1 }, kind: 'DAY_KIND_DAY_OFF', holiday_name: 'National Day' }],
      reason: 'interop: an SI may not write the calendar',
      request_id: `interop-permission-denied-${process.pid}`,
    };
    const error = this.expectErrorInfo(await unary(calendar, 'SetCalendarDays', request), grpc.status.PERMISSION_DENIED, 'ROLE_NOT_ALLOWED', 'SetCalendarDays by an SI');
    console.log(`PERMISSION_DENIED: ${JSON.stringify(error.details)}`);

    // Access is decided before the body is read: an over-limit request by the SI is refused for its role.
    const big = { reason: 'x'.repeat(OVER_LIMIT_BYTES), request_id: 'interop-permission-denied-over-limit' };
    this.expectErrorInfo(await unary(calendar, 'SetCalendarDays', big), grpc.status.PERMISSION_DENIED, 'ROLE_NOT_ALLOWED', 'SetCalendarDays of 5 MiB by an SI');
  }

  async token_endpoint() {
    const { credentials } = this;
    const basic = await requestToken(credentials['token-url'], credentials['client-id'], credentials['client-secret'], { basic: true });
    for (const [how, reply] of [['client_secret_post', this.tokenReply], ['client_secret_basic', basic]]) {
      check(reply.token_type === 'Bearer', `${how}: token_type is ${JSON.stringify(reply.token_type)}, expected Bearer`);
      // expires_in counts the whole seconds the token has left when the reply is written: the full lifetime, or one
      // second less once the clock is past the middle of the second the token was issued in.
      check([TOKEN_LIFETIME_SECONDS - 1, TOKEN_LIFETIME_SECONDS].includes(reply.expires_in),
        `${how}: expires_in is ${JSON.stringify(reply.expires_in)}, expected ${TOKEN_LIFETIME_SECONDS}`);
      console.log(`${how}: expires_in ${reply.expires_in}`);
      const token = accessToken(reply);
      const header = jwtPart(token, 0);
      const claims = jwtPart(token, 1);
      const lifetime = claims.exp - claims.iat;
      check(lifetime === TOKEN_LIFETIME_SECONDS, `${how}: the token lives ${lifetime} s from iat to exp, expected ${TOKEN_LIFETIME_SECONDS}`);
      check(header.typ === 'at+jwt', `${how}: the token's JWT header has typ ${JSON.stringify(header.typ)}, expected at+jwt`);
      check(claims.role === PARTNER_MANAGER_ROLE, `${how}: the token has role ${JSON.stringify(claims.role)}, expected ${PARTNER_MANAGER_ROLE}`);
      check(claims.sub === credentials['client-id'], `${how}: the token's sub is ${JSON.stringify(claims.sub)}`);
    }

    // A wrong secret gets no token: an OAuth error, invalid_client.
    let refused = null;
    try {
      const reply = await requestToken(credentials['token-url'], credentials['client-id'], `${credentials['client-secret']}-wrong`);
      throw new CaseFailed(`a wrong secret got a token: ${short(reply)}`);
    } catch (error) {
      if (!(error instanceof TokenRequestFailed)) {
        throw error;
      }
      refused = error;
    }
    check(refused.message.includes('invalid_client'), `a wrong secret was refused, but not as invalid_client: ${refused.message}`);
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.list) {
    console.log(CASES.join('\n'));
    return 0;
  }
  const missing = CREDENTIAL_ARGUMENTS.filter((name) => !args[name]);
  if (!args.protos || !args.port || !CASES.includes(args.case) || missing.length > 0) {
    console.error(`usage: node foreign_client.js --protos DIR --port PORT --case {${CASES.join(',')}} `
      + `${CREDENTIAL_ARGUMENTS.map((name) => `--${name} ${name.toUpperCase().replace(/-/g, '_')}`).join(' ')}`);
    return 2;
  }

  const client = new Client(Number(args.port), loadProtos(args.protos), args);
  try {
    await client.start();
    await client[args.case]();
  } catch (error) {
    const known = error instanceof CaseFailed || error instanceof TokenRequestFailed;
    const text = known ? error.message : `unexpected ${error.stack || error}`;
    console.error(`FAIL ${args.case}: ${text}`);
    return 1;
  } finally {
    client.close();
  }
  console.log(`PASS ${args.case}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error.stack || error);
    process.exit(1);
  },
);

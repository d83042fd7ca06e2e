'use strict';
// A Partner Exchange integration in Node, as a service integrator would write it: @grpc/grpc-js with the .proto
// files of the repository's protos/ loaded at run time by @grpc/proto-loader; rich error details are decoded with
// protobufjs from the same protos. Runs one case against a running server and exits 0 when it passes; otherwise
// prints what went wrong to stderr and exits 1.
//
// Usage: node foreign_client.js --protos DIR --port PORT --case NAME
//        node foreign_client.js --list          (prints the case names, one a line)

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
  'not_built_unimplemented',
  'streaming_not_built',
  'rich_error_bad_request',
  'deadline_exceeded',
  'cancel_held_call',
  'over_limit',
  'unknown_service',
];

// Generous for a loaded machine; the deadline case uses its own short one.
const CALL_TIMEOUT_MS = 30000;
const SHORT_DEADLINE_MS = 300;
const OVER_LIMIT_BYTES = 5 * 1024 * 1024;
const DOMAIN = 'partnerexchange.v1';
const STATUS_DETAILS_KEY = 'grpc-status-details-bin';

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
    const match = /^--([a-z_]+)(?:=(.*))?$/.exec(argv[i]);
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
  constructor(port, protos) {
    this.address = `127.0.0.1:${port}`;
    this.protos = protos;
    this.clients = [];
    const v1 = protos.loaded.partnerexchange.v1;
    this.calendar = this.client(v1.CalendarService);
    this.partners = this.client(v1.PartnerService);
    this.workOrders = this.client(v1.WorkOrderService);
  }

  client(Service) {
    const client = new Service(this.address, grpc.credentials.createInsecure());
    this.clients.push(client);
    return client;
  }

  close() {
    for (const client of this.clients) {
      client.close();
    }
  }

  waitForReady() {
    return new Promise((resolve, reject) => {
      this.calendar.waitForReady(deadline(), (error) => (error ? reject(error) : resolve()));
    });
  }

  /** Decodes grpc-status-details-bin (a google.rpc.Status) and checks it agrees with the status line. */
  statusDetails(error) {
    const blobs = error.metadata ? error.metadata.get(STATUS_DETAILS_KEY) : [];
    check(blobs.length === 1, `expected one ${STATUS_DETAILS_KEY} trailer, got ${blobs.length}`);
    const status = this.protos.details.lookupType('google.rpc.Status').decode(blobs[0]);
    check(status.code === error.code, `details say code ${status.code}, the status is ${codeName(error.code)}`);
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
    const health = this.client(this.protos.loaded.grpc.health.v1.Health);
    const served = await unary(health, 'Check', { service: '' });
    check(!served.error, `Check("") failed: ${served.error && served.error.message}`);
    check(served.response.status === 'SERVING', `Check("") is ${served.response.status}, expected SERVING`);
    expectError(await unary(health, 'Check', { service: 'no.such.Service' }), grpc.status.NOT_FOUND, 'Check("no.such.Service")');
  }

  async reflection(version) {
    const stub = this.client(this.protos.loaded.grpc.reflection[version].ServerReflection);
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

  async not_built_unimplemented() {
    const error = expectError(await unary(this.partners, 'ListPartners', {}), grpc.status.UNIMPLEMENTED, 'ListPartners');
    check(error.details.includes('PartnerService.ListPartners'), `the message does not name the RPC: ${JSON.stringify(error.details)}`);
    const info = this.errorInfo(error);
    check(info.reason === 'NOT_BUILT', `ErrorInfo.reason is ${JSON.stringify(info.reason)}, expected NOT_BUILT`);
    check(info.metadata.method === 'PartnerService.ListPartners', `ErrorInfo.metadata is ${JSON.stringify(info.metadata)}`);
  }

  async streaming_not_built() {
    const { error, received } = await new Promise((resolve) => {
      const events = [];
      const call = this.workOrders.WatchWorkOrderEvents({}, { deadline: deadline() });
      call.on('data', (event) => events.push(event));
      call.on('error', (e) => resolve({ error: e, received: events }));
      call.on('end', () => resolve({ error: null, received: events }));
    });
    check(error, `WatchWorkOrderEvents ended without an error after ${received.length} event(s)`);
    check(error.code === grpc.status.UNIMPLEMENTED, `WatchWorkOrderEvents: expected UNIMPLEMENTED, got ${codeName(error.code)}: ${error.details}`);
    check(error.details.includes('WorkOrderService.WatchWorkOrderEvents'), `the message does not name the RPC: ${JSON.stringify(error.details)}`);
    check(this.errorInfo(error).reason === 'NOT_BUILT', 'ErrorInfo.reason is not NOT_BUILT');
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
    const raw = new grpc.Client(this.address, grpc.credentials.createInsecure());
    this.clients.push(raw);
    for (const method of ['/partnerexchange.v1.NoSuchService/NoSuchMethod', '/partnerexchange.v1.CalendarService/NoSuchMethod']) {
      const result = await new Promise((resolve) => {
        raw.makeUnaryRequest(method, (bytes) => bytes, (bytes) => bytes, Buffer.alloc(0), { deadline: deadline() },
          (error, response) => resolve({ error, response }));
      });
      expectError(result, grpc.status.UNIMPLEMENTED, method);
    }
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.list) {
    console.log(CASES.join('\n'));
    return 0;
  }
  if (!args.protos || !args.port || !CASES.includes(args.case)) {
    console.error(`usage: node foreign_client.js --protos DIR --port PORT --case {${CASES.join(',')}}`);
    return 2;
  }

  const client = new Client(Number(args.port), loadProtos(args.protos));
  try {
    await client.waitForReady();
    await client[args.case]();
  } catch (error) {
    const text = error instanceof CaseFailed ? error.message : `unexpected ${error.stack || error}`;
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
